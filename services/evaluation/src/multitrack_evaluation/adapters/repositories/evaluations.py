"""Every SQL query on evaluations."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_evaluation.adapters.tables import EvaluationRow
from multitrack_evaluation.application.ports import EvaluationFilter
from multitrack_evaluation.domain.evaluations import (
    DacScore,
    Evaluation,
    Evidence,
    Indicator,
    IndicatorValue,
    ProcedureAdherence,
    ProcedureRating,
    RppCriterion,
    RppFinding,
)
from multitrack_evaluation.domain.trends import Figures, QuarterFigures
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.events.vocabulary import DacCriterion
from multitrack_shared.times import utc


class SqlEvaluationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, evaluation: Evaluation) -> None:
        self._session.add(_to_row(evaluation))

    async def get(self, evaluation_id: str) -> Evaluation | None:
        row = await self._session.get(EvaluationRow, evaluation_id)
        return _to_domain(row) if row else None

    async def search(self, where: EvaluationFilter) -> list[Evaluation]:
        query = select(EvaluationRow).where(
            visible_to(where.scope, col(EvaluationRow.owner_org), col(EvaluationRow.visibility))
        )
        if where.engagement_id:
            query = query.where(EvaluationRow.engagement_id == where.engagement_id)
        query = (
            query.order_by(col(EvaluationRow.completed_at).desc(), col(EvaluationRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _to_row(e: Evaluation) -> EvaluationRow:
    return EvaluationRow(
        id=e.id,
        engagement_id=e.engagement_id,
        owner_org=e.owner_org,
        visibility=e.visibility,
        period_start=e.period_start,
        period_end=e.period_end,
        evaluated_by=e.evaluated_by,
        dac={c.value: {"score": s.score, "narrative": s.narrative} for c, s in e.dac.items()},
        procedures={
            code: {"rating": p.rating.value, "evidence": p.evidence}
            for code, p in e.procedures.items()
        },
        rpp_effectiveness=(
            {c.value: {"met": f.met, "note": f.note} for c, f in e.rpp_effectiveness.items()}
            if e.rpp_effectiveness is not None
            else None
        ),
        indicators={i.value: {"value": v.value, "note": v.note} for i, v in e.indicators.items()},
        baseline_analysis_version=e.baseline_analysis_version,
        completed_at=e.completed_at,
        evidence=asdict(e.evidence) if e.evidence else None,
    )


def _to_domain(row: EvaluationRow) -> Evaluation:
    rpp: dict[str, Any] | None = row.rpp_effectiveness
    return Evaluation(
        id=row.id,
        engagement_id=row.engagement_id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        period_start=row.period_start,
        period_end=row.period_end,
        evaluated_by=row.evaluated_by,
        dac={DacCriterion(c): DacScore(**s) for c, s in row.dac.items()},
        procedures={
            code: ProcedureAdherence(ProcedureRating(p["rating"]), p["evidence"])
            for code, p in row.procedures.items()
        },
        indicators={Indicator(i): IndicatorValue(**v) for i, v in row.indicators.items()},
        rpp_effectiveness=(
            {RppCriterion(c): RppFinding(**f) for c, f in rpp.items()} if rpp is not None else None
        ),
        baseline_analysis_version=row.baseline_analysis_version,
        completed_at=utc(row.completed_at),
        version=row.version,
        evidence=_evidence(row.evidence),
    )


def _evidence(stored: dict[str, Any] | None) -> Evidence | None:
    if stored is None:
        return None
    return Evidence(
        period=Figures(**stored["period"]),
        quarters=[
            QuarterFigures(q["quarter"], Figures(**q["figures"])) for q in stored["quarters"]
        ],
    )
