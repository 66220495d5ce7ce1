"""Conflicts as shared records, and the consortium's nine-track compass for each."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from multitrack_engagements.application import conflicts as handlers
from multitrack_engagements.application.ports import ConflictFilter
from multitrack_engagements.domain.conflicts import SharedConflict
from multitrack_engagements.entrypoints.api.deps import UowDep
from multitrack_engagements.entrypoints.api.schemas.conflicts import (
    ConflictCompassPublic,
    ConflictCreate,
    ConflictProfileIn,
    ConflictPublic,
)
from multitrack_shared.auth.personal import withhold_personal
from multitrack_shared.auth.policy import may_see_personal
from multitrack_shared.auth.principal import Principal
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.http.versions import TAGGED, IfMatch, tag
from multitrack_shared.validation import CountryCode, RecordId

router = APIRouter(prefix="/conflicts", tags=["conflicts"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a conflict as a shared record (coordinators)",
    responses=TAGGED,
)
async def register_conflict(
    body: ConflictCreate, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> ConflictPublic:
    """Publishes `multitrack.conflict.registered.v1` (actors by side, track and role only)."""
    cmd = handlers.RegisterConflict(body.profile(), body.visibility.value)
    return _tagged(response, await handlers.register_conflict(cmd, caller, uow, clock), caller)


@router.get("", summary="Conflicts the caller may see")
async def list_conflicts(
    caller: CallerDep,
    uow: UowDep,
    country: CountryCode | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[ConflictPublic]:
    where = ConflictFilter(country=country.value if country else None, limit=limit, offset=offset)
    return [_shown(c, caller) for c in await handlers.list_conflicts(where, caller, uow)]


@router.get("/{conflict_id}", summary="A conflict", responses=TAGGED)
async def get_conflict(
    conflict_id: RecordId, caller: CallerDep, uow: UowDep, response: Response
) -> ConflictPublic:
    return _tagged(response, await handlers.get_conflict(conflict_id, caller, uow), caller)


@router.put(
    "/{conflict_id}",
    summary="Revise a conflict: its phase, its actors (coordinators of its owner)",
    responses=TAGGED,
)
async def revise_conflict(
    conflict_id: RecordId,
    body: ConflictProfileIn,
    caller: CallerDep,
    uow: UowDep,
    clock: ClockDep,
    if_match: IfMatch,
    response: Response,
) -> ConflictPublic:
    """Publishes `multitrack.conflict.revised.v1`."""
    cmd = handlers.ReviseConflict(conflict_id, body.profile(), if_match)
    return _tagged(response, await handlers.revise_conflict(cmd, caller, uow, clock), caller)


@router.get(
    "/{conflict_id}/compass",
    summary="The consortium's nine-track compass for the conflict, with the tracks nobody covers",
)
async def read_compass(
    conflict_id: RecordId, caller: CallerDep, uow: UowDep
) -> ConflictCompassPublic:
    """Every engagement on the conflict the caller may see and the members working there; for
    each track, who reaches it. Another organization's owner-only engagement is neither listed
    nor counted."""
    view = await handlers.conflict_compass(conflict_id, caller, uow)
    return ConflictCompassPublic.of(view, _shown(view.conflict, caller))


def _tagged(response: Response, conflict: SharedConflict, caller: Principal) -> ConflictPublic:
    tag(response, conflict.id, conflict.version)
    return _shown(conflict, caller)


def _shown(conflict: SharedConflict, caller: Principal) -> ConflictPublic:
    return withhold_personal(
        ConflictPublic.of(conflict), may_see_personal=may_see_personal(caller, conflict.owner_org)
    )
