"""HTTP routes on the consortium's reference data."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from multitrack_evaluation.application import reference as handlers
from multitrack_evaluation.domain.reference import (
    CriterionBearing,
    ReferenceEntry,
    ReferenceKind,
)
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.reference import (
    ReferenceItemCreate,
    ReferenceItemPublic,
    ReferenceItemUpdate,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.versions import TAGGED, IfMatch, tag, tagged
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/reference", tags=["reference data"], responses=ERROR_RESPONSES)


@router.get(
    "",
    summary="All reference data: tracks, kinds of peacebuilding, procedures, criteria, methods",
)
async def list_all(caller: CallerDep, uow: UowDep) -> list[ReferenceItemPublic]:
    return [ReferenceItemPublic.of(e) for e in await handlers.list_entries(None, caller, uow)]


@router.get("/{kind}", summary="The reference data of one kind")
async def list_kind(
    kind: ReferenceKind, caller: CallerDep, uow: UowDep
) -> list[ReferenceItemPublic]:
    return [ReferenceItemPublic.of(e) for e in await handlers.list_entries(kind, caller, uow)]


@router.put(
    "/{kind}/{code}",
    summary="Reword an item, (de)activate a procedure, criterion or method, mark a criterion "
    "essential, say where a method comes from",
    responses=TAGGED,
)
async def adjust(
    kind: ReferenceKind,
    code: RecordId,
    body: ReferenceItemUpdate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> ReferenceItemPublic:
    cmd = handlers.AdjustEntry(
        kind=kind,
        code=code,
        label=body.label,
        description=body.description,
        active=body.active,
        precondition=if_match,
        procedure=body.procedure,
        essential=body.essential,
        origin=body.origin,
    )
    return _tagged(response, await handlers.adjust_entry(cmd, caller, uow, clock))


@router.post(
    "/{kind}",
    status_code=status.HTTP_201_CREATED,
    summary="Add a standard procedure, an assessment criterion or a method (tracks and kinds "
    "of peacebuilding are fixed)",
    responses=tagged(status.HTTP_201_CREATED),
)
async def add(
    kind: ReferenceKind,
    body: ReferenceItemCreate,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    response: Response,
) -> ReferenceItemPublic:
    cmd = handlers.AddEntry(
        kind=kind,
        code=body.code,
        label=body.label,
        description=body.description,
        bearing=CriterionBearing(body.procedure, body.essential),
        origin=body.origin,
    )
    return _tagged(response, await handlers.add_entry(cmd, caller, uow, clock))


def _tagged(response: Response, entry: ReferenceEntry) -> ReferenceItemPublic:
    """An entry is named by its kind and code: its tag is ``"<kind>:<code>.<version>"``."""
    tag(response, entry.key, entry.version)
    return ReferenceItemPublic.of(entry)
