"""Every Kafka topic of the platform, declared once, each with its partition count.

The broker's auto-creation is off: the platform creates these at start (``kafka.ensure_topics``).
One topic per producing service carries all of that service's events, keyed by aggregate id, so
that one aggregate's events keep their order while different aggregates spread over partitions.
Topics are created with the retention of ``ServiceSettings.topic_retention_hours`` (7 days by
default); each service's inbox keeps applied ids at least that long.

**Namespaces.** Several platforms (test runs, staging) can share one broker: each runs in a
namespace (``ServiceSettings.topic_namespace``), written AFTER every topic and consumer group
name: ``multitrack.invitations.v1.<namespace>``, group ``invitations.<namespace>``; no namespace
leaves the names as declared. A suffix keeps what a name starts with, so the broker's ACLs
(``messaging.access``) grant a service its own topics and group in every namespace at once: the
name itself, and what starts with the name and a dot. No platform topic's name starts with
another one's and a dot (``multitrack.invitations.v1`` and ``multitrack.invitations.dead-letter.v1``
part before the version), which a test of the access table checks.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMESPACE_SEPARATOR = "."


def in_namespace(name: str, namespace: str) -> str:
    """A topic's or consumer group's name in ``namespace`` (none: the name itself)."""
    return f"{name}{NAMESPACE_SEPARATOR}{namespace}" if namespace else name


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    description: str

    def qualified(self, namespace: str) -> str:
        """The topic's name on the broker for a platform in ``namespace``."""
        return in_namespace(self.name, namespace)


INVITATIONS = TopicSpec(
    "multitrack.invitations.v1", 6, "Invitation lifecycle: received, assessed, accepted, declined."
)
ENGAGEMENTS = TopicSpec(
    "multitrack.engagements.v1", 6, "Engagements: opened, statuses, listening, activities, lessons."
)
PARTNERS = TopicSpec(
    "multitrack.partners.v1", 3, "Partner organizations, consortium members and partnerships."
)
EVALUATION = TopicSpec(
    "multitrack.evaluation.v1",
    3,
    "Evaluations completed; lessons learned recorded, revised, retired.",
)

EVENT_TOPICS: tuple[TopicSpec, ...] = (INVITATIONS, ENGAGEMENTS, PARTNERS, EVALUATION)

PARTNER_FEED = TopicSpec(
    "multitrack.partner-feed.v1",
    3,
    "The partner feed: copies of consortium-visible events only, for partner systems' own "
    "principals to read; owner-only records never reach it.",
)
"""Written by the partners service (``FORWARDED_TOPICS``), read by partner systems."""

FORWARDED_TOPICS: dict[str, tuple[TopicSpec, ...]] = {"partners": (PARTNER_FEED,)}
"""Topics a service writes copies of other events to, beside its own events' topic."""

CONSUMING_SERVICES: tuple[str, ...] = ("invitations", "engagements", "partners", "evaluation")


def dead_letter_topic(service: str) -> TopicSpec:
    """Where a service's consumer parks events it could not decode or apply."""
    return TopicSpec(
        f"multitrack.{service}.dead-letter.v1",
        1,
        f"Events the {service} service could not decode or apply, with the reason in headers.",
    )


def all_topics() -> tuple[TopicSpec, ...]:
    return (
        EVENT_TOPICS
        + tuple(dead_letter_topic(s) for s in CONSUMING_SERVICES)
        + tuple(t for topics in FORWARDED_TOPICS.values() for t in topics)
    )
