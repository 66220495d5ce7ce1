"""Linking an engagement already open to a shared conflict, on in-memory fakes: the link, the
event, the lessons that name the conflict, the search by conflict, and the refusals."""

from __future__ import annotations

from dataclasses import replace

import pytest

from multitrack_engagements.application.deliveries import refresh_lesson
from multitrack_engagements.application.engagements import (
    LinkConflict,
    link_conflict,
    search_engagements,
)
from multitrack_engagements.application.lessons import lesson_inbox
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.conflicts import ConflictProfile, SharedConflict
from multitrack_engagements.domain.engagement import Status
from multitrack_shared.auth.principal import Role
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events.engagements import ConflictLinked
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakeEngagementsUnitOfWork
from .samples import COORDINATOR, a_lesson, an_engagement, clock, holding

pytestmark = pytest.mark.unit

MONTES = ConflictProfile(name="Montes de María land conflict", country="CO")
CATATUMBO = ConflictProfile(name="Catatumbo", country="CO")
RIFT_VALLEY = ConflictProfile(name="Rift Valley land disputes", country="KE")
OTHER_ORG = acting_for("org-b", Role.coordinator)


async def with_conflicts() -> FakeEngagementsUnitOfWork:
    """eng-1 (org-a, Colombia, not linked) and shared conflicts: two in Colombia, one in
    Kenya, and one of org-b's that only org-b sees."""
    uow = await holding(an_engagement())
    for conflict_id, profile, owner, visibility in (
        ("c-montes", MONTES, "org-a", "consortium"),
        ("c-catatumbo", CATATUMBO, "org-b", "consortium"),
        ("c-kenya", RIFT_VALLEY, "org-a", "consortium"),
        ("c-hidden", MONTES, "org-b", "owner"),
    ):
        await uow.conflicts.add(
            SharedConflict(conflict_id, owner, visibility, profile, registered_at=clock())
        )
    return uow


async def link(uow: FakeEngagementsUnitOfWork, conflict_id: str | None) -> None:
    await link_conflict(LinkConflict("eng-1", conflict_id), COORDINATOR, uow, clock)


async def test_an_open_engagement_is_linked_and_the_link_is_published() -> None:
    uow = await with_conflicts()

    view = await link_conflict(LinkConflict("eng-1", "c-montes"), COORDINATOR, uow, clock)

    assert view.engagement.conflict.conflict_id == "c-montes"
    assert view.engagement.conflict.name == an_engagement().conflict.name  # its own words stay
    kept = await uow.engagements.get("eng-1")
    assert kept is not None
    assert kept.conflict.conflict_id == "c-montes"
    assert uow.published == [
        ConflictLinked(
            engagement_id="eng-1",
            conflict_id="c-montes",
            previous_conflict_id=None,
            linked_at=clock(),
        )
    ]


async def test_moving_it_names_the_conflict_before_and_linking_again_changes_nothing() -> None:
    uow = await with_conflicts()
    await link(uow, "c-montes")

    await link(uow, "c-catatumbo")
    await link(uow, "c-catatumbo")
    await link(uow, None)

    links = [e for e in uow.published if isinstance(e, ConflictLinked)]
    assert len(uow.published) == len(links) == 3
    assert [(e.conflict_id, e.previous_conflict_id) for e in links] == [
        ("c-montes", None),
        ("c-catatumbo", "c-montes"),
        (None, "c-catatumbo"),
    ]


async def test_the_search_by_conflict_finds_the_engagement_once_linked() -> None:
    uow = await with_conflicts()
    on_montes = EngagementFilter(conflict_id="c-montes")
    assert await search_engagements(on_montes, COORDINATOR, uow, clock) == []

    await link(uow, "c-montes")

    found = await search_engagements(on_montes, COORDINATOR, uow, clock)
    assert [v.engagement.id for v in found] == ["eng-1"]


async def test_a_lesson_naming_the_conflict_reaches_the_engagement_once_linked_and_first() -> None:
    uow = await with_conflicts()
    for lesson in (
        a_lesson("on-montes", conflict_ids=["c-montes"]),
        a_lesson("in-colombia", countries=["CO"]),
        a_lesson("on-catatumbo", conflict_ids=["c-catatumbo"]),
    ):
        await uow.lessons.save(lesson)
        await refresh_lesson(uow, lesson)

    async def inbox() -> list[str]:
        items = (await lesson_inbox("eng-1", COORDINATOR, uow)).records
        return [i.delivery.lesson_id for i in items]

    assert await inbox() == ["in-colombia"]
    await link(uow, "c-montes")
    assert await inbox() == ["on-montes", "in-colombia"]
    await link(uow, "c-catatumbo")
    assert await inbox() == ["on-catatumbo", "in-colombia"]


@pytest.mark.parametrize(
    ("conflict_id", "code"),
    [
        ("c-nowhere", "unknown_conflict"),
        ("c-hidden", "unknown_conflict"),  # another organization's owner-only conflict
        ("c-kenya", "conflict_elsewhere"),
    ],
)
async def test_a_conflict_unknown_to_the_caller_or_elsewhere_is_refused(
    conflict_id: str, code: str
) -> None:
    uow = await with_conflicts()

    with pytest.raises(DomainError) as refused:
        await link(uow, conflict_id)

    assert (refused.value.status_code, refused.value.code) == (422, code)
    assert refused.value.field == "conflict_id"
    assert uow.nothing_committed


async def test_a_closed_engagement_is_not_linked_and_another_organization_cannot_link() -> None:
    uow = await holding(an_engagement(), replace(an_engagement("eng-2"), status=Status.closed))
    await uow.conflicts.add(SharedConflict("c-montes", "org-a", "consortium", MONTES, clock()))

    with pytest.raises(Conflict, match="closed") as closed:
        await link_conflict(LinkConflict("eng-2", "c-montes"), COORDINATOR, uow, clock)
    hidden = an_engagement("eng-3", visibility="owner")
    await uow.engagements.add(hidden)
    with pytest.raises(NotFound):
        await link_conflict(LinkConflict("eng-3", "c-montes"), OTHER_ORG, uow, clock)

    assert closed.value.code == "engagement_closed"
    assert uow.nothing_committed
