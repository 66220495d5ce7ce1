"""A conflict's trends on in-memory fakes: the engagements on it learnt from their opening
events, counted only where the caller may see them; a conflict seen through no engagement
answers as an unknown one."""

from __future__ import annotations

from datetime import date

import pytest

from multitrack_evaluation.application.digests import conflict_trends
from multitrack_evaluation.application.projections import (
    on_activity_recorded,
    on_conflict_linked,
    on_engagement_opened,
)
from multitrack_evaluation.domain.trends import ConflictTrends
from multitrack_shared.errors import NotFound
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.engagements import ConflictLinked

from ..conftest import opened
from ..fakes import FakeEvaluationUnitOfWork
from .samples import ADMIN, EVALUATOR, NOW, OTHER_EVALUATOR, an_activity

pytestmark = pytest.mark.unit

LAND = ConflictContext(name="Montes de María land conflict", country="CO", conflict_id="c-land")


async def engagement(
    uow: FakeEvaluationUnitOfWork, engagement_id: str, ownership: Ownership, *led: bool
) -> None:
    """An engagement on the land conflict, opened, with one activity per ``led`` in May 2024."""
    await on_engagement_opened(opened(engagement_id, ownership=ownership, conflict=LAND), uow)
    for n, locally in enumerate(led):
        held = an_activity(f"{engagement_id}-a{n}", date(2024, 5, 2), locally).model_copy(
            update={"engagement_id": engagement_id}
        )
        await on_activity_recorded(held, uow)


async def on_land(caller_is_owner: bool) -> ConflictTrends:
    uow = FakeEvaluationUnitOfWork()
    await engagement(uow, "eng-shared", Ownership(owner_org="org-a"), True, False)
    quiet = Ownership(owner_org="org-b", visibility=Visibility.owner)
    await engagement(uow, "eng-quiet", quiet, True, True)
    await on_engagement_opened(opened("eng-elsewhere"), uow)  # linked to no shared conflict
    caller = OTHER_EVALUATOR if caller_is_owner else EVALUATOR
    return await conflict_trends("c-land", caller, uow)


async def test_the_owner_of_an_owner_only_engagement_sees_it_counted_in_its_conflict() -> None:
    trends = await on_land(caller_is_owner=True)

    assert trends.engagement_ids == ("eng-quiet", "eng-shared")
    [q2] = trends.quarters
    assert (q2.quarter, q2.figures.activities, q2.figures.empowerment) == ("2024-Q2", 4, 0.75)


async def test_another_organization_neither_sees_nor_counts_an_owner_only_engagement() -> None:
    trends = await on_land(caller_is_owner=False)

    assert trends.engagement_ids == ("eng-shared",)
    [q2] = trends.quarters
    assert (q2.figures.activities, q2.figures.empowerment) == (2, 0.5)


async def test_a_conflict_seen_through_no_engagement_is_not_found_as_an_unknown_one() -> None:
    uow = FakeEvaluationUnitOfWork()
    quiet = Ownership(owner_org="org-b", visibility=Visibility.owner)
    await engagement(uow, "eng-quiet", quiet, True)

    with pytest.raises(NotFound) as hidden:
        await conflict_trends("c-land", EVALUATOR, uow)
    with pytest.raises(NotFound) as unknown:
        await conflict_trends("c-nowhere", ADMIN, uow)

    assert str(hidden.value) == "no engagement on conflict c-land is known"
    assert str(unknown.value) == "no engagement on conflict c-nowhere is known"
    assert (await conflict_trends("c-land", OTHER_EVALUATOR, uow)).engagement_ids == ("eng-quiet",)


def linked(engagement_id: str, conflict_id: str | None, before: str | None) -> ConflictLinked:
    return ConflictLinked(
        engagement_id=engagement_id,
        conflict_id=conflict_id,
        previous_conflict_id=before,
        linked_at=NOW,
    )


async def test_an_engagement_linked_after_it_opened_joins_its_conflicts_trends_and_can_leave() -> (
    None
):
    uow = FakeEvaluationUnitOfWork()
    await engagement(uow, "eng-shared", Ownership(owner_org="org-a"), True)
    await on_engagement_opened(opened("eng-later"), uow)  # opened before the conflict existed
    await on_activity_recorded(
        an_activity("late-a0", date(2024, 5, 3), False).model_copy(
            update={"engagement_id": "eng-later"}
        ),
        uow,
    )

    await on_conflict_linked(linked("eng-later", "c-land", None), uow)
    trends = await conflict_trends("c-land", EVALUATOR, uow)
    assert trends.engagement_ids == ("eng-later", "eng-shared")
    assert trends.quarters[0].figures.activities == 2

    await on_conflict_linked(linked("eng-later", "c-other", "c-land"), uow)
    assert (await conflict_trends("c-land", EVALUATOR, uow)).engagement_ids == ("eng-shared",)
    assert (await conflict_trends("c-other", EVALUATOR, uow)).engagement_ids == ("eng-later",)
