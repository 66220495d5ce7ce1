"""Request and response bodies of the evaluations API.

Who evaluated is personal; the narratives, evidence and notes may name people (interviewees,
officials, participants). Both are shown only to the people of the engagement's owner.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_evaluation.domain.evaluations import (
    SCORE_MAX,
    SCORE_MIN,
    DacScore,
    Evaluation,
    EvaluationDraft,
    Evidence,
    Indicator,
    IndicatorValue,
    ProcedureAdherence,
    ProcedureRating,
    RppCriterion,
    RppFinding,
)
from multitrack_evaluation.entrypoints.api.schemas.common import Code, Id, Note, seen_by
from multitrack_evaluation.entrypoints.api.schemas.trends import FiguresOut, QuarterOut
from multitrack_shared.auth.personal import MayNamePeople, Personal
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events.vocabulary import DacCriterion
from multitrack_shared.validation import (
    Day,
    Flag,
    JsonNumber,
    Name,
    Share,
    Strict,
    Text,
    Version,
    every_key_matches,
)

Score = Annotated[
    int, Field(ge=SCORE_MIN, le=SCORE_MAX, description="1 (poor) to 4 (excellent)."), JsonNumber
]


NARRATIVE = "Why the score; may name people."
EVIDENCE = "What the rating rests on; may name people."
NOTE = "May name people."
EVALUATED_BY = "Who evaluated: personal data, shown to the engagement's owner only."


class DacScoreIn(Strict):
    score: Score = Field(examples=[3])
    narrative: Annotated[Text, MayNamePeople] = Field(
        description=NARRATIVE, examples=["Responds to needs the parties themselves expressed."]
    )


class DacIn(Strict):
    """The six OECD-DAC criteria, each scored with a narrative; all six are required."""

    relevance: DacScoreIn
    coherence: DacScoreIn
    effectiveness: DacScoreIn
    efficiency: DacScoreIn
    impact: DacScoreIn
    sustainability: DacScoreIn


class ProcedureIn(Strict):
    rating: ProcedureRating = Field(description="met, partly or not.", examples=["met"])
    evidence: Annotated[Text, MayNamePeople] = Field(
        description=EVIDENCE, examples=["Invitation letter of 2024-01-10 on file."]
    )


class RppIn(Strict):
    met: Flag = Field(examples=[True])
    note: Annotated[Note | None, MayNamePeople] = Field(
        default=None, description=NOTE, examples=["Two local dialogue groups self-started."]
    )


class IndicatorIn(Strict):
    value: Share | None = Field(
        default=None, description="A share between 0 and 1, or null when not measured."
    )
    note: Annotated[Note | None, MayNamePeople] = Field(
        default=None, description=NOTE, examples=["Follow-up survey of 40 participants."]
    )


COMPUTED_NOTE = (
    "Computed from the records of the period, never typed in: a value answers 422 "
    "indicator_computed; a note may accompany it."
)


class IndicatorsIn(Strict):
    trust: IndicatorIn
    responsibility: IndicatorIn | None = Field(
        default=None,
        description="Share of former participants reached by the follow-ups who use the skills "
        f"they gained (standard 10). {COMPUTED_NOTE}",
    )
    empowerment: IndicatorIn | None = Field(
        default=None,
        description="Share of activities designed and led by local people (standard 11). "
        f"{COMPUTED_NOTE}",
    )
    transformation: IndicatorIn | None = Field(
        default=None,
        description="Mean attitude score toward 'the enemy' of the period's measurements, "
        f"0..1 (standard 12). {COMPUTED_NOTE}",
    )


class EvaluationCreate(Strict):
    engagement_id: Id = Field(description="An engagement known to the digest.")
    period_start: Day = Field(examples=["2025-01-01"])
    period_end: Day = Field(description="On or after period_start.", examples=["2025-12-31"])
    evaluated_by: Annotated[Name, Personal] = Field(
        description=EVALUATED_BY, examples=["external evaluation team"]
    )
    dac: DacIn
    procedures: dict[Code, ProcedureIn] = Field(
        max_length=200,
        json_schema_extra=every_key_matches,
        description="One rating per active standard procedure of the reference data, by code.",
        examples=[{"invitation": {"rating": "met", "evidence": "Letter on file."}}],
    )
    rpp_effectiveness: dict[RppCriterion, RppIn] | None = Field(
        default=None, description="CDA's criteria of effectiveness, any of the five."
    )
    indicators: IndicatorsIn
    baseline_analysis_version: Version | None = Field(
        default=None, description="A conflict-analysis version known to the digest."
    )

    def draft(self) -> EvaluationDraft:
        return EvaluationDraft(
            engagement_id=self.engagement_id,
            period_start=self.period_start,
            period_end=self.period_end,
            evaluated_by=self.evaluated_by,
            dac={DacCriterion(name): DacScore(s.score, s.narrative) for name, s in self.dac},
            procedures={
                code: ProcedureAdherence(p.rating, p.evidence)
                for code, p in self.procedures.items()
            },
            indicators={
                Indicator(name): IndicatorValue(i.value, i.note)
                for name, i in self.indicators
                if i is not None
            },
            rpp_effectiveness=(
                {c: RppFinding(r.met, r.note) for c, r in self.rpp_effectiveness.items()}
                if self.rpp_effectiveness is not None
                else None
            ),
            baseline_analysis_version=self.baseline_analysis_version,
        )


class DacScoreOut(BaseModel):
    score: int
    narrative: Annotated[str | None, MayNamePeople] = Field(description=NARRATIVE)


class ProcedureOut(BaseModel):
    rating: ProcedureRating
    evidence: Annotated[str | None, MayNamePeople] = Field(description=EVIDENCE)


class RppOut(BaseModel):
    met: bool
    note: Annotated[str | None, MayNamePeople] = Field(description=NOTE)


class IndicatorOut(BaseModel):
    value: float | None
    note: Annotated[str | None, MayNamePeople] = Field(description=NOTE)


class EvidenceOut(BaseModel):
    period: FiguresOut
    quarters: list[QuarterOut]

    @classmethod
    def of(cls, evidence: Evidence) -> EvidenceOut:
        return cls(
            period=FiguresOut.of(evidence.period),
            quarters=[QuarterOut.of_quarter(q) for q in evidence.quarters],
        )


class EvaluationPublic(BaseModel):
    id: str
    engagement_id: str
    owner_org: str = Field(description="The engagement's owner, which the evaluation inherits.")
    visibility: str = Field(description="The engagement's visibility, which it inherits too.")
    period_start: date
    period_end: date
    evaluated_by: Annotated[str | None, Personal] = Field(description=EVALUATED_BY)
    dac: dict[DacCriterion, DacScoreOut]
    procedures: dict[str, ProcedureOut]
    rpp_effectiveness: dict[RppCriterion, RppOut] | None
    indicators: dict[Indicator, IndicatorOut]
    baseline_analysis_version: int | None
    completed_at: datetime
    evidence: EvidenceOut | None = Field(
        description="What the records say of the period, whence the indicators of standards "
        "10 to 12 come: over the period and quarter by quarter. Null for evaluations completed "
        "before these indicators were computed."
    )

    @classmethod
    def of(cls, e: Evaluation, caller: Principal) -> EvaluationPublic:
        return seen_by(caller, e.owner_org, cls._of(e))

    @classmethod
    def _of(cls, e: Evaluation) -> EvaluationPublic:
        return cls(
            id=e.id,
            engagement_id=e.engagement_id,
            owner_org=e.owner_org,
            visibility=e.visibility,
            period_start=e.period_start,
            period_end=e.period_end,
            evaluated_by=e.evaluated_by,
            dac={c: DacScoreOut(score=s.score, narrative=s.narrative) for c, s in e.dac.items()},
            procedures={
                code: ProcedureOut(rating=p.rating, evidence=p.evidence)
                for code, p in e.procedures.items()
            },
            rpp_effectiveness=(
                {c: RppOut(met=f.met, note=f.note) for c, f in e.rpp_effectiveness.items()}
                if e.rpp_effectiveness is not None
                else None
            ),
            indicators={
                i: IndicatorOut(value=v.value, note=v.note) for i, v in e.indicators.items()
            },
            baseline_analysis_version=e.baseline_analysis_version,
            completed_at=e.completed_at,
            evidence=EvidenceOut.of(e.evidence) if e.evidence else None,
        )
