"""The evaluation of an engagement over a period (standard procedure 9, continued evaluation).

It scores the six OECD-DAC criteria, rates adherence to every standard procedure the
consortium currently uses, may record CDA's criteria of effectiveness, reports the
indicators of procedures 4 and 10 to 12 (those of 10 to 12 computed from the records, with
their trends quarter by quarter: ``domain.trends``) and names the conflict-analysis version
it takes as its baseline. What it is checked against (the engagement, its analyses, the
active procedures) comes from the digest and the reference data, in an ``EvaluationFrame``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from multitrack_evaluation.domain.trends import Figures, QuarterFigures
from multitrack_shared.errors import DomainError
from multitrack_shared.events.vocabulary import DacCriterion
from multitrack_shared.times import latest_today, utc
from multitrack_shared.versioning import FIRST_VERSION

SCORE_MIN, SCORE_MAX = 1, 4


class ProcedureRating(StrEnum):
    met = "met"
    partly = "partly"
    not_ = "not"


class RppCriterion(StrEnum):
    """CDA, Reflecting on Peace Practice: the five criteria of effectiveness."""

    own_peace_initiatives = "own_peace_initiatives"
    resist_violence = "resist_violence"
    security_and_sense_of_security = "security_and_sense_of_security"
    meaningful_improvement_in_relations = "meaningful_improvement_in_relations"
    grievances_addressed = "grievances_addressed"


RPP_CRITERIA: tuple[RppCriterion, ...] = tuple(RppCriterion)


class Indicator(StrEnum):
    """Standard procedures 4 and 10 to 12, as measures between 0 and 1."""

    trust = "trust"
    responsibility = "responsibility"  # share of participants using the skills they gained
    empowerment = "empowerment"  # share of activities designed and led by local people
    transformation = "transformation"  # attitudes toward "the enemy", 0..1


COMPUTED: dict[Indicator, str] = {
    Indicator.responsibility: "share of former participants reached by the period's "
    "follow-ups who use the skills they gained",
    Indicator.empowerment: "share of the period's activities designed and led by local people",
    Indicator.transformation: "mean attitude score of the period's measurements, side by side",
}
"""Indicators computed from the records (``domain.trends``), never typed in: what each is."""


@dataclass(frozen=True)
class DacScore:
    score: int
    narrative: str


@dataclass(frozen=True)
class ProcedureAdherence:
    rating: ProcedureRating
    evidence: str


@dataclass(frozen=True)
class RppFinding:
    met: bool
    note: str | None = None


@dataclass(frozen=True)
class IndicatorValue:
    value: float | None
    note: str | None = None


@dataclass(frozen=True)
class EvaluationFrame:
    """What the digest and the reference data know when the evaluation is completed."""

    engagement_known: bool
    owner_org: str = ""
    visibility: str = "consortium"
    analysis_versions: frozenset[int] = frozenset()
    active_procedures: tuple[str, ...] = ()
    evidence: Evidence | None = None
    """What the records say of the period, from which the computed indicators come."""
    life: EngagementLife | None = None
    """The days the engagement has lived, which the period falls within."""


@dataclass(frozen=True)
class EngagementLife:
    """From its first day to its closure, or to today (the latest local day on Earth): an
    evaluation looks back on days the engagement lived."""

    start: date
    last: date

    @classmethod
    def of(cls, start: date, closed_at: datetime | None, now: datetime) -> EngagementLife:
        today = latest_today(now)
        return cls(start, min(utc(closed_at).date(), today) if closed_at else today)


@dataclass(frozen=True)
class Evidence:
    """The records' figures over the evaluated period, and quarter by quarter within it."""

    period: Figures
    quarters: list[QuarterFigures]


@dataclass(frozen=True)
class EvaluationDraft:
    engagement_id: str
    period_start: date
    period_end: date
    evaluated_by: str
    dac: dict[DacCriterion, DacScore]
    procedures: dict[str, ProcedureAdherence]
    indicators: dict[Indicator, IndicatorValue]
    rpp_effectiveness: dict[RppCriterion, RppFinding] | None = None
    baseline_analysis_version: int | None = None


@dataclass(frozen=True)
class Evaluation:
    id: str
    engagement_id: str
    owner_org: str
    visibility: str
    period_start: date
    period_end: date
    evaluated_by: str
    dac: dict[DacCriterion, DacScore]
    procedures: dict[str, ProcedureAdherence]
    indicators: dict[Indicator, IndicatorValue]
    rpp_effectiveness: dict[RppCriterion, RppFinding] | None
    baseline_analysis_version: int | None
    completed_at: datetime
    version: int = field(default=FIRST_VERSION, compare=False)
    evidence: Evidence | None = None
    """None for evaluations completed before the indicators were computed from records."""

    @classmethod
    def complete(
        cls, draft: EvaluationDraft, frame: EvaluationFrame, *, id: str, at: datetime
    ) -> Evaluation:
        """Check the draft against every rule; the first broken one is raised."""
        _check_engagement(draft, frame)
        _check_period(draft, frame.life)
        _check_dac(draft)
        _check_procedures(draft, frame)
        _check_rpp(draft)
        _check_indicators(draft)
        _check_baseline(draft, frame)
        return cls(
            id=id,
            engagement_id=draft.engagement_id,
            owner_org=frame.owner_org,
            visibility=frame.visibility,
            period_start=draft.period_start,
            period_end=draft.period_end,
            evaluated_by=draft.evaluated_by,
            dac=dict(draft.dac),
            procedures=dict(draft.procedures),
            indicators=_with_computed(draft.indicators, frame.evidence),
            rpp_effectiveness=dict(draft.rpp_effectiveness) if draft.rpp_effectiveness else None,
            baseline_analysis_version=draft.baseline_analysis_version,
            completed_at=at,
            evidence=frame.evidence,
        )


def _check_engagement(draft: EvaluationDraft, frame: EvaluationFrame) -> None:
    if not frame.engagement_known:
        raise DomainError(
            f"no engagement {draft.engagement_id} is known to evaluation",
            field="engagement_id",
            code="unknown_engagement",
        )


def _check_period(draft: EvaluationDraft, life: EngagementLife | None) -> None:
    if draft.period_end < draft.period_start:
        raise DomainError(
            "the period cannot end before it starts", field="period_end", code="period_reversed"
        )
    if life is None:
        return
    if draft.period_start < life.start:
        raise DomainError(
            f"the period starts before the engagement began ({life.start})",
            field="period_start",
            code="before_engagement",
        )
    if draft.period_end > life.last:
        raise DomainError(
            f"the period ends after {life.last}, the last day the engagement has lived "
            "(its closure, or today)",
            field="period_end",
            code="after_engagement",
        )


def _check_dac(draft: EvaluationDraft) -> None:
    for criterion in DacCriterion:
        given = draft.dac.get(criterion)
        if given is None:
            raise DomainError(
                f"every OECD-DAC criterion is scored; {criterion.value} is missing",
                field=f"dac.{criterion.value}",
                code="criterion_missing",
            )
        if not SCORE_MIN <= given.score <= SCORE_MAX:
            raise DomainError(
                f"scores run from {SCORE_MIN} to {SCORE_MAX}",
                field=f"dac.{criterion.value}.score",
                code="score_out_of_range",
            )


def _check_procedures(draft: EvaluationDraft, frame: EvaluationFrame) -> None:
    unknown = sorted(set(draft.procedures) - set(frame.active_procedures))
    if unknown:
        raise DomainError(
            f"not a standard procedure in use: {', '.join(unknown)}",
            field=f"procedures.{unknown[0]}",
            code="unknown_procedure",
        )
    missing = [code for code in frame.active_procedures if code not in draft.procedures]
    if missing:
        raise DomainError(
            f"adherence is rated for every standard procedure in use; missing: "
            f"{', '.join(missing)}",
            field=f"procedures.{missing[0]}",
            code="procedure_missing",
        )


def _check_rpp(draft: EvaluationDraft) -> None:
    for code in draft.rpp_effectiveness or {}:
        if code not in RPP_CRITERIA:
            raise DomainError(
                f"{code} is not one of the RPP criteria of effectiveness",
                field=f"rpp_effectiveness.{code}",
                code="unknown_criterion",
            )


def _check_indicators(draft: EvaluationDraft) -> None:
    for indicator in Indicator:
        given = draft.indicators.get(indicator)
        if given is None:
            if indicator in COMPUTED:
                continue
            raise DomainError(
                f"the {indicator.value} indicator is missing",
                field=f"indicators.{indicator.value}",
                code="indicator_missing",
            )
        if given.value is not None and indicator in COMPUTED:
            raise DomainError(
                f"the {indicator.value} indicator is computed from the records "
                f"({COMPUTED[indicator]}), not typed in; a note may accompany it",
                field=f"indicators.{indicator.value}.value",
                code="indicator_computed",
            )
        if given.value is not None and not 0 <= given.value <= 1:
            raise DomainError(
                "an indicator is a share between 0 and 1",
                field=f"indicators.{indicator.value}.value",
                code="indicator_out_of_range",
            )


def _check_baseline(draft: EvaluationDraft, frame: EvaluationFrame) -> None:
    version = draft.baseline_analysis_version
    if version is not None and version not in frame.analysis_versions:
        known = ", ".join(str(v) for v in sorted(frame.analysis_versions)) or "none"
        raise DomainError(
            f"conflict-analysis version {version} is not known for this engagement "
            f"(known: {known})",
            field="baseline_analysis_version",
            code="unknown_analysis_version",
        )


def _with_computed(
    given: dict[Indicator, IndicatorValue], evidence: Evidence | None
) -> dict[Indicator, IndicatorValue]:
    """The evaluator's indicators, with those of ``COMPUTED`` taken from the evidence (null
    where the period holds no record of the kind); the evaluator's note on them is kept."""
    period = evidence.period if evidence else None
    values = {
        Indicator.responsibility: period.skills_share if period else None,
        Indicator.empowerment: period.empowerment if period else None,
        Indicator.transformation: period.transformation if period else None,
    }
    computed = {
        indicator: IndicatorValue(
            values[indicator],
            (given[indicator].note if indicator in given else None)
            or f"computed: {COMPUTED[indicator]}",
        )
        for indicator in COMPUTED
    }
    return {**given, **computed}
