"""HTTP routes on evaluations: parse, call one use case, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from multitrack_evaluation.application import evaluations as handlers
from multitrack_evaluation.application.ports import EvaluationFilter
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.evaluations import (
    EvaluationCreate,
    EvaluationPublic,
)
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.versions import TAGGED, tag, tagged

router = APIRouter(prefix="/evaluations", tags=["evaluations"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Complete an evaluation of an engagement",
    responses=tagged(status.HTTP_201_CREATED),
)
async def complete(
    body: EvaluationCreate, uow: UowDep, clock: ClockDep, response: Response
) -> EvaluationPublic:
    evaluation = await handlers.complete_evaluation(body.draft(), uow, clock)
    tag(response, evaluation.id, evaluation.version)
    return EvaluationPublic.of(evaluation)


@router.get("", summary="List evaluations, most recent first")
async def search(
    uow: UowDep,
    engagement_id: Annotated[
        str | None, Query(max_length=36, description="Only this engagement's evaluations.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EvaluationPublic]:
    where = EvaluationFilter(engagement_id=engagement_id, limit=limit, offset=offset)
    return [EvaluationPublic.of(e) for e in await handlers.search_evaluations(where, uow)]


@router.get("/{evaluation_id}", summary="Read one evaluation", responses=TAGGED)
async def read(evaluation_id: str, uow: UowDep, response: Response) -> EvaluationPublic:
    evaluation = await handlers.get_evaluation(evaluation_id, uow)
    tag(response, evaluation.id, evaluation.version)
    return EvaluationPublic.of(evaluation)
