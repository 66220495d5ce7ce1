"""The consortium-member use cases on in-memory fakes: joining publishes the member once, a
namesake or a future date is refused without trace, and only a consortium admin adds one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from multitrack_partners.application.members import (
    JoinConsortium,
    get_member,
    join_consortium,
    list_members,
)
from multitrack_partners.domain.member import Member
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.errors import Conflict, DomainError, Forbidden, NotFound
from multitrack_shared.events.partners import MemberJoined
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakePartnersUnitOfWork
from .samples import COORDINATOR, NOW, TOO_WEAK, clock

ADMIN = acting_for(None, Role.consortium_admin)

pytestmark = pytest.mark.unit


async def members(*names: tuple[str, tuple[str, ...]]) -> FakePartnersUnitOfWork:
    uow = FakePartnersUnitOfWork()
    for n, (name, roles) in enumerate(names):
        await uow.members.add(Member(f"m-{n}", name, roles, date(2025, 1, 1), NOW))
    return uow


async def test_joining_keeps_the_member_and_publishes_it_joined_today() -> None:
    uow = FakePartnersUnitOfWork()

    member = await join_consortium(JoinConsortium("IMTD", ("lead",), None), ADMIN, uow, clock)

    assert await uow.members.get(member.id) == member
    assert member.joined_on == NOW.date()
    assert uow.published == [
        MemberJoined(member_id=member.id, name="IMTD", roles=["lead"], joined_at=NOW)
    ]


async def test_a_member_joining_on_an_earlier_day_is_dated_that_day() -> None:
    uow = FakePartnersUnitOfWork()

    member = await join_consortium(JoinConsortium("CDR", (), date(2025, 6, 1)), ADMIN, uow, clock)

    assert uow.published == [
        MemberJoined(
            member_id=member.id,
            name="CDR",
            roles=[],
            joined_at=datetime(2025, 6, 1, tzinfo=UTC),
        )
    ]


@pytest.mark.parametrize(
    ("cmd", "refusal", "code"),
    [
        pytest.param(
            JoinConsortium("  imtd ", ("funder",), None), Conflict, "member_exists", id="namesake"
        ),
        pytest.param(
            JoinConsortium("CDR", (), date(2026, 3, 3)), DomainError, "joined_in_future", id="soon"
        ),
    ],
)
async def test_a_refused_member_is_neither_kept_nor_published(
    cmd: JoinConsortium, refusal: type[DomainError], code: str
) -> None:
    uow = await members(("IMTD", ("lead",)))

    with pytest.raises(refusal) as refused:
        await join_consortium(cmd, ADMIN, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert len(uow.members.members) == 1


async def test_a_member_is_read_by_its_id_and_an_unknown_one_is_not_found() -> None:
    uow = await members(("IMTD", ("lead",)))

    assert (await get_member("m-0", uow)).name == "IMTD"
    with pytest.raises(NotFound) as refused:
        await get_member("m-9", uow)
    assert refused.value.field == "member_id"


async def test_members_are_listed_by_name_and_role_a_page_at_a_time() -> None:
    uow = await members(
        ("Swisspeace", ("implementer",)),
        ("CDR", ("implementer", "research")),
        ("IMTD", ("lead", "implementer")),
    )

    implementers = await list_members("implementer", 10, 0, uow)
    second = await list_members(None, 1, 1, uow)
    research = await list_members("research", 10, 0, uow)

    assert [m.name for m in implementers] == ["CDR", "IMTD", "Swisspeace"]
    assert [m.name for m in second] == ["IMTD"]
    assert [m.name for m in research] == ["CDR"]


NOT_ADMINS = [COORDINATOR, *(c for c in TOO_WEAK if not c.is_consortium_admin)]


@pytest.mark.parametrize("caller", NOT_ADMINS)
async def test_only_a_consortium_admin_adds_a_member(caller: Principal) -> None:
    uow = FakePartnersUnitOfWork()

    with pytest.raises(Forbidden) as refused:
        await join_consortium(JoinConsortium("IMTD", ("lead",), None), caller, uow, clock)

    assert refused.value.code == "role_required"
    assert uow.nothing_committed
    assert len(uow.members.members) == 0
