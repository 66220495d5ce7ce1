"""The service's dead-letter topic: a record that cannot be applied goes there with the error
and its origin in headers (``dlq-*``), so that consumption goes on and nothing is skipped in
silence."""

from __future__ import annotations

from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer, ConsumerRecord

from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.kafka import close_quietly, new_producer
from multitrack_shared.messaging.topics import dead_letter_topic
from multitrack_shared.settings import ServiceSettings

log = get_logger(__name__)


class DeadLetters:
    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._topic = dead_letter_topic(settings.service_name).qualified(settings.topic_namespace)
        self._producer: AIOKafkaProducer | None = None

    async def send(
        self, record: ConsumerRecord[bytes, bytes], error: BaseException, attempts: int
    ) -> None:
        headers = [
            *(record.headers or ()),
            ("dlq-error", _ascii(f"{type(error).__name__}: {error}")[:2000]),
            ("dlq-error-type", type(error).__name__.encode()),
            ("dlq-attempts", str(attempts).encode()),
            ("dlq-origin-topic", record.topic.encode()),
            ("dlq-origin-partition", str(record.partition).encode()),
            ("dlq-origin-offset", str(record.offset).encode()),
            ("dlq-consumer-group", self._settings.consumer_group.encode()),
            ("dlq-failed-at", datetime.now(UTC).isoformat().encode()),
        ]
        log.error(
            "event dead-lettered", topic=record.topic, offset=record.offset, error=repr(error)
        )
        if self._producer is None:
            producer = new_producer(self._settings)
            await producer.start()
            self._producer = producer
        await self._producer.send_and_wait(
            self._topic, value=record.value, key=record.key, headers=headers
        )

    async def close(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await close_quietly(producer)


def _ascii(text: str) -> bytes:
    return text.encode("utf-8", errors="replace")
