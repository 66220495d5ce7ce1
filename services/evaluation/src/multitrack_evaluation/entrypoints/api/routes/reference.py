"""HTTP routes on the consortium's reference data."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_evaluation.application import reference as handlers
from multitrack_evaluation.domain.reference import ReferenceKind
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.reference import (
    ReferenceItemCreate,
    ReferenceItemPublic,
    ReferenceItemUpdate,
)
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/reference", tags=["reference data"], responses=ERROR_RESPONSES)


@router.get("", summary="All reference data: tracks, kinds of peacebuilding, procedures")
async def list_all(uow: UowDep) -> list[ReferenceItemPublic]:
    return [ReferenceItemPublic.of(e) for e in await handlers.list_entries(None, uow)]


@router.get("/{kind}", summary="The reference data of one kind")
async def list_kind(kind: ReferenceKind, uow: UowDep) -> list[ReferenceItemPublic]:
    return [ReferenceItemPublic.of(e) for e in await handlers.list_entries(kind, uow)]


@router.put("/{kind}/{code}", summary="Reword an item, or (de)activate a standard procedure")
async def adjust(
    kind: ReferenceKind, code: RecordId, body: ReferenceItemUpdate, uow: UowDep, clock: ClockDep
) -> ReferenceItemPublic:
    cmd = handlers.AdjustEntry(
        kind=kind, code=code, label=body.label, description=body.description, active=body.active
    )
    return ReferenceItemPublic.of(await handlers.adjust_entry(cmd, uow, clock))


@router.post(
    "/{kind}",
    status_code=status.HTTP_201_CREATED,
    summary="Add a standard procedure (tracks and kinds of peacebuilding are fixed)",
)
async def add(
    kind: ReferenceKind, body: ReferenceItemCreate, uow: UowDep, clock: ClockDep
) -> ReferenceItemPublic:
    cmd = handlers.AddEntry(
        kind=kind, code=body.code, label=body.label, description=body.description
    )
    return ReferenceItemPublic.of(await handlers.add_entry(cmd, uow, clock))
