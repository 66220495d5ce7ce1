"""The invitation use cases ask the one access policy about their caller, on in-memory fakes:
coordinators of the owning organization change an invitation; any platform role reads what its
organization may see; another organization's owner-only invitation is not found; a refusal
keeps and publishes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest

from multitrack_invitations.application.invitations import (
    AssessInvitation,
    DecideInvitation,
    WithdrawInvitation,
    assess_invitation,
    decide_invitation,
    get_invitation,
    receive_invitation,
    search_invitations,
    withdraw_invitation,
)
from multitrack_invitations.application.lessons import matching_lessons
from multitrack_invitations.application.ports import InvitationFilter
from multitrack_invitations.domain.invitation import Invitation
from multitrack_shared.auth.principal import Principal, PrincipalKind, Role
from multitrack_shared.errors import Forbidden, NotFound
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakeInvitationsUnitOfWork
from .test_invitation_handlers import (
    a_lesson,
    an_invitation,
    assessed,
    clock,
    holding,
    receiving,
    verdicts,
)

pytestmark = pytest.mark.unit

OWNER = "imtd"
OTHER = "other-member"
Act = Callable[[Principal, FakeInvitationsUnitOfWork], Awaitable[object]]

CHANGES: list[Any] = [
    pytest.param(
        lambda caller, uow: assess_invitation(
            AssessInvitation("inv-1", verdicts(), "assessment team"), caller, uow, clock
        ),
        id="assess",
    ),
    pytest.param(
        lambda caller, uow: decide_invitation(
            DecideInvitation("inv-1", True, "Invited by a party.", "board", {}, 5),
            caller,
            uow,
            clock,
        ),
        id="decide",
    ),
    pytest.param(
        lambda caller, uow: withdraw_invitation(
            WithdrawInvitation("inv-1", "Talks moved"), caller, uow, clock
        ),
        id="withdraw",
    ),
]
READS: list[Any] = [
    pytest.param(lambda caller, uow: get_invitation("inv-1", caller, uow), id="get"),
    pytest.param(lambda caller, uow: matching_lessons("inv-1", caller, uow), id="lessons"),
]


def under_assessment(visibility: str) -> Invitation:
    return assessed(owner_org=OWNER, visibility=visibility)


async def test_the_receiving_coordinators_organization_owns_the_invitation() -> None:
    uow = FakeInvitationsUnitOfWork()

    view = await receive_invitation(receiving(), acting_for(OTHER, Role.coordinator), uow, clock)

    assert view.invitation.owner_org == OTHER
    (published,) = uow.published
    assert published.model_dump()["ownership"]["owner_org"] == OTHER


@pytest.mark.parametrize(
    ("caller", "code"),
    [
        pytest.param(acting_for(OWNER, Role.evaluator), "role_required", id="evaluator"),
        pytest.param(acting_for(OWNER, Role.observer), "role_required", id="observer"),
        pytest.param(acting_for(OWNER, Role.partner_system), "role_required", id="partner"),
        pytest.param(acting_for(None, Role.consortium_admin), "role_required", id="admin"),
        pytest.param(acting_for(None, Role.coordinator), "no_organization", id="no-org"),
    ],
)
async def test_only_a_coordinator_of_an_organization_receives_an_invitation(
    caller: Principal, code: str
) -> None:
    uow = FakeInvitationsUnitOfWork()

    with pytest.raises(Forbidden) as refused:
        await receive_invitation(receiving(), caller, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert len(uow.invitations.invitations) == 0


@pytest.mark.parametrize("act", CHANGES)
async def test_the_owning_coordinator_changes_the_invitation(act: Act) -> None:
    uow = await holding(under_assessment("owner"))

    await act(acting_for(OWNER, Role.coordinator), uow)

    assert uow.commits == 1
    assert len(uow.published) == 1


@pytest.mark.parametrize("act", CHANGES)
@pytest.mark.parametrize(
    "role", [Role.evaluator, Role.observer, Role.partner_system, Role.consortium_admin]
)
async def test_a_role_too_weak_in_the_owning_organization_changes_nothing(
    act: Act, role: Role
) -> None:
    invitation = under_assessment("consortium")
    uow = await holding(invitation)

    with pytest.raises(Forbidden) as refused:
        await act(acting_for(OWNER, role), uow)

    assert refused.value.code == "role_required"
    assert uow.nothing_committed
    assert await uow.invitations.get("inv-1") == invitation


@pytest.mark.parametrize("act", CHANGES)
async def test_another_organization_may_not_change_a_consortium_visible_invitation(
    act: Act,
) -> None:
    invitation = under_assessment("consortium")
    uow = await holding(invitation)

    with pytest.raises(Forbidden) as refused:
        await act(acting_for(OTHER, Role.coordinator), uow)

    assert refused.value.code == "not_owner"
    assert uow.nothing_committed
    assert await uow.invitations.get("inv-1") == invitation


@pytest.mark.parametrize("act", CHANGES + READS)
@pytest.mark.parametrize(
    "caller",
    [
        pytest.param(acting_for(OTHER, Role.coordinator), id="other-coordinator"),
        pytest.param(acting_for(OTHER, Role.observer), id="other-observer"),
        pytest.param(acting_for(None, Role.consortium_admin), id="consortium-admin"),
    ],
)
async def test_another_organizations_owner_only_invitation_is_not_found_as_if_missing(
    act: Act, caller: Principal
) -> None:
    invitation = under_assessment("owner")
    uow = await holding(invitation)

    with pytest.raises(NotFound) as refused:
        await act(caller, uow)

    assert (refused.value.field, refused.value.message) == ("invitation_id", "no invitation inv-1")
    assert uow.nothing_committed
    assert await uow.invitations.get("inv-1") == invitation


@pytest.mark.parametrize("act", READS)
@pytest.mark.parametrize("role", list(Role))
async def test_every_platform_role_reads_a_consortium_visible_invitation(
    act: Act, role: Role
) -> None:
    uow = await holding(under_assessment("consortium"))

    await act(acting_for(OTHER, role), uow)

    assert uow.nothing_committed


async def test_the_service_itself_reads_every_invitation() -> None:
    uow = await holding(under_assessment("owner"))
    service = Principal("service:invitations", None, frozenset(), PrincipalKind.service)

    view = await get_invitation("inv-1", service, uow)

    assert view.invitation.id == "inv-1"


async def test_a_search_shows_another_organizations_owner_only_invitations_to_nobody() -> None:
    uow = await holding(
        an_invitation("ours-private", owner_org=OWNER, visibility="owner"),
        an_invitation("ours-shared", owner_org=OWNER, visibility="consortium"),
        an_invitation("theirs-private", owner_org=OTHER, visibility="owner"),
    )

    async def found(caller: Principal, **criteria: Any) -> set[str]:
        views = await search_invitations(InvitationFilter(**criteria), caller, uow)
        return {view.invitation.id for view in views}

    assert await found(acting_for(OWNER, Role.observer)) == {"ours-private", "ours-shared"}
    assert await found(acting_for(OTHER, Role.evaluator)) == {"ours-shared", "theirs-private"}
    assert await found(acting_for(None, Role.consortium_admin)) == {"ours-shared"}
    assert await found(acting_for(OTHER), owner_org=OWNER) == {"ours-shared"}
    assert await found(acting_for(OTHER), owner_org=OTHER, limit=1) == {"theirs-private"}


async def test_a_caller_sees_only_the_lessons_both_it_and_the_invitations_owner_may_see() -> None:
    uow = await holding(assessed(owner_org=OWNER, visibility="consortium"))
    for lesson_id, owner, visibility in [
        ("shared", OTHER, "consortium"),
        ("owners-own", OWNER, "owner"),
        ("callers-own", OTHER, "owner"),
    ]:
        lesson = a_lesson(lesson_id, countries=["CO"])
        await uow.lessons.put(replace(lesson, owner_org=owner, visibility=visibility))

    async def shown(caller: Principal) -> list[str]:
        return [m.lesson.lesson_id for m in await matching_lessons("inv-1", caller, uow)]

    assert await shown(acting_for(OWNER)) == ["owners-own", "shared"]
    assert await shown(acting_for(OTHER)) == ["shared"]
    view = await get_invitation("inv-1", acting_for(OTHER), uow)
    assert [m.lesson.lesson_id for m in view.matching_lessons] == ["shared"]
