"""The engagement's own use cases on in-memory fakes: reading it with its commitment's health,
the search, and the status machine publishing each change (and the closing)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.engagements import (
    ChangeStatus,
    change_status,
    get_engagement,
    search_engagements,
)
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.engagement import ClosingReason, Status
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events import engagements as events

from ..conftest import NOW
from .samples import (
    COORDINATOR,
    EVERY_LESSON,
    a_lesson,
    an_analysis,
    an_engagement,
    clock,
    heard,
    holding,
    in_status,
    listened_to_every_side,
    ready_to_close,
)

pytestmark = pytest.mark.unit


async def test_an_engagement_is_read_with_how_far_into_its_commitment_it_is() -> None:
    uow = await holding(an_engagement(last_activity_on=date(2026, 1, 20)))

    view = await get_engagement("eng-1", COORDINATOR, uow, clock)

    assert view.engagement == an_engagement(last_activity_on=date(2026, 1, 20))
    assert (view.health.days_elapsed, view.health.months_without_activity) == (732, 1)
    assert not view.health.quiet
    assert uow.nothing_committed


async def test_an_unknown_engagement_is_not_found() -> None:
    uow = await holding(an_engagement())

    with pytest.raises(NotFound) as refused:
        await get_engagement("eng-9", COORDINATOR, uow, clock)

    assert (refused.value.field, refused.value.message) == ("engagement_id", "no engagement eng-9")


async def test_the_search_finds_quiet_engagements_by_the_clock_newest_first() -> None:
    uow = await holding(
        an_engagement("busy", last_activity_on=date(2026, 1, 20)),
        an_engagement("quiet-old"),
        an_engagement(
            "quiet-new", opened_at=NOW - timedelta(days=400), start_date=date(2025, 1, 1)
        ),
        an_engagement("elsewhere", status=Status.active),
    )

    quiet = await search_engagements(
        EngagementFilter(quiet=True, status="listening"), COORDINATOR, uow, clock
    )
    busy = await search_engagements(EngagementFilter(quiet=False), COORDINATOR, uow, clock)

    assert [v.engagement.id for v in quiet] == ["quiet-new", "quiet-old"]
    assert all(v.health.quiet for v in quiet)
    assert [v.engagement.id for v in busy] == ["busy"]


async def test_an_engagement_heard_on_every_side_becomes_active_and_it_is_published_no_note() -> (
    None
):
    uow = await holding(an_engagement())
    await listened_to_every_side(uow)

    view = await change_status(
        ChangeStatus("eng-1", Status.active, note="ready"), COORDINATOR, uow, clock
    )

    assert view.engagement.status is Status.active
    assert await uow.engagements.get("eng-1") == view.engagement
    assert uow.published == [
        events.EngagementStatusChangedV2(
            engagement_id="eng-1",
            from_status="listening",
            to_status="active",
            reason=None,
            changed_at=NOW,
        )
    ]
    assert view.engagement.history[-1].note == "ready"  # kept here, not published


async def test_closing_publishes_the_change_and_the_closing_and_empties_the_inbox() -> None:
    closing = ready_to_close()
    uow = await holding(closing)
    await uow.lessons.save(a_lesson("l-1", countries=["CO"]))
    await refresh_engagement(uow, closing)
    assert [d.lesson_id for d in await uow.deliveries.of_engagement("eng-1", EVERY_LESSON)] == [
        "l-1"
    ]

    cmd = ChangeStatus("eng-1", Status.closed, no_final_evaluation_reason="Evaluators barred.")
    view = await change_status(cmd, COORDINATOR, uow, clock)

    assert view.engagement.closed
    assert uow.published == [
        events.EngagementStatusChangedV2(
            engagement_id="eng-1",
            from_status="closing",
            to_status="closed",
            reason=None,
            changed_at=NOW,
        ),
        events.EngagementClosed(
            engagement_id="eng-1", early=True, reason="mutual_agreement", closed_at=NOW
        ),
    ]
    assert await uow.deliveries.of_engagement("eng-1", EVERY_LESSON) == []


async def test_closing_early_for_a_recorded_reason_keeps_the_reason() -> None:
    uow = await holding(in_status(Status.active))
    cmd = ChangeStatus("eng-1", Status.closing, reason=ClosingReason.safety, note="threats")

    view = await change_status(cmd, COORDINATOR, uow, clock)

    assert view.engagement.closing_reason is ClosingReason.safety
    assert [e.event_type for e in uow.published] == ["multitrack.engagement.status_changed.v2"]
    assert uow.published[0].model_dump()["reason"] == "safety"
    assert "threats" not in uow.published[0].model_dump_json()


@pytest.mark.parametrize(
    ("status", "to", "refusal", "code"),
    [
        pytest.param(Status.listening, Status.active, Conflict, "listening_incomplete", id="half"),
        pytest.param(Status.listening, Status.paused, Conflict, "invalid_transition", id="skip"),
        pytest.param(Status.closed, Status.active, Conflict, "invalid_transition", id="reopen"),
        pytest.param(Status.active, Status.closing, DomainError, "reason_required", id="early"),
    ],
)
async def test_a_refused_status_change_publishes_nothing_and_keeps_the_status(
    status: Status, to: Status, refusal: type[DomainError], code: str
) -> None:
    uow = await holding(in_status(status))
    await uow.analyses.add(an_analysis())
    await uow.listening.add(heard("land claimants", "h-1"))

    with pytest.raises(refusal) as refused:
        await change_status(ChangeStatus("eng-1", to), COORDINATOR, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert await uow.engagements.get("eng-1") == in_status(status)
