"""The live feed from the partner feed topic: copies of consortium-visible events only.

The partners service puts on that topic only what every member organization may read, so the
console needs no filter of its own and no wider access than a partner system's: it logs in as
the broker's ``partner`` principal, which may read that topic alone. Each subscriber (a person's
open feed page) gets its own consumer, without a group, from the end of the topic on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer

from multitrack_console.application.ports import Json
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.kafka import close_quietly


class KafkaFeed:
    def __init__(self, topic: str, client_options: dict[str, Any]) -> None:
        self.topic = topic
        self._options = client_options

    async def subscribe(self) -> AsyncIterator[Json]:
        consumer = AIOKafkaConsumer(
            self.topic,
            group_id=None,
            auto_offset_reset="latest",
            enable_auto_commit=False,
            metadata_max_age_ms=5000,
            **self._options,
        )
        await consumer.start()
        try:
            async for record in consumer:
                envelope = Envelope.from_kafka(record.headers, record.key, record.value)
                yield {
                    "id": envelope.id,
                    "type": envelope.type,
                    "source": envelope.source,
                    "subject": envelope.subject,
                    "time": envelope.time.isoformat(),
                }
        finally:
            await close_quietly(consumer)
