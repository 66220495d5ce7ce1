"""The closed broker: every service logs in as its own principal and may write only its own
topics, read only what it subscribes to and join only its own group; the operator reads
everything and writes nothing; a client without credentials gets nothing at all.

The broker is ``deploy/kafka/broker.sh`` with ``KAFKA_SECURITY=sasl``; the clients are the
platform's own (``messaging.kafka``), configured by ``ServiceSettings``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.admin import NewTopic
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    GroupAuthorizationFailedError,
    KafkaError,
    TopicAuthorizationFailedError,
)

from multitrack_engagements.entrypoints.consumers import handlers as engagements
from multitrack_evaluation.entrypoints.consumers import handlers as evaluation
from multitrack_invitations.entrypoints.consumers import handlers as invitations
from multitrack_partners.entrypoints.consumers import handlers as partners
from multitrack_shared.messaging.access import OPERATOR, Grant, written_topics
from multitrack_shared.messaging.consumer import consumed_topics
from multitrack_shared.messaging.kafka import (
    broker_reachable,
    close_quietly,
    ensure_topics,
    new_admin,
    new_consumer,
    new_producer,
)
from multitrack_shared.messaging.topics import (
    ENGAGEMENTS,
    EVALUATION,
    PARTNERS,
    TopicSpec,
    all_topics,
    dead_letter_topic,
    in_namespace,
)
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.polling import eventually

pytestmark = pytest.mark.broker

SUBSCRIPTIONS = {
    "invitations": consumed_topics(invitations),
    "engagements": consumed_topics(engagements),
    "partners": consumed_topics(partners),
    "evaluation": consumed_topics(evaluation),
}
TOPIC_AUTHORIZATION_FAILED = 29


def load_acls_script() -> ModuleType:
    path = repo_root() / "deploy" / "kafka" / "acls.py"
    spec = importlib.util.spec_from_file_location("multitrack_acls", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def fill_every_topic(broker: Broker, namespace: str) -> None:
    """Each service creates its own topics and writes its name into each, as itself."""
    for service in SUBSCRIPTIONS:
        settings = broker.settings(service, namespace)
        await ensure_topics(settings, written_topics(service))
        producer = new_producer(settings)
        await producer.start()
        try:
            for topic in written_topics(service):
                await producer.send_and_wait(topic.qualified(namespace), value=service.encode())
        finally:
            await close_quietly(producer)


async def read_a_record_from_each(
    settings: ServiceSettings, topics: Sequence[TopicSpec]
) -> dict[str, set[str]]:
    """Topic → the values read from it, as ``settings`` in its own consumer group, which
    commits what it read."""
    names = [t.qualified(settings.topic_namespace) for t in topics]
    consumer = new_consumer(settings)
    await consumer.start()
    seen: dict[str, set[str]] = {}
    try:
        consumer.subscribe(names)

        async def every_topic_read() -> bool:
            batches = await consumer.getmany(timeout_ms=500)
            for partition, records in batches.items():
                seen.setdefault(partition.topic, set()).update(
                    r.value.decode() for r in records if r.value is not None
                )
            return set(seen) == set(names)

        await eventually(every_topic_read, within=45, what=f"a record from each of {names}")
        await consumer.commit()
    finally:
        await close_quietly(consumer)
    return seen


async def read_beside_an_allowed_topic(
    settings: ServiceSettings, forbidden: TopicSpec, polls: int = 10
) -> tuple[dict[str, set[str]], set[str]]:
    """What a consumer subscribed to ``forbidden`` and to evaluation's topic reads once it has
    read evaluation's record and polled ``polls`` times more; and the topics it may see."""
    names = [t.qualified(settings.topic_namespace) for t in (EVALUATION, forbidden)]
    consumer = new_consumer(settings)
    await consumer.start()
    seen: dict[str, set[str]] = {}
    try:
        consumer.subscribe(names)

        async def poll() -> bool:
            batches = await consumer.getmany(timeout_ms=500)
            for partition, records in batches.items():
                seen.setdefault(partition.topic, set()).update(
                    r.value.decode() for r in records if r.value is not None
                )
            return names[0] in seen

        await eventually(poll, within=45, what=f"a record from {names[0]}")
        for _ in range(polls):
            await poll()
        visible = set(await consumer.topics())
    finally:
        await close_quietly(consumer)
    return seen, visible


async def group_offsets(settings: ServiceSettings, group: str) -> dict[TopicPartition, Any]:
    admin = new_admin(settings)
    await admin.start()
    try:
        offsets: dict[TopicPartition, Any] = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return offsets


async def write(settings: ServiceSettings, topic: TopicSpec) -> None:
    producer = new_producer(settings)
    try:
        await producer.start()
        await producer.send_and_wait(topic.qualified(settings.topic_namespace), value=b"intruder")
    finally:
        await close_quietly(producer)


def test_no_service_is_granted_another_s_topics_or_group_in_any_namespace() -> None:
    grants: list[Grant] = load_acls_script().grants()
    namespaces = ["", "t1a2b3c4", "staging", "dead-letter"]
    for service in SUBSCRIPTIONS:
        own = [g for g in grants if g.principal == service]
        writes = [g for g in own if "Write" in g.operations]
        reads = [g for g in own if g.operations == ("Read", "Describe")]
        for namespace in namespaces:
            for topic in all_topics():
                name = topic.qualified(namespace)
                written = any(g.covers("topic", name) for g in writes)
                read = any(g.covers("topic", name) for g in reads)
                assert written == (topic in written_topics(service)), (service, name)
                # What it subscribes to, and its own dead letters (for an operator's replay).
                readable = topic in SUBSCRIPTIONS[service] or topic == dead_letter_topic(service)
                assert read == readable, (service, name)
            for group in SUBSCRIPTIONS:
                joins = any(g.covers("group", in_namespace(group, namespace)) for g in reads)
                assert joins == (group == service), (service, group, namespace)
    # What a grant covers is a name and that name followed by a dot: no topic may be named
    # as another one in a namespace (the dead letters part from the events before the version).
    names = [t.name for t in all_topics()]
    assert not [(a, b) for a in names for b in names if a != b and b.startswith(f"{a}.")]


def test_the_committed_acl_table_is_the_one_the_code_derives() -> None:
    committed = (repo_root() / "deploy" / "kafka" / "acls.tsv").read_text()
    assert committed == load_acls_script().table(), (
        "deploy/kafka/acls.tsv is stale: uv run python deploy/kafka/acls.py > deploy/kafka/acls.tsv"
    )


async def test_a_client_without_credentials_or_with_a_wrong_password_is_refused(
    secured_kafka_broker: Broker, topic_namespace: str
) -> None:
    allowed = secured_kafka_broker.settings("invitations", topic_namespace)
    await broker_reachable(allowed, within=10)
    anonymous = allowed.model_copy(update={"kafka_security_protocol": "PLAINTEXT"})
    impostor = secured_kafka_broker.settings(
        "invitations", topic_namespace, password="not-it-at-all"
    )

    for refused in (anonymous, impostor):
        with pytest.raises((KafkaError, TimeoutError)):
            await broker_reachable(refused, within=5)


@pytest.mark.parametrize("namespaced", [True, False], ids=["in-a-namespace", "in-none"])
async def test_each_service_writes_its_own_topics_and_reads_what_it_subscribes_to(
    secured_kafka_broker: Broker, topic_namespace: str, namespaced: bool
) -> None:
    # The same table serves a test run's namespace and the names as declared (`make run`).
    namespace = topic_namespace if namespaced else ""
    await fill_every_topic(secured_kafka_broker, namespace)

    for service, subscribed in SUBSCRIPTIONS.items():
        settings = secured_kafka_broker.settings(service, namespace)
        seen = await read_a_record_from_each(settings, subscribed)
        # Each topic is written by the service it is named after, and by no other.
        assert seen == {t.qualified(namespace): {t.name.split(".")[1]} for t in subscribed}


async def test_a_service_cannot_write_read_join_or_create_what_is_another_s(
    secured_kafka_broker: Broker, topic_namespace: str
) -> None:
    await fill_every_topic(secured_kafka_broker, topic_namespace)
    invitations_settings = secured_kafka_broker.settings("invitations", topic_namespace)
    assert PARTNERS not in SUBSCRIPTIONS["invitations"]

    with pytest.raises(TopicAuthorizationFailedError):
        await write(invitations_settings, PARTNERS)
    # Subscribed to both, it reads its own subscription's records and never partners'.
    read, visible = await read_beside_an_allowed_topic(invitations_settings, PARTNERS)
    assert read == {EVALUATION.qualified(topic_namespace): {"evaluation"}}
    assert PARTNERS.qualified(topic_namespace) not in visible
    in_partners_group = invitations_settings.model_copy(update={"service_name": "partners"})
    with pytest.raises(GroupAuthorizationFailedError):
        await read_a_record_from_each(in_partners_group, SUBSCRIPTIONS["invitations"])

    admin = new_admin(invitations_settings)
    await admin.start()
    try:
        others = [
            in_namespace(ENGAGEMENTS.name, f"{topic_namespace}-other"),
            in_namespace("multitrack.invitations-elsewhere.v1", topic_namespace),
            in_namespace("multitrack.invitations.v10", topic_namespace),
        ]
        created = await admin.create_topics([NewTopic(name, 1, 1) for name in others])
    finally:
        await admin.close()
    assert [error for _, error, _ in created.topic_errors] == [TOPIC_AUTHORIZATION_FAILED] * 3


async def test_the_operator_reads_every_topic_sees_every_group_s_offsets_and_writes_nothing(
    secured_kafka_broker: Broker, topic_namespace: str
) -> None:
    await fill_every_topic(secured_kafka_broker, topic_namespace)
    operator = secured_kafka_broker.settings(OPERATOR, topic_namespace)

    seen = await read_a_record_from_each(operator, all_topics())

    assert set(seen) == {t.qualified(topic_namespace) for t in all_topics()}
    for topic in all_topics():
        # Allowed to write nowhere, it is refused already the producer id that idempotent
        # producers ask for at start.
        with pytest.raises((ClusterAuthorizationFailedError, TopicAuthorizationFailedError)):
            await write(operator, topic)

    partners_group = in_namespace("partners", topic_namespace)
    await read_a_record_from_each(
        secured_kafka_broker.settings("partners", topic_namespace), SUBSCRIPTIONS["partners"]
    )
    committed = await group_offsets(operator, partners_group)
    assert {tp.topic for tp in committed} == {
        t.qualified(topic_namespace) for t in SUBSCRIPTIONS["partners"]
    }
    with pytest.raises(GroupAuthorizationFailedError):
        await group_offsets(
            secured_kafka_broker.settings("invitations", topic_namespace), partners_group
        )
