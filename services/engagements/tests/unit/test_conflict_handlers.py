"""Conflicts as shared records and the consortium's compass, on in-memory fakes: three
engagements of two organizations on one conflict, the tracks each reaches, and the tracks
nobody covers, as far as the caller may see."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from multitrack_engagements.application.conflicts import (
    RegisterConflict,
    ReviseConflict,
    conflict_compass,
    get_conflict,
    register_conflict,
    revise_conflict,
)
from multitrack_engagements.domain.analysis import Actor, ActorRole
from multitrack_engagements.domain.conflicts import ConflictProfile, SharedConflict
from multitrack_engagements.domain.engagement import Engagement, Status
from multitrack_shared.auth.principal import Role
from multitrack_shared.errors import Forbidden, NotFound, PreconditionFailed
from multitrack_shared.events.conflicts import ConflictRegistered, ConflictRevised
from multitrack_shared.testing.principals import acting_for
from multitrack_shared.versioning import Precondition, entity_tag

from ..fakes import FakeEngagementsUnitOfWork
from .samples import CONFLICT, COORDINATOR, an_engagement, clock, heard, holding

pytestmark = pytest.mark.unit

OTHER = acting_for("org-b", Role.coordinator)
PROFILE = ConflictProfile(
    name="Montes de María land conflict",
    country="CO",
    region="Caribbean region",
    conflict_type="land",
    phase="post-agreement",
    actors=(Actor("Asociación de Campesinos", "land claimants", 4, ActorRole.party),),
)


def on(conflict_id: str, engagement_id: str, owner: str, **changes: Any) -> Engagement:
    return an_engagement(
        engagement_id,
        owner_org=owner,
        conflict=replace(CONFLICT, conflict_id=conflict_id),
        **changes,
    )


async def a_conflict_with_three_engagements_of_two_organizations(
    a_visibility: str = "consortium",
) -> tuple[FakeEngagementsUnitOfWork, str]:
    """org-a: eng-a1 (inviter on track 4, a party of track 7 heard) and eng-a2 (inviter on
    track 1); org-b: eng-b1 (inviter on track 5). One more engagement works elsewhere."""
    uow = await holding(
        on("c-1", "eng-a1", "org-a", visibility=a_visibility),
        on("c-1", "eng-a2", "org-a", inviter_track=1),
        on("c-1", "eng-b1", "org-b", inviter_track=5),
        on("c-other", "eng-elsewhere", "org-b", inviter_track=9),
    )
    await uow.listening.add(replace(heard("land claimants", "h-1", "eng-a1"), track=7))
    await uow.conflicts.add(
        SharedConflict("c-1", "org-a", "consortium", PROFILE, registered_at=clock())
    )
    return uow, "c-1"


async def test_the_compass_counts_every_engagement_on_it_and_names_the_uncovered_tracks() -> None:
    uow, conflict_id = await a_conflict_with_three_engagements_of_two_organizations()

    view = await conflict_compass(conflict_id, OTHER, uow)
    compass = view.compass

    assert [(e.engagement_id, e.owner_org, e.tracks) for e in compass.engagements] == [
        ("eng-a1", "org-a", (4, 7)),
        ("eng-a2", "org-a", (1,)),
        ("eng-b1", "org-b", (5,)),
    ]
    assert compass.members == ("org-a", "org-b")
    assert [t.track for t in compass.uncovered] == [2, 3, 6, 8, 9]
    assert compass.uncovered[0].label == "Professional conflict resolution"
    point = {p.track: p for p in compass.tracks}
    assert (point[4].engagements, point[4].members) == (("eng-a1",), ("org-a",))
    assert (point[5].engagements, point[5].members) == (("eng-b1",), ("org-b",))
    assert uow.nothing_committed


async def test_another_organizations_owner_only_engagement_is_neither_listed_nor_counted() -> None:
    uow, conflict_id = await a_conflict_with_three_engagements_of_two_organizations("owner")

    seen_by_b = (await conflict_compass(conflict_id, OTHER, uow)).compass
    seen_by_a = (await conflict_compass(conflict_id, COORDINATOR, uow)).compass

    assert [e.engagement_id for e in seen_by_b.engagements] == ["eng-a2", "eng-b1"]
    assert [t.track for t in seen_by_b.uncovered] == [2, 3, 4, 6, 7, 8, 9]
    assert [e.engagement_id for e in seen_by_a.engagements] == ["eng-a1", "eng-a2", "eng-b1"]
    assert [t.track for t in seen_by_a.uncovered] == [2, 3, 6, 8, 9]


async def test_a_closed_engagement_is_listed_but_its_tracks_and_member_no_longer_count() -> None:
    uow, conflict_id = await a_conflict_with_three_engagements_of_two_organizations()
    uow.engagements.engagements.put(
        "eng-b1", on("c-1", "eng-b1", "org-b", inviter_track=5, status=Status.closed)
    )

    compass = (await conflict_compass(conflict_id, COORDINATOR, uow)).compass

    assert ("eng-b1", Status.closed) in [(e.engagement_id, e.status) for e in compass.engagements]
    assert compass.members == ("org-a",)
    assert 5 in [t.track for t in compass.uncovered]


async def test_registering_a_conflict_publishes_it_without_the_actors_names() -> None:
    uow = FakeEngagementsUnitOfWork()

    conflict = await register_conflict(
        RegisterConflict(PROFILE, "consortium"), COORDINATOR, uow, clock
    )

    assert conflict.owner_org == "org-a"
    assert await uow.conflicts.get(conflict.id) == conflict
    (event,) = uow.published
    assert isinstance(event, ConflictRegistered)
    assert (event.conflict_id, event.name, event.phase) == (
        conflict.id,
        "Montes de María land conflict",
        "post-agreement",
    )
    assert [(a.side, a.track, a.role) for a in event.actors] == [("land claimants", 4, "party")]
    assert "Asociación" not in event.model_dump_json()


async def test_an_observer_registers_no_conflict() -> None:
    uow = FakeEngagementsUnitOfWork()

    with pytest.raises(Forbidden):
        await register_conflict(
            RegisterConflict(PROFILE, "consortium"), acting_for("org-a", Role.observer), uow, clock
        )

    assert uow.nothing_committed


async def test_its_owner_revises_a_conflict_as_a_whole_and_another_organization_may_not() -> None:
    uow, conflict_id = await a_conflict_with_three_engagements_of_two_organizations()
    escalated = replace(PROFILE, phase="escalation")

    with pytest.raises(Forbidden):
        await revise_conflict(ReviseConflict(conflict_id, escalated), OTHER, uow, clock)
    revised = await revise_conflict(ReviseConflict(conflict_id, escalated), COORDINATOR, uow, clock)

    assert (revised.profile.phase, revised.revised_at) == ("escalation", clock())
    (event,) = uow.published
    assert isinstance(event, ConflictRevised)
    assert event.phase == "escalation"


async def test_a_revision_of_a_version_no_longer_current_changes_nothing() -> None:
    uow, conflict_id = await a_conflict_with_three_engagements_of_two_organizations()
    stale = Precondition(frozenset({entity_tag(conflict_id, 7)}))

    with pytest.raises(PreconditionFailed):
        await revise_conflict(ReviseConflict(conflict_id, PROFILE, stale), COORDINATOR, uow, clock)

    assert uow.nothing_committed


async def test_an_owner_only_conflict_of_another_organization_is_not_found() -> None:
    uow = FakeEngagementsUnitOfWork()
    await uow.conflicts.add(SharedConflict("c-9", "org-a", "owner", PROFILE, registered_at=clock()))

    with pytest.raises(NotFound):
        await get_conflict("c-9", OTHER, uow)
    with pytest.raises(NotFound):
        await conflict_compass("c-9", OTHER, uow)
    assert (await get_conflict("c-9", COORDINATOR, uow)).id == "c-9"
