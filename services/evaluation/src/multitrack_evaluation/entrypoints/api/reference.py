"""HTTP routes on the consortium's reference data, with their bodies."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from multitrack_evaluation.application import reference as handlers
from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind
from multitrack_evaluation.entrypoints.api.common import Code
from multitrack_evaluation.entrypoints.api.deps import ClockDep, UowDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import Name, Strict, Text

router = APIRouter(prefix="/reference", tags=["reference data"], responses=ERROR_RESPONSES)


class ReferenceItemUpdate(Strict):
    label: Name = Field(description="Label as the consortium words it.", examples=["Do no harm"])
    description: Text = Field(
        description="Longer wording.",
        examples=["Dividers and connectors checked against each activity's details."],
    )
    active: bool = Field(
        description="False once the consortium no longer uses the item (procedures only).",
        examples=[True],
    )


class ReferenceItemCreate(Strict):
    code: Code
    label: Name = Field(description="Label as the consortium words it.", examples=["Do no harm"])
    description: Text = Field(
        description="Longer wording.",
        examples=["Dividers and connectors checked against each activity's details."],
    )


class ReferenceItemPublic(BaseModel):
    kind: ReferenceKind
    code: str
    label: str
    description: str
    active: bool
    position: int

    @classmethod
    def of(cls, entry: ReferenceEntry) -> ReferenceItemPublic:
        return cls(
            kind=entry.kind,
            code=entry.code,
            label=entry.label,
            description=entry.description,
            active=entry.active,
            position=entry.position,
        )


@router.get("", summary="All reference data: tracks, kinds of peacebuilding, procedures")
async def list_all(uow: UowDep) -> list[ReferenceItemPublic]:
    return [ReferenceItemPublic.of(e) for e in await handlers.list_entries(None, uow)]


@router.get("/{kind}", summary="The reference data of one kind")
async def list_kind(kind: ReferenceKind, uow: UowDep) -> list[ReferenceItemPublic]:
    return [ReferenceItemPublic.of(e) for e in await handlers.list_entries(kind, uow)]


@router.put("/{kind}/{code}", summary="Reword an item, or (de)activate a standard procedure")
async def adjust(
    kind: ReferenceKind, code: str, body: ReferenceItemUpdate, uow: UowDep, clock: ClockDep
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
