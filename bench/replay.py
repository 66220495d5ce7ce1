"""P(f): a read model rebuilt from a topic of many events. A fresh evaluation service (empty
database, a new consumer group) reads the engagements topic from offset 0 through its inbox
into its engagements read model: the path a rebuild takes (``messaging.replay``) after the
read models are dropped and the inbox emptied."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from multitrack_shared.events.engagements import EngagementOpened
from multitrack_shared.events.envelope import Envelope
from multitrack_shared.messaging.kafka import client_security, ensure_topics
from multitrack_shared.messaging.topics import ENGAGEMENTS
from multitrack_shared.settings import ServiceSettings

from .figures import Figure, Results, Target
from .ground import Ground
from .progress import Progress
from .scale import Scale


async def an_opened_engagement(settings: ServiceSettings) -> dict[str, Any]:
    """The data of one ``engagement.opened`` event the platform published in the run."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_auto_commit=False,
        **client_security(settings),
    )
    await consumer.start()
    try:
        topic = ENGAGEMENTS.qualified(settings.topic_namespace)
        partitions = [TopicPartition(topic, p) for p in range(ENGAGEMENTS.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                for record in batch:
                    envelope = Envelope.from_kafka(record.headers, record.key, record.value)
                    if envelope.type == EngagementOpened.event_type:
                        return envelope.data
        raise RuntimeError("no engagement.opened event on the platform's topic")
    finally:
        await consumer.stop()


async def fill(settings: ServiceSettings, model: dict[str, Any], count: int) -> None:
    """``count`` engagements opened, each its own (ids), otherwise as the model."""
    await ensure_topics(settings, [ENGAGEMENTS])
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        **client_security(settings),
    )
    await producer.start()
    topic = ENGAGEMENTS.qualified(settings.topic_namespace)
    try:
        for start in range(0, count, 2000):
            futures = []
            for _ in range(start, min(start + 2000, count)):
                event = EngagementOpened.model_validate(
                    {
                        **model,
                        "engagement_id": str(uuid.uuid4()),
                        "invitation_id": str(uuid.uuid4()),
                    }
                )
                message = Envelope.wrap(event, "/multitrack/engagements").to_kafka()
                futures.append(
                    await producer.send(
                        topic,
                        key=event.engagement_id.encode(),
                        value=message.value,
                        headers=list(message.headers.items()),
                    )
                )
            await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def inbox_count(url: str) -> int:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        try:
            return int(await connection.fetchval("SELECT count(*) FROM inbox"))
        except asyncpg.UndefinedTableError:
            return 0
    finally:
        await connection.close()


async def replay(
    ground: Ground, platform_namespace: str, scale: Scale, progress: Progress, results: Results
) -> None:
    count = scale.replay_events
    progress.step(f"P(f) replay: a read model rebuilt from {count} events")
    source = ServiceSettings(
        service_name="bench", topic_namespace=platform_namespace, **ground.super_user()
    )
    model = await an_opened_engagement(source)
    namespace = ground.namespace()
    target = source.model_copy(update={"topic_namespace": namespace})
    progress.detail(f"producing {count} engagement.opened events")
    await fill(target, model, count)
    database = await ground.postgres.new_database("bench_replay")
    progress.detail("starting a fresh evaluation service")
    lone = await ground.start_services(
        ("evaluation",), namespace=namespace, databases={"evaluation": database}
    )
    try:
        first_at, first, applied = None, 0, 0
        deadline = time.monotonic() + 120  # until the first event is applied
        while True:
            applied = await inbox_count(database)
            now = time.monotonic()
            if first_at is None and applied > 0:
                first_at, first = now, applied
                deadline = now + scale.replay_cap_s
            if applied >= count or now > deadline:
                break
            progress.detail(f"{applied}/{count} applied")
            await asyncio.sleep(0.25)
        if first_at is None:
            raise TimeoutError("the fresh evaluation service applied nothing in 120 s")
        rate = (applied - first) / max(time.monotonic() - first_at, 1e-3)
    finally:
        await asyncio.to_thread(lone.stop)
    consume = results.figures["L.aiokafka_consume"]
    results.add(
        Figure(
            "P.f.replay", rate, "events/s", consume.name, consume.value,
            Target(10_000, at_least=True), (rate,),
        )
    )  # fmt: skip
    results.series["replay"] = {"events": count, "applied": applied, "capped": applied < count}
