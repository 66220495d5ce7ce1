"""The memos app's HTTP API: each operation declares its caller and asks the one policy."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.auth.personal import MayNamePeople, Personal, withhold_personal
from multitrack_shared.auth.policy import (
    changeable,
    may_see_personal,
    owner_of_new_record,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.http.app import create_service_app
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import NewUnitOfWork
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.logging import get_logger

from .memos import SERVICE, Memo, MemosSettings, MemosUnitOfWork, MemoWritten

log = get_logger(__name__)

UowDep = Annotated[MemosUnitOfWork, NewUnitOfWork]


class MemoCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200, description="Title.", examples=["Elders met"])
    visibility: Visibility = Field(description="Who may read it.", examples=["owner"])
    contact_name: Annotated[str | None, Personal] = Field(
        default=None, max_length=200, description="A contact person.", examples=["Ana Ruiz"]
    )
    why: Annotated[str | None, MayNamePeople] = Field(
        default=None, max_length=2000, description="Why it was written.", examples=["Ana asked"]
    )


class TitleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200, description="The new title.", examples=["Elders met again"])


class MemoPublic(BaseModel):
    id: str = Field(description="The memo.")
    owner_org: str = Field(description="Owning organization.")
    visibility: Visibility = Field(description="Who may read it.")
    title: str = Field(description="Title.")
    contact_name: Annotated[str | None, Personal] = Field(description="A contact person.")
    why: Annotated[str | None, MayNamePeople] = Field(description="Why it was written.")
    flagged: bool = Field(description="Flagged by an event from elsewhere.")


class MemoList(BaseModel):
    total: int = Field(description="Memos the caller may see.")
    memos: list[MemoPublic] = Field(description="Those memos, by title.")


class Me(BaseModel):
    subject: str = Field(description="The token's subject.")
    organization: str | None = Field(description="Organization acted for.")
    roles: list[Role] = Field(description="Platform roles.")
    kind: str = Field(description="person or client.")
    client_id: str | None = Field(description="The token's client.")


router = APIRouter()


def public(memo: Memo, caller: Principal) -> MemoPublic:
    shown = MemoPublic.model_validate(vars(memo))
    return withhold_personal(shown, may_see_personal=may_see_personal(caller, memo.owner_org))


@router.get("/me", summary="The caller", responses=ERROR_RESPONSES)
async def me(caller: CallerDep) -> Me:
    log.info("caller asked who it is")
    return Me(
        subject=caller.subject,
        organization=caller.organization,
        roles=sorted(caller.roles),
        kind=caller.kind.value,
        client_id=caller.client_id,
    )


@router.post("/memos", status_code=201, summary="Write a memo", responses=ERROR_RESPONSES)
async def write_memo(body: MemoCreate, caller: CallerDep, uow: UowDep) -> MemoPublic:
    require_role(caller, Role.coordinator)
    memo = Memo(
        id=str(uuid.uuid4()),
        owner_org=owner_of_new_record(caller),
        visibility=body.visibility.value,
        title=body.title,
        contact_name=body.contact_name,
        why=body.why,
    )
    async with uow:
        await uow.memos.add(memo)
        ownership = Ownership(owner_org=memo.owner_org, visibility=body.visibility)
        uow.publish(MemoWritten(memo_id=memo.id, ownership=ownership, title=memo.title))
        await uow.commit()
    return public(memo, caller)


@router.get("/memos", summary="The memos the caller may see", responses=ERROR_RESPONSES)
async def list_memos(caller: CallerDep, uow: UowDep) -> MemoList:
    async with uow:
        scope = scope_of(caller)
        shown = await uow.memos.visible(scope)
        total = await uow.memos.count(scope)
    return MemoList(total=total, memos=[public(n, caller) for n in shown])


@router.get("/memos/{memo_id}", summary="One memo", responses=ERROR_RESPONSES)
async def read_memo(memo_id: str, caller: CallerDep, uow: UowDep) -> MemoPublic:
    async with uow:
        memo = readable(await uow.memos.get(memo_id), caller, f"No memo {memo_id}.")
    return public(memo, caller)


@router.put("/memos/{memo_id}/title", summary="Retitle a memo", responses=ERROR_RESPONSES)
async def retitle_memo(
    memo_id: str, body: TitleChange, caller: CallerDep, uow: UowDep
) -> MemoPublic:
    async with uow:
        found = await uow.memos.get(memo_id)
        memo = changeable(found, caller, Role.coordinator, message=f"No memo {memo_id}.")
        memo.title = body.title
        await uow.memos.save(memo)
        uow.record_change("memo", memo.id, "retitled")
        await uow.commit()
    return public(memo, caller)


def create_app(settings: MemosSettings) -> FastAPI:
    return create_service_app(
        SERVICE.runtime(settings),
        title="Memos",
        description="Memos of the identity and access tests.",
        routers=[router],
    )
