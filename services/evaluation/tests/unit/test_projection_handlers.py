"""The read models kept from the engagements and partners services' events, on in-memory fakes:
each handler is an upsert keyed by the event's ids and dated by the event, publishes nothing,
and gives the same record when its event is applied again. The ``.v1`` events still on the
topics give the same record, and their free text is kept nowhere."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, TypeVar

import pytest

from multitrack_evaluation.application import projections as on
from multitrack_evaluation.application.ports import CONSORTIUM_WIDE, EvaluationUoW
from multitrack_evaluation.domain import facts as f
from multitrack_evaluation.domain.lessons import Response
from multitrack_shared.events import engagements as eng
from multitrack_shared.events import partners as par
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.testing.superseded import as_replayed

from ..conftest import ENGAGEMENT, OPENED_AT, analysis, opened
from ..fakes import FakeEvaluationUnitOfWork
from .samples import an_activity

pytestmark = pytest.mark.unit

E = TypeVar("E", bound=IntegrationEvent)
LATER = OPENED_AT + timedelta(days=30)


def formed(**changes: Any) -> par.PartnershipFormed:
    fields: dict[str, Any] = {
        "partnership_id": "ps-1",
        "engagement_id": ENGAGEMENT,
        "partner_id": "p-1",
        "role": "co_facilitator",
        "starts_on": date(2024, 4, 1),
        "ends_on": None,
        "partner_name": "Red de Mujeres del Caribe",
        "partner_tracks": [4, 6],
        "partner_is_local": True,
        "partner_women_led": True,
        "formed_at": LATER,
    }
    return par.PartnershipFormed(**{**fields, **changes})


ENDED = par.PartnershipEnded(
    partnership_id="ps-1",
    engagement_id=ENGAGEMENT,
    partner_id="p-1",
    ends_on=date(2024, 12, 31),
    ended_at=LATER + timedelta(days=200),
)
CLOSED = eng.EngagementClosed(
    engagement_id=ENGAGEMENT, early=True, reason="safety", closed_at=LATER + timedelta(days=300)
)


def responded(response: LessonResponse, at: datetime) -> eng.LessonRespondedV2:
    return eng.LessonRespondedV2(
        engagement_id=ENGAGEMENT, lesson_id="l-1", response=response, responded_at=at
    )


Step = Callable[[FakeEvaluationUnitOfWork], Awaitable[None]]


def applying(handler: Callable[[E, EvaluationUoW], Awaitable[None]], event: E) -> Step:
    """``event`` applied as the consumer runtime does: by ``handler``, then a commit."""
    return lambda uow: uow.consume(handler, event)


async def record_after(*steps: Step) -> tuple[FakeEvaluationUnitOfWork, f.EngagementRecord]:
    """Every step taken, then every step taken again, as a redelivery would."""
    uow = FakeEvaluationUnitOfWork()
    for step in (*steps, *steps):
        await step(uow)
    assert uow.published == [], "a projection publishes nothing"
    record = await uow.digests.record(ENGAGEMENT)
    assert record is not None
    return uow, record


async def test_every_engagement_fact_lands_once_in_the_record() -> None:
    heard = eng.PartyHeard(
        engagement_id=ENGAGEMENT,
        hearing_id="h-1",
        side="claimants",
        track=4,
        heard_on=date(2024, 4, 2),
    )
    liaison = eng.LiaisonRecorded(
        engagement_id=ENGAGEMENT,
        liaison_id="li-1",
        institution="Gobernación de Bolívar",
        kind="briefing",
        held_on=date(2024, 5, 2),
    )
    changed = eng.EngagementStatusChangedV2(
        engagement_id=ENGAGEMENT, from_status="listening", to_status="active", changed_at=LATER
    )

    _, record = await record_after(
        applying(on.on_engagement_opened, opened()),
        applying(on.on_analysis_recorded, analysis(1)),
        applying(on.on_party_heard, heard),
        applying(on.on_activity_recorded, an_activity("a-1", date(2024, 5, 2), True)),
        applying(on.on_liaison_recorded, liaison),
        applying(on.on_status_changed, changed),
    )

    assert record.header.opened_at == OPENED_AT
    assert record.status_changes == [f.StatusChange("listening", "active", None, LATER)]
    assert [a.version for a in record.analyses] == [1]
    assert record.hearings == [f.Hearing("h-1", "claimants", 4, date(2024, 4, 2))]
    assert [(a.activity_id, a.led_locally, len(a.participants)) for a in record.activities] == [
        ("a-1", True, 2)
    ]
    assert record.liaisons == [
        f.Liaison("li-1", "Gobernación de Bolívar", "briefing", date(2024, 5, 2))
    ]
    assert f.current_status(record.header, record.status_changes) == "active"


async def test_a_closing_stays_when_the_opening_is_delivered_again() -> None:
    _, record = await record_after(
        applying(on.on_engagement_opened, opened()), applying(on.on_engagement_closed, CLOSED)
    )

    assert (record.header.closed_at, record.header.closed_early, record.header.close_reason) == (
        CLOSED.closed_at,
        True,
        "safety",
    )


async def test_a_closing_or_an_ending_of_what_was_never_opened_is_dropped() -> None:
    uow = FakeEvaluationUnitOfWork()

    await uow.consume(on.on_engagement_closed, CLOSED)
    await uow.consume(on.on_partnership_ended, ENDED)

    assert await uow.digests.record(ENGAGEMENT) is None
    assert len(uow.digests.partnerships) == 0


async def test_an_ending_stays_when_the_forming_is_delivered_again() -> None:
    _, record = await record_after(
        applying(on.on_engagement_opened, opened()),
        applying(on.on_partnership_formed, formed()),
        applying(on.on_partnership_ended, ENDED),
    )

    (partnership,) = record.partnerships
    assert (partnership.ended_at, partnership.partner_tracks) == (ENDED.ended_at, [4, 6])


async def test_the_latest_response_to_a_lesson_wins_whatever_the_order_it_arrives_in() -> None:
    uow, record = await record_after(
        applying(on.on_engagement_opened, opened()),
        applying(
            on.on_lesson_responded, responded(LessonResponse.adapted, LATER + timedelta(days=1))
        ),
        applying(on.on_lesson_responded, responded(LessonResponse.applied, LATER)),
    )

    assert await uow.responses.for_lesson("l-1", CONSORTIUM_WIDE) == [
        Response(ENGAGEMENT, LessonResponse.adapted, LATER + timedelta(days=1))
    ]
    assert record.lesson_answers == [f.LessonAnswer("l-1", "adapted", LATER + timedelta(days=1))]


async def test_an_opening_dated_with_an_offset_is_kept_in_utc() -> None:
    in_bogota = OPENED_AT.astimezone(timezone(timedelta(hours=-5)))

    _, record = await record_after(applying(on.on_engagement_opened, opened(opened_at=in_bogota)))

    assert record.header.opened_at == OPENED_AT
    assert record.header.opened_at.tzinfo is UTC


async def test_the_v1_events_a_replay_reads_give_the_same_record_without_their_free_text() -> None:
    confided = "Ana Ruiz asked us to pause"
    changed = eng.EngagementStatusChangedV2(
        engagement_id=ENGAGEMENT, from_status="listening", to_status="active", changed_at=LATER
    )
    activity = an_activity("a-1", date(2024, 5, 2), True)
    answer = responded(LessonResponse.adapted, LATER)
    opening = applying(on.on_engagement_opened, opened())

    current_uow, current = await record_after(
        opening,
        applying(on.on_status_changed, changed),
        applying(on.on_activity_recorded, activity),
        applying(on.on_lesson_responded, answer),
    )
    replayed_uow, replayed = await record_after(
        opening,
        applying(
            on.on_status_changed,
            as_replayed(changed, eng.EngagementStatusChanged, note=confided),
        ),
        applying(
            on.on_activity_recorded,
            as_replayed(activity, eng.ActivityRecorded, place="Ana Ruiz's farm"),
        ),
        applying(on.on_lesson_responded, as_replayed(answer, eng.LessonResponded, why=confided)),
    )

    assert replayed == current
    kept = await replayed_uow.responses.for_lesson("l-1", CONSORTIUM_WIDE)
    assert kept == await current_uow.responses.for_lesson("l-1", CONSORTIUM_WIDE)
    assert "Ana Ruiz" not in repr(replayed) + repr(kept)
