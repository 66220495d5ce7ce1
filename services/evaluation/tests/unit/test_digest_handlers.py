"""The digest use cases on in-memory fakes: read-only, built from what the events left in the
read models and from the service's own evaluations; an owner-only engagement's digest and
standing are its owner's alone."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from multitrack_evaluation.application.digests import (
    get_digest,
    list_engagements,
    overdue_engagements,
)
from multitrack_evaluation.application.evaluations import complete_evaluation
from multitrack_evaluation.application.ports import EngagementFilter
from multitrack_evaluation.application.projections import (
    on_activity_recorded,
    on_engagement_closed,
    on_engagement_opened,
    on_status_changed,
)
from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind
from multitrack_evaluation.domain.timeline import What
from multitrack_shared.errors import NotFound
from multitrack_shared.events import engagements as eng
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.vocabulary import CatalogueOrigin, MethodOrigin

from ..conftest import OPENED_AT, opened
from .samples import (
    ADMIN,
    EVALUATOR,
    OBSERVER,
    OTHER_EVALUATOR,
    PARTNER_SYSTEM,
    a_draft,
    an_activity,
    clock,
    knowing_the_engagement,
)

pytestmark = pytest.mark.unit

KENYA = ConflictContext(name="Marsabit grazing conflict", country="KE")


async def test_a_digest_shows_the_status_coverage_inclusion_and_timeline_of_what_is_known() -> None:
    uow = await knowing_the_engagement()

    digest = await get_digest("eng-1", EVALUATOR, uow)

    assert digest.status == "listening"
    assert digest.coverage.analysis_actors == [1, 4]
    assert digest.coverage.activities == [4, 7]
    assert digest.coverage.gaps == [2, 3, 5, 6, 8, 9]
    assert (digest.inclusion.participants, digest.inclusion.women) == (40, 24)
    assert (digest.inclusion.activities, digest.inclusion.led_locally) == (2, 1)
    assert [a.version for a in digest.analyses] == [1, 2]
    assert Counter(e.what for e in digest.timeline) == {
        What.opened: 1,
        What.analysis_recorded: 2,
        What.activity_recorded: 2,
    }
    assert uow.nothing_committed


async def test_the_blend_of_methods_takes_a_catalogued_methods_origin_from_the_catalogue() -> None:
    uow = await knowing_the_engagement()
    await uow.reference.add(
        ReferenceEntry(
            ReferenceKind.method, "minga", "Minga", "Shared work.", True, 1,
            origin=CatalogueOrigin.indigenous,
        )
    )  # fmt: skip
    named = [
        eng.Method(name="Minga", origin=MethodOrigin.external, code="minga"),
        eng.Method(name="Workshop", origin=MethodOrigin.external, code="not_catalogued"),
    ]
    activity = an_activity("a-3", date(2024, 10, 1), False).model_copy(update={"methods": named})
    await on_activity_recorded(activity, uow)

    digest = await get_digest("eng-1", EVALUATOR, uow)

    # the two earlier activities' Palabreo, named before the catalogue, keep their origin
    assert (digest.inclusion.local_methods, digest.inclusion.external_methods) == (3, 1)


async def test_an_engagement_never_opened_here_has_no_digest() -> None:
    uow = await knowing_the_engagement()

    with pytest.raises(NotFound) as refused:
        await get_digest("eng-9", EVALUATOR, uow)

    assert (refused.value.field, refused.value.message) == (
        "engagement_id",
        "no engagement eng-9 is known",
    )


async def test_the_engagements_are_listed_by_country_latest_opened_first_with_their_status() -> (
    None
):
    uow = await knowing_the_engagement()
    later = datetime(2024, 6, 1, tzinfo=UTC)
    await on_engagement_opened(opened("eng-2", opened_at=later), uow)
    await on_engagement_opened(opened("eng-ke", conflict=KENYA), uow)
    await on_status_changed(
        eng.EngagementStatusChangedV2(
            engagement_id="eng-2", from_status="listening", to_status="active", changed_at=later
        ),
        uow,
    )

    colombia = await list_engagements(EngagementFilter(country="CO"), EVALUATOR, uow)

    assert [(h.engagement_id, status) for h, status in colombia] == [
        ("eng-2", "active"),
        ("eng-1", "listening"),
    ]


async def test_an_open_engagement_a_year_without_evaluation_is_overdue_and_others_not() -> None:
    uow = await knowing_the_engagement()
    await on_engagement_opened(opened("eng-evaluated"), uow)
    await on_engagement_opened(opened("eng-closed"), uow)
    await on_engagement_closed(
        eng.EngagementClosed(engagement_id="eng-closed", early=True, closed_at=OPENED_AT), uow
    )
    await complete_evaluation(
        a_draft(engagement_id="eng-evaluated", baseline_analysis_version=None),
        EVALUATOR,
        uow,
        clock,
    )

    overdue = await overdue_engagements(EVALUATOR, uow, clock)

    assert [(o.engagement_id, o.since, o.ever_evaluated, o.months) for o in overdue] == [
        ("eng-1", OPENED_AT.date(), False, 12)
    ]


async def test_an_owner_only_engagement_is_in_its_owners_digests_lists_and_overdue_list_alone() -> (
    None
):
    uow = await knowing_the_engagement()
    private = Ownership(owner_org="org-a", visibility=Visibility.owner)
    await on_engagement_opened(opened("eng-private", ownership=private), uow)

    for member in (EVALUATOR, PARTNER_SYSTEM):
        assert (await get_digest("eng-private", member, uow)).header.engagement_id == "eng-private"
        listed = await list_engagements(EngagementFilter(), member, uow)
        assert {h.engagement_id for h, _ in listed} == {"eng-1", "eng-private"}
        overdue = await overdue_engagements(member, uow, clock)
        assert {o.engagement_id for o in overdue} == {"eng-1", "eng-private"}
    for stranger in (OTHER_EVALUATOR, ADMIN, OBSERVER):
        with pytest.raises(NotFound) as hidden:
            await get_digest("eng-private", stranger, uow)
        assert hidden.value.message == "no engagement eng-private is known"
        listed = await list_engagements(EngagementFilter(), stranger, uow)
        assert [h.engagement_id for h, _ in listed] == ["eng-1"]
        overdue = await overdue_engagements(stranger, uow, clock)
        assert [o.engagement_id for o in overdue] == ["eng-1"]
