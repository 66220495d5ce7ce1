"""The one way events move: outbox rows → relay → Kafka → consumer runtime with an inbox."""
