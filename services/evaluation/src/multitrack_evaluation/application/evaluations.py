"""Use cases on evaluations: completing one, reading them back.

An evaluation belongs to its engagement's owner and is seen as the engagement is: only that
organization's evaluators complete one, and an engagement the caller may not see is, to
them, an engagement evaluation does not know.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from multitrack_evaluation.application.access import WRITER, require_reader
from multitrack_evaluation.application.ports import EvaluationFilter, EvaluationUoW
from multitrack_evaluation.domain.evaluations import (
    EngagementLife,
    Evaluation,
    EvaluationDraft,
    EvaluationFrame,
    Evidence,
)
from multitrack_evaluation.domain.reference import ReferenceKind
from multitrack_evaluation.domain.trends import by_quarter, over_period
from multitrack_shared.auth.policy import can_read, changeable, readable, require_role, scope_of
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events.evaluation import EvaluationCompleted
from multitrack_shared.ports import Clock


async def complete_evaluation(
    draft: EvaluationDraft, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> Evaluation:
    """Check the evaluation against the digest and the reference data, then record it.

    The digest reads evaluations from the service's own table, so the new one is part of
    the engagement's digest in this very transaction.
    """
    require_role(caller, WRITER)
    async with uow:
        now = clock()
        frame = await _frame(draft, caller, uow, now)
        evaluation = Evaluation.complete(draft, frame, id=str(uuid.uuid4()), at=now)
        await uow.evaluations.add(evaluation)
        uow.publish(
            EvaluationCompleted(
                evaluation_id=evaluation.id,
                engagement_id=evaluation.engagement_id,
                period_start=evaluation.period_start,
                period_end=evaluation.period_end,
                dac_scores={c: s.score for c, s in evaluation.dac.items()},
                procedure_adherence={
                    code: p.rating.value for code, p in evaluation.procedures.items()
                },
                baseline_analysis_version=evaluation.baseline_analysis_version,
                completed_at=evaluation.completed_at,
            )
        )
        await uow.commit()
    return evaluation


async def get_evaluation(evaluation_id: str, caller: Principal, uow: EvaluationUoW) -> Evaluation:
    require_reader(caller)
    async with uow:
        evaluation = await uow.evaluations.get(evaluation_id)
    return readable(evaluation, caller, f"no evaluation {evaluation_id}", field="evaluation_id")


async def search_evaluations(
    where: EvaluationFilter, caller: Principal, uow: EvaluationUoW
) -> list[Evaluation]:
    require_reader(caller)
    async with uow:
        return await uow.evaluations.search(replace(where, scope=scope_of(caller)))


async def _frame(
    draft: EvaluationDraft, caller: Principal, uow: EvaluationUoW, now: datetime
) -> EvaluationFrame:
    procedures = tuple(
        entry.code
        for entry in await uow.reference.entries(ReferenceKind.standard_procedure)
        if entry.active
    )
    record = await uow.digests.record(draft.engagement_id)
    if record is None or not can_read(caller, record.owner_org, record.visibility):
        return EvaluationFrame(engagement_known=False, active_procedures=procedures)
    # A visible engagement of another organization is theirs to evaluate: 403 not_owner.
    changeable(record, caller, WRITER, message=f"no engagement {draft.engagement_id}")
    return EvaluationFrame(
        engagement_known=True,
        owner_org=record.header.owner_org,
        visibility=record.header.visibility,
        analysis_versions=frozenset(a.version for a in record.analyses),
        active_procedures=procedures,
        evidence=Evidence(
            over_period(record, draft.period_start, draft.period_end),
            by_quarter(record, draft.period_start, draft.period_end),
        ),
        life=EngagementLife.of(record.header.start_date, record.header.closed_at, now),
    )
