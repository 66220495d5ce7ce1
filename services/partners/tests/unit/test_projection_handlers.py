"""The engagements and activity read models kept from the engagements service's events, on
in-memory fakes: upserts dated by the events, that publish nothing and can be applied again.
The ``.v1`` events still on the topic give the same read models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from multitrack_partners.application.ports import Coverage
from multitrack_partners.application.projections import (
    on_activity_recorded,
    on_engagement_closed,
    on_engagement_opened,
    on_engagement_status_changed,
)
from multitrack_partners.domain.activity import ActivityFacts, Tally
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.engagements import (
    ActivityRecorded,
    EngagementClosed,
    EngagementStatusChanged,
    EngagementStatusChangedV2,
    ParticipantCount,
)
from multitrack_shared.events.vocabulary import ParticipantRole, Sex
from multitrack_shared.testing.superseded import as_replayed

from ..conftest import an_activity, an_engagement_opened
from ..fakes import FakePartnersUnitOfWork

pytestmark = pytest.mark.unit

OPENED_AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def status_changed(to: str, days: int) -> EngagementStatusChangedV2:
    return EngagementStatusChangedV2(
        engagement_id="eng-1",
        from_status="listening",
        to_status=to,
        changed_at=OPENED_AT + timedelta(days=days),
    )


async def opened() -> FakePartnersUnitOfWork:
    uow = FakePartnersUnitOfWork()
    await uow.consume(
        on_engagement_opened,
        an_engagement_opened(conflict=ConflictContext(name="Montes de María", country="co")),
    )
    return uow


async def test_an_opened_engagement_is_known_listening_in_its_country() -> None:
    uow = await opened()

    assert await uow.engagements.get("eng-1") == KnownEngagement(
        engagement_id="eng-1",
        owner_org="org-a",
        visibility="consortium",
        country="CO",
        region=None,
        inviter_track=4,
        opened_at=OPENED_AT,
    )
    assert uow.published == []


async def test_an_owner_only_engagement_is_known_as_owner_only() -> None:
    uow = FakePartnersUnitOfWork()
    ownership = Ownership(owner_org="org-b", visibility=Visibility.owner)

    await uow.consume(on_engagement_opened, an_engagement_opened(ownership=ownership))

    known = await uow.engagements.get("eng-1")
    assert known is not None
    assert (known.owner_org, known.visibility) == ("org-b", "owner")


async def test_a_status_change_is_kept_unless_an_older_one_arrives_late() -> None:
    uow = await opened()

    await uow.consume(on_engagement_status_changed, status_changed("paused", days=20))
    await uow.consume(on_engagement_status_changed, status_changed("active", days=10))

    known = await uow.engagements.get("eng-1")
    assert known is not None
    assert (known.status, known.status_changed_at) == ("paused", OPENED_AT + timedelta(days=20))


async def test_a_closing_marks_the_engagement_closed_and_a_repeated_opening_keeps_it_so() -> None:
    uow = await opened()
    closed_at = OPENED_AT + timedelta(days=400)

    await uow.consume(
        on_engagement_closed,
        EngagementClosed(engagement_id="eng-1", early=True, reason="safety", closed_at=closed_at),
    )
    await uow.consume(on_engagement_opened, an_engagement_opened(purpose="redelivered"))

    known = await uow.engagements.get("eng-1")
    assert known is not None
    assert (known.status, known.status_changed_at, known.region) == (
        "closed",
        closed_at,
        "Caribbean region",
    )
    assert uow.published == []


async def test_a_status_of_an_engagement_never_opened_is_dropped() -> None:
    uow = FakePartnersUnitOfWork()

    await uow.consume(on_engagement_status_changed, status_changed("active", days=1))

    assert len(uow.engagements.engagements) == 0


async def test_an_activity_is_kept_as_counts_by_sex_and_role_and_replaced_when_applied_again() -> (
    None
):
    uow = await opened()
    counts = [
        ParticipantCount(sex=Sex.female, role=ParticipantRole.participant, track=4, count=5),
        ParticipantCount(sex=Sex.female, role=ParticipantRole.participant, track=7, count=2),
        ParticipantCount(sex=Sex.male, role=ParticipantRole.delegate, track=1, count=1),
    ]
    event = an_activity(tracks=[7, 4, 7], led_locally=False, participants=counts)

    await uow.consume(on_activity_recorded, event)
    await uow.consume(on_activity_recorded, event)

    assert uow.activities.activities.values() == [
        ActivityFacts(
            activity_id="act-1",
            engagement_id="eng-1",
            held_on=event.held_on,
            led_locally=False,
            tracks=(4, 7),
            participants=(Tally("female", "participant", 7), Tally("male", "delegate", 1)),
        )
    ]
    assert await uow.activities.tallies(Coverage(engagement_id="eng-1")) == [
        Tally("female", "participant", 7),
        Tally("male", "delegate", 1),
    ]
    assert uow.published == []


async def test_the_v1_status_changes_and_activities_a_replay_reads_give_the_same_read_models() -> (
    None
):
    current, replayed = await opened(), await opened()
    change, activity = status_changed("active", days=1), an_activity(tracks=[4])

    await current.consume(on_engagement_status_changed, change)
    await current.consume(on_activity_recorded, activity)
    await replayed.consume(
        on_engagement_status_changed,
        as_replayed(change, EngagementStatusChanged, note="Ana Ruiz asked us to start"),
    )
    await replayed.consume(
        on_activity_recorded, as_replayed(activity, ActivityRecorded, place="Ana Ruiz's farm")
    )

    assert await replayed.engagements.get("eng-1") == await current.engagements.get("eng-1")
    assert replayed.activities.activities.values() == current.activities.activities.values()
