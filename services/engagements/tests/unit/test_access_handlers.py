"""The one access policy in the engagements use cases, on in-memory fakes: who may read an
engagement and its records, who may change them, what a search and an inbox show, and who
sees their personal data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest

from multitrack_engagements.application.activities import list_activities, record_activity
from multitrack_engagements.application.analyses import (
    get_analysis,
    list_analyses,
    record_analysis,
)
from multitrack_engagements.application.coverage import coverage
from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.engagements import (
    ChangeStatus,
    change_status,
    get_engagement,
    search_engagements,
)
from multitrack_engagements.application.lessons import (
    RespondToLesson,
    briefing,
    lesson_inbox,
    respond_to_lesson,
)
from multitrack_engagements.application.liaison import list_liaison, record_liaison
from multitrack_engagements.application.listening import listening_ledger, record_heard
from multitrack_engagements.application.ports import EngagementFilter
from multitrack_engagements.domain.engagement import Status
from multitrack_shared.auth.principal import Principal, PrincipalKind, Role
from multitrack_shared.errors import Forbidden, NotFound
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakeEngagementsUnitOfWork
from .samples import (
    ACTIVITY,
    ANALYSIS,
    COORDINATOR,
    HEARD,
    LIAISON,
    OWNER,
    a_lesson,
    an_analysis,
    an_engagement,
    clock,
    holding,
    listened_to_every_side,
)

pytestmark = pytest.mark.unit

OTHER = "org-b"
Act = Callable[[Principal, FakeEngagementsUnitOfWork], Awaitable[Any]]

CHANGES: dict[str, Act] = {
    "status": lambda caller, uow: change_status(
        ChangeStatus("eng-1", Status.active), caller, uow, clock
    ),
    "analysis": lambda caller, uow: record_analysis(ANALYSIS, caller, uow, clock),
    "hearing": lambda caller, uow: record_heard(HEARD, caller, uow, clock),
    "activity": lambda caller, uow: record_activity(ACTIVITY, caller, uow, clock),
    "liaison": lambda caller, uow: record_liaison(LIAISON, caller, uow, clock),
    "response": lambda caller, uow: respond_to_lesson(
        RespondToLesson("eng-1", "l-1", LessonResponse.applied, "It held"), caller, uow, clock
    ),
}
READS: dict[str, Act] = {
    "engagement": lambda caller, uow: get_engagement("eng-1", caller, uow, clock),
    "analyses": lambda caller, uow: list_analyses("eng-1", caller, uow),
    "analysis": lambda caller, uow: get_analysis("eng-1", 1, caller, uow),
    "ledger": lambda caller, uow: listening_ledger("eng-1", caller, uow),
    "activities": lambda caller, uow: list_activities("eng-1", caller, uow),
    "liaison": lambda caller, uow: list_liaison("eng-1", caller, uow),
    "inbox": lambda caller, uow: lesson_inbox("eng-1", caller, uow),
    "briefing": lambda caller, uow: briefing("eng-1", caller, uow),
    "coverage": lambda caller, uow: coverage("eng-1", caller, uow),
}
WEAK = [
    acting_for(OWNER, Role.evaluator),
    acting_for(OWNER, Role.observer),
    acting_for(OWNER, Role.partner_system),
    acting_for(OWNER, Role.evaluator, Role.observer, kind=PrincipalKind.person),
]


async def engagement_of(visibility: str = "consortium") -> FakeEngagementsUnitOfWork:
    """org-a's eng-1, heard on every side, with lesson l-1 in its inbox."""
    engagement = an_engagement(visibility=visibility)
    uow = await holding(engagement)
    await listened_to_every_side(uow)
    await uow.lessons.save(a_lesson("l-1", countries=["CO"]))
    await refresh_engagement(uow, engagement)
    return uow


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
@pytest.mark.parametrize("caller", WEAK, ids=lambda caller: caller.subject)
async def test_only_a_coordinator_of_the_owning_organization_changes_an_engagement(
    change: Act, caller: Principal
) -> None:
    uow = await engagement_of()

    with pytest.raises(Forbidden) as refused:
        await change(caller, uow)

    assert refused.value.code == "role_required"
    assert uow.nothing_committed
    await change(COORDINATOR, uow)
    assert uow.commits == 1


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
@pytest.mark.parametrize(
    "caller",
    [acting_for(OTHER, Role.coordinator), acting_for(None, Role.consortium_admin)],
    ids=["another-organization", "consortium-admin"],
)
async def test_a_consortium_visible_engagement_of_another_organization_is_not_theirs_to_change(
    change: Act, caller: Principal
) -> None:
    uow = await engagement_of()

    with pytest.raises(Forbidden) as refused:
        await change(caller, uow)

    assert refused.value.code == "not_owner"
    assert uow.nothing_committed


@pytest.mark.parametrize("act", [*CHANGES.values(), *READS.values()], ids=[*CHANGES, *READS])
@pytest.mark.parametrize(
    "caller",
    [
        acting_for(OTHER, Role.coordinator),
        acting_for(OTHER, Role.observer),
        acting_for(None, Role.consortium_admin),
    ],
    ids=["another-coordinator", "another-observer", "consortium-admin"],
)
async def test_an_owner_only_engagement_is_not_found_outside_its_organization(
    act: Act, caller: Principal
) -> None:
    uow = await engagement_of(visibility="owner")

    with pytest.raises(NotFound) as refused:
        await act(caller, uow)

    assert (refused.value.field, refused.value.message) == ("engagement_id", "no engagement eng-1")
    assert uow.nothing_committed


@pytest.mark.parametrize("read", [r for n, r in READS.items() if n != "coverage"])
@pytest.mark.parametrize(
    ("caller", "personal"),
    [
        (COORDINATOR, True),
        (acting_for(OWNER, Role.evaluator), True),
        (acting_for(OWNER, Role.observer), True),
        (acting_for(OWNER, Role.partner_system), False),
        (acting_for(OTHER, Role.coordinator), False),
        (acting_for(None, Role.consortium_admin), False),
    ],
    ids=lambda value: value.subject if isinstance(value, Principal) else str(value),
)
async def test_only_the_owning_organizations_people_see_the_personal_data_read(
    read: Act, caller: Principal, personal: bool
) -> None:
    uow = await engagement_of()

    shown = await read(caller, uow)

    assert shown.personal is personal
    assert uow.nothing_committed


async def test_a_search_finds_only_what_the_caller_may_read_before_paging() -> None:
    uow = await holding(
        an_engagement("a-shared"),
        an_engagement("a-private", visibility="owner"),
        an_engagement("b-private", owner_org=OTHER, visibility="owner"),
        an_engagement("b-shared", owner_org=OTHER),
    )

    async def found(caller: Principal, **where: Any) -> list[str]:
        views = await search_engagements(EngagementFilter(**where), caller, uow, clock)
        return sorted(view.engagement.id for view in views)

    assert await found(COORDINATOR) == ["a-private", "a-shared", "b-shared"]
    assert await found(acting_for(OTHER, Role.observer)) == ["a-shared", "b-private", "b-shared"]
    assert await found(acting_for(None, Role.consortium_admin)) == ["a-shared", "b-shared"]
    assert await found(acting_for(OTHER, Role.coordinator), owner_org=OWNER) == ["a-shared"]
    assert await found(COORDINATOR, owner_org=OTHER, limit=1) == ["b-shared"]


async def test_an_inbox_shows_a_caller_only_the_lessons_it_may_read() -> None:
    uow = await holding(an_engagement())
    await uow.analyses.add(an_analysis())
    await uow.lessons.save(replace(a_lesson("ours-private", countries=["CO"]), visibility="owner"))
    await uow.lessons.save(replace(a_lesson("theirs", countries=["CO"]), owner_org=OTHER))
    await refresh_engagement(uow, an_engagement())

    async def inbox(caller: Principal) -> list[str]:
        shown = await lesson_inbox("eng-1", caller, uow)
        return sorted(item.delivery.lesson_id for item in shown.records)

    assert await inbox(COORDINATOR) == ["ours-private", "theirs"]
    assert await inbox(acting_for(OTHER, Role.coordinator)) == ["theirs"]
