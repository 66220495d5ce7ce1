"""Who may do what on the broker: one Kafka principal per service, plus a read-only operator.

A service writes (and creates) only the topic of the events it publishes and its own
dead-letter topic, reads only the topics it subscribes to, and joins only its own consumer
group. The operator reads every platform topic and describes every group, and writes nothing.

The table is derived from the code: a service publishes the events declared in
``multitrack_shared.events.<service>`` and consumes what its ``Subscription`` names.
``deploy/kafka/acls.py`` renders it into ``deploy/kafka/acls.tsv``, which ``broker.sh`` applies
for each topic prefix; names in the table carry no prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from multitrack_shared.messaging.topics import TopicSpec, dead_letter_topic

OPERATOR = "operator"
"""The principal of people and tools that watch the platform's events."""

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
    """Every topic the service writes to and may create: its events and its dead letters."""
    return (*published_topics(service), dead_letter_topic(service))


def service_grants(service: str, subscribed: Iterable[TopicSpec]) -> list[Grant]:
    writes = [Grant(service, "topic", "literal", t.name, WRITE) for t in written_topics(service)]
    reads = [Grant(service, "topic", "literal", t.name, READ) for t in dict.fromkeys(subscribed)]
    return [*writes, *reads, Grant(service, "group", "literal", service, READ)]


def operator_grants(services: Iterable[str]) -> list[Grant]:
    return [
        Grant(OPERATOR, "topic", "prefixed", PLATFORM_TOPICS, READ),
        Grant(OPERATOR, "group", "prefixed", OPERATOR, READ),
        *(Grant(OPERATOR, "group", "literal", service, ("Describe",)) for service in services),
        Grant(OPERATOR, "cluster", "literal", CLUSTER, ("Describe",)),
    ]


def platform_grants(subscriptions: Mapping[str, Iterable[TopicSpec]]) -> list[Grant]:
    """The whole table, from each service's name and the topics it subscribes to."""
    grants = [
        grant
        for service, subscribed in subscriptions.items()
        for grant in service_grants(service, subscribed)
    ]
    return [*grants, *operator_grants(subscriptions)]


def principals(grants: Iterable[Grant]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(grant.principal for grant in grants))
