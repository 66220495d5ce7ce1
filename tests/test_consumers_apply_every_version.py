"""A service that applies an event applies every version of it that may be on the topic.

A superseded ``.v1`` stays on its topic after its ``.v2`` replaced it: a consumer that mapped
only one of them would skip the other's records silently, on a rebuild (the ``.v1``) or from
the day the producer switched (the ``.v2``). Each version must reach the same handler.
"""

from __future__ import annotations

from typing import Any

import pytest

import multitrack_shared.events  # noqa: F401  (registers every event module)
from multitrack_engagements.entrypoints.consumers import handlers as engagements
from multitrack_evaluation.entrypoints.consumers import handlers as evaluation
from multitrack_invitations.entrypoints.consumers import handlers as invitations
from multitrack_partners.entrypoints.consumers import handlers as partners
from multitrack_shared.events.envelope import IntegrationEvent

pytestmark = pytest.mark.unit

CONSUMERS: dict[str, dict[type[IntegrationEvent], Any]] = {
    "invitations": dict(invitations),
    "engagements": dict(engagements),
    "partners": dict(partners),
    "evaluation": dict(evaluation),
}


def versions_of(event: type[IntegrationEvent]) -> set[type[IntegrationEvent]]:
    """``event`` and every version that supersedes it or that it supersedes, transitively."""
    registry = IntegrationEvent.registry
    found = {event}
    while True:
        more = {
            e
            for e in registry.values()
            if e not in found
            and (
                e.superseded_by in {f.event_type for f in found}
                or any(f.superseded_by == e.event_type for f in found)
            )
        }
        if not more:
            return found
        found |= more


@pytest.mark.parametrize("service", sorted(CONSUMERS))
def test_every_version_of_an_applied_event_reaches_the_same_handler(service: str) -> None:
    handlers = CONSUMERS[service]
    missing_or_different = {
        (event.event_type, version.event_type)
        for event in handlers
        for version in versions_of(event)
        if handlers.get(version) is not handlers[event]
    }
    assert missing_or_different == set()


def test_the_services_apply_both_versions_of_what_changed_version() -> None:
    applied = {e.event_type for handlers in CONSUMERS.values() for e in handlers}
    assert {
        "multitrack.invitation.accepted.v1",
        "multitrack.invitation.accepted.v2",
        "multitrack.lesson.recorded.v1",
        "multitrack.lesson.recorded.v2",
        "multitrack.engagement.lesson_responded.v1",
        "multitrack.engagement.lesson_responded.v2",
    } <= applied
