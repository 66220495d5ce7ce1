"""Kafka clients configured one way for the whole platform."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from pydantic import SecretStr

from multitrack_shared.logging import get_logger
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.settings import ServiceSettings

log = get_logger(__name__)


async def close_quietly(client: AIOKafkaProducer | AIOKafkaConsumer, within: float = 5.0) -> None:
    """Stop a client without letting an unreachable broker hold up shutdown.

    ``stop()`` waits for in-flight requests that cannot complete while the broker is gone;
    anything unsent is still in the outbox (or uncommitted on the topic), so nothing is lost
    by abandoning it after ``within`` seconds.
    """
    closing = asyncio.ensure_future(client.stop())
    done, _ = await asyncio.wait({closing}, timeout=within)
    if not done:
        closing.cancel()
    elif not closing.cancelled() and closing.exception() is not None:
        log.warning("kafka client closed with an error", error=repr(closing.exception()))


class KafkaLogin(Protocol):
    """The settings that say how a client logs in to the broker (a service's, the console's)."""

    @property
    def kafka_security_protocol(self) -> str: ...
    @property
    def kafka_sasl_mechanism(self) -> str: ...
    @property
    def kafka_username(self) -> str: ...
    @property
    def kafka_password(self) -> SecretStr: ...


def client_security(settings: KafkaLogin) -> dict[str, Any]:
    """How every client of the service authenticates to the broker."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return {"security_protocol": "PLAINTEXT"}
    return {
        "security_protocol": settings.kafka_security_protocol,
        "sasl_mechanism": settings.kafka_sasl_mechanism,
        "sasl_plain_username": settings.kafka_username,
        "sasl_plain_password": settings.kafka_password.get_secret_value(),
    }


def new_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """Idempotent, ``acks=all``: a retried send never duplicates or reorders within a partition."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-producer",
        enable_idempotence=True,
        acks="all",
        request_timeout_ms=15000,
        retry_backoff_ms=200,
        **client_security(settings),
    )


def new_consumer(settings: ServiceSettings) -> AIOKafkaConsumer:
    """A consumer of the service's group; the caller subscribes it."""
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-consumer",
        group_id=settings.consumer_group,
        enable_auto_commit=False,  # offsets are committed after the inbox transaction
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        metadata_max_age_ms=5000,
        **client_security(settings),
    )


def new_admin(settings: ServiceSettings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-admin",
        request_timeout_ms=5000,
        **client_security(settings),
    )


async def ensure_topics(settings: ServiceSettings, topics: Iterable[TopicSpec]) -> None:
    """Create whichever declared topics are missing; existing ones are left as they are.

    New topics keep events for ``topic_retention_hours``, which the settings hold to no more
    than ``inbox_retention_hours``: whatever a consumer can read again, its inbox still knows.
    """
    retention_ms = round(settings.topic_retention_hours * 3600 * 1000)
    admin = new_admin(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name=t.qualified(settings.topic_namespace),
                num_partitions=t.partitions,
                replication_factor=settings.topic_replication_factor,
                topic_configs={"retention.ms": str(retention_ms)},
            )
            for t in topics
            if t.qualified(settings.topic_namespace) not in existing
        ]
        if missing:
            # Another service may create them between our list and our create.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
            log.info("topics created", topics=[t.name for t in missing])
        await _wait_until_listed(admin, {t.name for t in missing})
    finally:
        await admin.close()


async def _wait_until_listed(admin: AIOKafkaAdminClient, names: set[str]) -> None:
    for _ in range(50):
        if names <= set(await admin.list_topics()):
            return
        await asyncio.sleep(0.1)


async def topic_partitions(
    settings: ServiceSettings, topics: Iterable[str]
) -> dict[str, list[int]]:
    """The partition numbers of each of ``topics`` that exists and the login may describe."""
    wanted = list(dict.fromkeys(topics))
    if not wanted:
        return {}
    admin = new_admin(settings)
    await admin.start()
    try:
        described = await admin.describe_topics(wanted)
    finally:
        await admin.close()
    return {
        t["topic"]: sorted(p["partition"] for p in t["partitions"])
        for t in described
        if t["error_code"] == 0
    }


async def broker_reachable(settings: ServiceSettings, within: float = 3.0) -> None:
    """Raise unless the broker answers a metadata request within ``within`` seconds."""
    admin = new_admin(settings)
    try:
        await asyncio.wait_for(admin.start(), within)
        await asyncio.wait_for(admin.describe_cluster(), within)
    finally:
        await admin.close()
