"""Who may do what on the broker: one Kafka principal per service, plus a read-only operator.

A service writes (and creates) only the topic of the events it publishes and its own
dead-letter topic, reads only the topics it subscribes to and its own dead letters (an
operator's replay sends chosen ones back through its consumer: ``operations.dead_letters``),
and joins only its own consumer group. The operator reads every platform topic and describes
every group, and writes nothing.

The table is derived from the code: a service publishes the events declared in
``multitrack_shared.events.<service>`` and consumes what its ``Subscription`` names.
``deploy/kafka/acls.py`` renders it into ``deploy/kafka/acls.tsv``, which ``broker.sh`` applies.

Every grant on a topic or group covers it in every namespace (``topics.in_namespace``): the
name itself (a LITERAL pattern) and the name followed by the namespace separator (PREFIXED).
So one table serves every platform sharing the broker, test runs included, and grants never
reach another service's names: ``covered_by`` tells what a grant covers, and a test checks that
no service is granted a topic or group named after another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from multitrack_shared.messaging.topics import (
    FORWARDED_TOPICS,
    NAMESPACE_SEPARATOR,
    PARTNER_FEED,
    TopicSpec,
    dead_letter_topic,
)

OPERATOR = "operator"
"""The principal of people and tools that watch the platform's events."""

PARTNER = "partner"
"""The principal of partner systems reading the partner feed: the feed only, in their own
consumer groups (``partner`` and any name starting ``partner.``)."""

PLATFORM_TOPICS = "multitrack."
"""What every platform topic's name starts with (after the prefix)."""

CLUSTER = "kafka-cluster"

WRITE = ("Write", "Describe", "Create")
READ = ("Read", "Describe")


@dataclass(frozen=True)
class Grant:
    """One row of the table: allow ``principal`` ``operations`` on a resource pattern."""

    principal: str
    resource: str  # topic | group | cluster
    pattern: str  # literal | prefixed
    name: str
    operations: tuple[str, ...]

    def row(self) -> str:
        return "\t".join(
            (self.principal, self.resource, self.pattern, self.name, ",".join(self.operations))
        )

    def covers(self, resource: str, name: str) -> bool:
        """Whether this grant applies to the ``resource`` (topic, group) called ``name``."""
        if resource != self.resource:
            return False
        if self.pattern == "prefixed":
            return name.startswith(self.name)
        return name == self.name


def in_every_namespace(
    principal: str, resource: str, name: str, operations: tuple[str, ...]
) -> list[Grant]:
    """``operations`` on ``name`` and on ``name`` in any namespace."""
    return [
        Grant(principal, resource, "literal", name, operations),
        Grant(principal, resource, "prefixed", f"{name}{NAMESPACE_SEPARATOR}", operations),
    ]


def published_topics(service: str) -> tuple[TopicSpec, ...]:
    """The topics of the events declared in ``multitrack_shared.events.<service>``."""
    # Importing the package registers every event type.
    from multitrack_shared.events import IntegrationEvent

    module = f"multitrack_shared.events.{service}"
    return tuple(
        dict.fromkeys(
            event.topic
            for event in IntegrationEvent.registry.values()
            if event.__module__ == module
        )
    )


def written_topics(service: str) -> tuple[TopicSpec, ...]:
    """Every topic the service writes to and may create: its events, the copies it forwards
    (``FORWARDED_TOPICS``) and its dead letters."""
    return (
        *published_topics(service),
        *FORWARDED_TOPICS.get(service, ()),
        dead_letter_topic(service),
    )


def service_grants(service: str, subscribed: Iterable[TopicSpec]) -> list[Grant]:
    writes = [
        grant
        for topic in written_topics(service)
        for grant in in_every_namespace(service, "topic", topic.name, WRITE)
    ]
    reads = [
        grant
        for topic in dict.fromkeys(subscribed)
        for grant in in_every_namespace(service, "topic", topic.name, READ)
    ]
    # Read without a group: the service reads its dead letters from beginning to end. The
    # same operations as its subscriptions', so the broker applies them in the same command.
    own_dead_letters = in_every_namespace(service, "topic", dead_letter_topic(service).name, READ)
    return [
        *writes,
        *reads,
        *own_dead_letters,
        *in_every_namespace(service, "group", service, READ),
    ]


def operator_grants(services: Iterable[str]) -> list[Grant]:
    return [
        Grant(OPERATOR, "topic", "prefixed", PLATFORM_TOPICS, READ),
        Grant(OPERATOR, "group", "prefixed", OPERATOR, READ),
        *(
            grant
            for service in services
            for grant in in_every_namespace(OPERATOR, "group", service, ("Describe",))
        ),
        Grant(OPERATOR, "cluster", "literal", CLUSTER, ("Describe",)),
    ]


def partner_system_grants() -> list[Grant]:
    """Partner systems read the partner feed in their own groups, and nothing else."""
    return [
        *in_every_namespace(PARTNER, "topic", PARTNER_FEED.name, READ),
        *in_every_namespace(PARTNER, "group", PARTNER, READ),
    ]


def platform_grants(subscriptions: Mapping[str, Iterable[TopicSpec]]) -> list[Grant]:
    """The whole table, from each service's name and the topics it subscribes to."""
    grants = [
        grant
        for service, subscribed in subscriptions.items()
        for grant in service_grants(service, subscribed)
    ]
    return [*grants, *operator_grants(subscriptions), *partner_system_grants()]


def principals(grants: Iterable[Grant]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(grant.principal for grant in grants))
