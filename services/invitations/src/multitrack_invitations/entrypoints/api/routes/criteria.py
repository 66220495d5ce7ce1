"""HTTP route of the criteria an invitation is assessed against."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_invitations.application import invitations as handlers
from multitrack_invitations.entrypoints.api.deps import UowDep
from multitrack_invitations.entrypoints.api.schemas.criteria import CriterionPublic
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/assessment-criteria", tags=["assessment criteria"], responses=ERROR_RESPONSES
)


@router.get("", summary="The criteria an assessment needs a verdict on")
async def criteria_in_force(caller: CallerDep, uow: UowDep) -> list[CriterionPublic]:
    """Every criterion in force, in order: the consortium's reference data, adjusted by its
    admins in the evaluation service (`/reference/assessment_criterion`) and kept here from
    its `multitrack.reference.changed.v1` events. An assessment gives each one a verdict;
    accepting overrides each unmet one, and each essential one left unknown, with a reason."""
    return [CriterionPublic.of(c) for c in await handlers.criteria_in_force(caller, uow)]
