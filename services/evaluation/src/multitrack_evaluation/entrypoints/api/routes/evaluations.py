"""HTTP routes on evaluations: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from multitrack_evaluation.application import evaluations as handlers
from multitrack_evaluation.application.ports import EvaluationFilter
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.common import Id
from multitrack_evaluation.entrypoints.api.schemas.evaluations import (
    EvaluationCreate,
    EvaluationPublic,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.http.versions import TAGGED, tag, tagged
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/evaluations", tags=["evaluations"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Complete an evaluation of an engagement",
    responses=tagged(status.HTTP_201_CREATED),
)
async def complete(
    body: EvaluationCreate, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> EvaluationPublic:
    evaluation = await handlers.complete_evaluation(body.draft(), caller, uow, clock)
    tag(response, evaluation.id, evaluation.version)
    return EvaluationPublic.of(evaluation, caller)


@router.get("", summary="List evaluations, most recent first")
async def search(
    caller: CallerDep,
    uow: UowDep,
    engagement_id: Annotated[
        Id | None, Query(description="Only this engagement's evaluations.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[EvaluationPublic]:
    where = EvaluationFilter(engagement_id=engagement_id, limit=limit, offset=offset)
    found = await handlers.search_evaluations(where, caller, uow)
    return [EvaluationPublic.of(e, caller) for e in found]


@router.get("/{evaluation_id}", summary="Read one evaluation", responses=TAGGED)
async def read(
    evaluation_id: RecordId, caller: CallerDep, uow: UowDep, response: Response
) -> EvaluationPublic:
    evaluation = await handlers.get_evaluation(evaluation_id, caller, uow)
    tag(response, evaluation.id, evaluation.version)
    return EvaluationPublic.of(evaluation, caller)
