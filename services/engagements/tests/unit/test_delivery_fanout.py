"""A lesson's deliveries written for all engagements at once, and an opened engagement's first
deliveries written without reading what it cannot have yet, on in-memory fakes: both must
store exactly what recomputing every engagement one by one stores."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.projections import (
    on_invitation_accepted,
    on_lesson_recorded,
    on_lesson_revised,
    on_partnership_formed,
)
from multitrack_engagements.domain.engagement import Status, engagement_id_for
from multitrack_engagements.domain.facts import EngagementFacts
from multitrack_engagements.domain.lessons import (
    Delivery,
    Lesson,
    ResponseToLesson,
    Whereabouts,
    delivery_of,
    may_reach,
)
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.evaluation import (
    LessonContextV3,
    LessonRecordedV3,
    LessonRevisedV3,
)
from multitrack_shared.events.vocabulary import Confidence, LessonResponse
from multitrack_shared.matching import LessonScope

from ..conftest import NOW, an_acceptance, partnership_formed
from ..fakes import FakeEngagementsUnitOfWork
from .samples import OWNER, an_engagement, holding

pytestmark = pytest.mark.unit

RECORDED_AT = datetime(2023, 11, 1, tzinfo=UTC)
IN_COLOMBIA = LessonContextV3(countries=["CO"], conflict_types=["land"])
IN_KENYA = LessonContextV3(countries=["KE"], conflict_types=["land"])
REACHING = ("eng-1", "eng-2", "eng-3")


def recorded(
    lesson_id: str = "l-1",
    context: LessonContextV3 = IN_COLOMBIA,
    visibility: Visibility = Visibility.consortium,
) -> LessonRecordedV3:
    return LessonRecordedV3(
        lesson_id=lesson_id,
        ownership=Ownership(owner_org=OWNER, visibility=visibility),
        statement="Listen first",
        confidence=Confidence.high,
        context=context,
        recorded_at=RECORDED_AT,
    )


def revised(context: LessonContextV3) -> LessonRevisedV3:
    return LessonRevisedV3(
        lesson_id="l-1",
        revision=2,
        statement="Listen first, then again",
        confidence=Confidence.high,
        context=context,
        revised_at=NOW,
    )


async def many_engagements() -> FakeEngagementsUnitOfWork:
    """Three open engagements in Colombia, one closed there, one in Kenya, one of org-b."""
    kenya = ConflictDescription("Marsabit grazing conflict", "KE", conflict_type="land")
    return await holding(
        *(an_engagement(e) for e in REACHING),
        an_engagement("eng-closed", status=Status.closed),
        an_engagement("eng-ke", conflict=kenya),
        an_engagement("eng-org-b", owner_org="org-b"),
    )


def held(uow: FakeEngagementsUnitOfWork) -> dict[tuple[str, str], Delivery]:
    return dict(uow.deliveries.deliveries.items())


def lesson_reaches(uow: FakeEngagementsUnitOfWork, lesson_id: str = "l-1") -> list[str]:
    return sorted(e for e, lesson in uow.deliveries.deliveries if lesson == lesson_id)


async def test_a_lesson_reaches_exactly_the_engagements_it_matches_and_no_other() -> None:
    uow = await many_engagements()

    await uow.consume(on_lesson_recorded, recorded())

    assert lesson_reaches(uow) == [*REACHING, "eng-org-b"]


async def test_an_owner_only_lesson_reaches_only_its_owners_open_engagements() -> None:
    uow = await many_engagements()

    await uow.consume(on_lesson_recorded, recorded(visibility=Visibility.owner))

    assert lesson_reaches(uow) == list(REACHING)


async def test_a_lesson_leaves_every_other_lessons_deliveries_as_they_were() -> None:
    uow = await many_engagements()
    await uow.consume(on_lesson_recorded, recorded("l-ke", IN_KENYA))
    before = held(uow)

    await uow.consume(on_lesson_recorded, recorded())

    assert lesson_reaches(uow, "l-ke") == ["eng-ke"]
    assert {k: v for k, v in held(uow).items() if k[1] == "l-ke"} == before


async def test_a_lesson_delivered_again_stores_the_same_deliveries_once() -> None:
    uow = await many_engagements()
    await uow.consume(on_lesson_recorded, recorded())
    first = held(uow)

    await uow.consume(on_lesson_recorded, recorded())

    assert held(uow) == first
    assert len(first) == 4


async def test_the_fan_out_stores_what_refreshing_each_engagement_alone_stores() -> None:
    uow = await many_engagements()
    await uow.consume(on_lesson_recorded, recorded())
    await uow.consume(on_lesson_recorded, recorded("l-ke", IN_KENYA))
    fanned_out = held(uow)

    async with uow:
        for engagement in uow.engagements.engagements.values():
            await refresh_engagement(uow, engagement)
        await uow.commit()

    assert held(uow) == fanned_out


async def test_a_narrowed_lesson_leaves_the_engagements_it_no_longer_reaches_unless_answered() -> (
    None
):
    uow = await many_engagements()
    await uow.consume(on_lesson_recorded, recorded())
    await uow.responses.add(
        ResponseToLesson("eng-2", "l-1", LessonResponse.applied, "Done", 1, NOW)
    )

    await uow.consume(on_lesson_revised, revised(IN_KENYA))

    assert lesson_reaches(uow) == ["eng-2", "eng-ke"]
    kept = await uow.deliveries.get("eng-2", "l-1")
    assert kept is not None
    assert (kept.revision, kept.reaches) == (2, False)


async def test_a_lesson_reads_the_facts_only_of_engagements_it_may_reach_or_that_answered_it() -> (
    None
):
    uow = await many_engagements()
    await uow.consume(on_lesson_recorded, recorded())
    await uow.responses.add(
        ResponseToLesson("eng-ke", "l-1", LessonResponse.adapted, "Done", 1, NOW)
    )
    read: list[set[str]] = []
    of_ids = uow.facts.of_ids

    async def reading(engagement_ids: Collection[str]) -> list[EngagementFacts]:
        read.append(set(engagement_ids))
        return await of_ids(engagement_ids)

    uow.facts.of_ids = reading  # type: ignore[method-assign]

    await uow.consume(on_lesson_revised, revised(IN_COLOMBIA))

    # Not the closed engagement; the Kenyan one because it answered the lesson.
    assert read == [{*REACHING, "eng-org-b", "eng-ke"}]
    assert lesson_reaches(uow) == [*REACHING, "eng-ke", "eng-org-b"]


WHEREVER = LessonContextV3(conflict_types=["land"], tracks=[4])  # no place: 2 + 1 on track 4


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("context", [IN_COLOMBIA, IN_KENYA, WHEREVER])
async def test_whatever_a_lesson_is_delivered_to_without_an_answer_it_may_reach(
    context: LessonContextV3, visibility: Visibility
) -> None:
    uow = await many_engagements()
    await uow.consume(on_lesson_recorded, recorded(context=context, visibility=visibility))

    async with uow:
        lesson = await uow.lessons.get("l-1")
        assert lesson is not None
        places = {w.engagement_id: w for w in await uow.facts.whereabouts()}
        for facts in await uow.facts.of_ids(places):
            if delivery_of(lesson, facts, responded=False) is not None:
                assert may_reach(lesson, places[facts.engagement.id]), facts.engagement.id
    assert lesson_reaches(uow)  # each of these lessons reaches somebody


def test_a_closed_an_unseen_or_another_members_engagement_elsewhere_may_not_be_reached() -> None:
    lesson = Lesson.recorded(
        None,
        lesson_id="l-1",
        statement="Listen first",
        confidence="high",
        scope=LessonScope.of(countries=["CO"]),
        recorded_at=RECORDED_AT,
        owner_org=OWNER,
        visibility="owner",
    )
    here = Whereabouts("eng-1", OWNER, closed=False, conflict=an_engagement().conflict)
    kenya = ConflictDescription("Marsabit grazing conflict", "ke")

    assert may_reach(lesson, here)
    assert not may_reach(lesson, replace(here, closed=True))
    assert not may_reach(lesson, replace(here, owner_org="org-b"))
    assert not may_reach(lesson, replace(here, conflict=kenya))
    assert not may_reach(lesson.retired(), here)
    assert not may_reach(Lesson.retired_unseen("l-2"), here)


# --- an engagement opened now -----------------------------------------------------------------

ON_TRACK_SIX = LessonContextV3(conflict_types=["land"], tracks=[6])  # 2 + 1 with a track-6 partner


async def test_an_engagement_opens_with_the_lessons_a_partnership_told_before_brings() -> None:
    uow = FakeEngagementsUnitOfWork()
    opened = engagement_id_for("inv-1")
    await uow.consume(on_lesson_recorded, recorded("l-track-6", ON_TRACK_SIX))
    await uow.consume(on_lesson_recorded, recorded("l-ke", IN_KENYA))
    await uow.consume(on_partnership_formed, partnership_formed(opened, tracks=[6]))
    assert held(uow) == {}  # the partnership waits for the opening

    await uow.consume(on_invitation_accepted, an_acceptance(invitation_id="inv-1"))

    assert list(held(uow)) == [(opened, "l-track-6")]
    first = held(uow)
    async with uow:
        engagement = await uow.engagements.get(opened)
        assert engagement is not None
        await refresh_engagement(uow, engagement)
        await uow.commit()
    assert held(uow) == first


async def test_an_acceptance_delivered_again_recomputes_the_same_deliveries() -> None:
    uow = FakeEngagementsUnitOfWork()
    await uow.consume(on_lesson_recorded, recorded())
    await uow.consume(on_invitation_accepted, an_acceptance(invitation_id="inv-1"))
    first = held(uow)

    await uow.consume(on_invitation_accepted, an_acceptance(invitation_id="inv-1"))

    assert held(uow) == first
    assert list(first) == [(engagement_id_for("inv-1"), "l-1")]
