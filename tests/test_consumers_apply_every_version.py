"""A service that applies an event applies every version of it that may be on the topic.

A superseded ``.v1`` stays on its topic after its ``.v2`` replaced it. Consumers map only the
current version; the runtime reads an older record through the upcasters
(``events.upcasting``), so a record of any version of an applied event reaches the handler of
the current one, and nothing is skipped in silence on a rebuild.
"""

from __future__ import annotations

from typing import Any

import pytest

from multitrack_engagements.entrypoints.consumers import handlers as engagements
from multitrack_evaluation.entrypoints.consumers import handlers as evaluation
from multitrack_invitations.entrypoints.consumers import handlers as invitations
from multitrack_partners.entrypoints.consumers import handlers as partners
from multitrack_shared.events import platform_events
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.upcasting import current_type, steps
from multitrack_shared.messaging.consumer import Subscription

pytestmark = pytest.mark.unit

CONSUMERS: dict[str, dict[type[IntegrationEvent], Any]] = {
    "invitations": dict(invitations),
    "engagements": dict(engagements),
    "partners": dict(partners),
    "evaluation": dict(evaluation),
}
EVENTS = platform_events()
SUPERSEDED = {t: e for t, e in EVENTS.items() if e.superseded_by is not None}


def earlier_versions(event: type[IntegrationEvent]) -> set[str]:
    """The types whose records are read as ``event``."""
    return {t for t in EVENTS if current_type(t) == event.event_type} - {event.event_type}


@pytest.mark.parametrize("service", sorted(CONSUMERS))
def test_a_service_maps_only_current_versions(service: str) -> None:
    assert {e.event_type for e in CONSUMERS[service] if e.superseded_by is not None} == set()


def test_every_superseded_version_has_one_step_to_its_successor() -> None:
    assert {source: target.event_type for source, target in steps().items()} == {
        t: e.superseded_by for t, e in SUPERSEDED.items()
    }
    assert all(EVENTS[current_type(t)].superseded_by is None for t in SUPERSEDED)


@pytest.mark.parametrize("service", sorted(CONSUMERS))
def test_records_of_every_version_of_an_applied_event_reach_its_handler(service: str) -> None:
    handlers = CONSUMERS[service]
    subscription = Subscription(handlers)
    missing_or_different = {
        (event.event_type, earlier)
        for event in handlers
        for earlier in earlier_versions(event)
        if subscription.handler_for(earlier) is not handlers[event]
    }
    assert missing_or_different == set()


def test_the_services_read_the_v1_records_of_what_changed_version() -> None:
    read = {
        earlier
        for handlers in CONSUMERS.values()
        for event in handlers
        for earlier in earlier_versions(event)
    }
    assert {
        "multitrack.invitation.accepted.v1",
        "multitrack.lesson.recorded.v1",
        "multitrack.engagement.lesson_responded.v1",
        "multitrack.engagement.status_changed.v1",
    } <= read
