"""The rules of an evaluation, checked without I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from multitrack_evaluation.domain.evaluations import (
    COMPUTED,
    RPP_CRITERIA,
    DacScore,
    EngagementLife,
    Evaluation,
    EvaluationDraft,
    EvaluationFrame,
    Evidence,
    Indicator,
    IndicatorValue,
    ProcedureAdherence,
    ProcedureRating,
    RppCriterion,
    RppFinding,
)
from multitrack_evaluation.domain.facts import Activity, AttitudeReading, FollowUp
from multitrack_evaluation.domain.trends import figures
from multitrack_shared.errors import DomainError
from multitrack_shared.events.vocabulary import DacCriterion
from multitrack_shared.reference import STANDARD_PROCEDURES

PROCEDURES = tuple(p.code for p in STANDARD_PROCEDURES)
AT = datetime(2025, 3, 1, tzinfo=UTC)
FRAME = EvaluationFrame(
    engagement_known=True,
    owner_org="imtd",
    analysis_versions=frozenset({1, 2}),
    active_procedures=PROCEDURES,
)


def a_draft(**changes: Any) -> EvaluationDraft:
    draft = EvaluationDraft(
        engagement_id="eng-1",
        period_start=date(2024, 3, 1),
        period_end=date(2025, 2, 28),
        evaluated_by="evaluators",
        dac={c: DacScore(3, "good") for c in DacCriterion},
        procedures={code: ProcedureAdherence(ProcedureRating.met, "notes") for code in PROCEDURES},
        indicators={Indicator.trust: IndicatorValue(0.5)},
        rpp_effectiveness={RppCriterion.resist_violence: RppFinding(met=True)},
        baseline_analysis_version=2,
    )
    return replace(draft, **changes)


def broken(draft: EvaluationDraft, frame: EvaluationFrame = FRAME) -> DomainError:
    with pytest.raises(DomainError) as caught:
        Evaluation.complete(draft, frame, id="ev-1", at=AT)
    return caught.value


def test_a_complete_draft_becomes_an_evaluation_owned_like_its_engagement() -> None:
    evaluation = Evaluation.complete(a_draft(), FRAME, id="ev-1", at=AT)

    assert (evaluation.id, evaluation.owner_org, evaluation.completed_at) == ("ev-1", "imtd", AT)
    assert evaluation.procedures == a_draft().procedures


def test_cdas_five_criteria_of_effectiveness_are_a_constant() -> None:
    assert [c.value for c in RPP_CRITERIA] == [
        "own_peace_initiatives",
        "resist_violence",
        "security_and_sense_of_security",
        "meaningful_improvement_in_relations",
        "grievances_addressed",
    ]


def test_an_engagement_unknown_to_the_digest_cannot_be_evaluated() -> None:
    error = broken(a_draft(), EvaluationFrame(engagement_known=False))

    assert (error.field, error.code) == ("engagement_id", "unknown_engagement")


def test_a_period_cannot_end_before_it_starts_but_may_be_one_day() -> None:
    error = broken(a_draft(period_end=date(2024, 2, 29)))
    one_day = a_draft(period_end=date(2024, 3, 1))

    assert (error.field, error.code) == ("period_end", "period_reversed")
    assert Evaluation.complete(one_day, FRAME, id="x", at=AT).period_end == date(2024, 3, 1)


LIFE = EngagementLife.of(date(2024, 3, 1), None, AT)
"""Opened on 1 March 2024, evaluated on 1 March 2025."""


@pytest.mark.parametrize(
    ("changes", "life", "field", "code"),
    [
        pytest.param(
            {"period_start": date(2024, 2, 29)}, LIFE, "period_start", "before_engagement",
            id="before-the-start",
        ),
        pytest.param(
            {"period_end": date(2025, 3, 3)}, LIFE, "period_end", "after_engagement",
            id="in-the-future",
        ),
        pytest.param(
            {},
            EngagementLife.of(date(2024, 3, 1), datetime(2025, 1, 31, tzinfo=UTC), AT),
            "period_end",
            "after_engagement",
            id="after-its-closure",
        ),
    ],
)  # fmt: skip
def test_a_period_outside_the_engagements_life_is_refused(
    changes: dict[str, Any], life: EngagementLife, field: str, code: str
) -> None:
    error = broken(a_draft(**changes), replace(FRAME, life=life))

    assert (error.field, error.code) == (field, code)


def test_a_period_may_run_from_the_first_day_to_today_anywhere() -> None:
    frame = replace(FRAME, life=LIFE)
    draft = a_draft(period_end=date(2025, 3, 1))

    assert Evaluation.complete(draft, frame, id="x", at=AT).period_end == date(2025, 3, 1)


@pytest.mark.parametrize("criterion", list(DacCriterion))
def test_each_dac_criterion_is_required(criterion: DacCriterion) -> None:
    dac = {c: s for c, s in a_draft().dac.items() if c != criterion}

    assert broken(a_draft(dac=dac)).field == f"dac.{criterion.value}"


@pytest.mark.parametrize("score", [0, 5])
def test_dac_scores_run_from_one_to_four(score: int) -> None:
    dac = {**a_draft().dac, DacCriterion.impact: DacScore(score, "x")}

    assert broken(a_draft(dac=dac)).field == "dac.impact.score"


@pytest.mark.parametrize("code", PROCEDURES)
def test_every_active_procedure_is_required(code: str) -> None:
    procedures = {k: v for k, v in a_draft().procedures.items() if k != code}

    error = broken(a_draft(procedures=procedures))

    assert (error.field, error.code) == (f"procedures.{code}", "procedure_missing")


def test_a_procedure_no_longer_active_is_neither_required_nor_accepted() -> None:
    frame = replace(FRAME, active_procedures=tuple(c for c in PROCEDURES if c != "engagement"))
    without = {k: v for k, v in a_draft().procedures.items() if k != "engagement"}

    error = broken(a_draft(), frame)

    assert (error.field, error.code) == ("procedures.engagement", "unknown_procedure")
    assert Evaluation.complete(a_draft(procedures=without), frame, id="x", at=AT)


def test_an_rpp_code_outside_the_five_is_refused() -> None:
    draft = a_draft(rpp_effectiveness={"peace_dividend": RppFinding(met=True)})

    assert broken(draft).field == "rpp_effectiveness.peace_dividend"


def test_rpp_effectiveness_is_optional() -> None:
    evaluation = Evaluation.complete(a_draft(rpp_effectiveness=None), FRAME, id="x", at=AT)

    assert evaluation.rpp_effectiveness is None


def test_the_trust_indicator_is_required() -> None:
    assert broken(a_draft(indicators={})).field == "indicators.trust"


@pytest.mark.parametrize("indicator", list(COMPUTED))
def test_an_indicator_computed_from_the_records_cannot_be_typed_in(indicator: Indicator) -> None:
    indicators = {**a_draft().indicators, indicator: IndicatorValue(0.5, "our estimate")}

    error = broken(a_draft(indicators=indicators))

    assert (error.field, error.code) == (
        f"indicators.{indicator.value}.value",
        "indicator_computed",
    )


def test_an_indicator_is_a_share_between_zero_and_one() -> None:
    indicators = {**a_draft().indicators, Indicator.trust: IndicatorValue(1.2)}

    assert broken(a_draft(indicators=indicators)).field == "indicators.trust.value"


def test_the_baseline_must_be_an_analysis_version_the_digest_knows() -> None:
    error = broken(a_draft(baseline_analysis_version=3))
    no_baseline = a_draft(baseline_analysis_version=None)

    assert (error.field, error.code) == ("baseline_analysis_version", "unknown_analysis_version")
    assert Evaluation.complete(no_baseline, FRAME, id="x", at=AT).baseline_analysis_version is None


def test_the_computed_indicators_come_from_the_periods_evidence_with_the_evaluators_note() -> None:
    period = figures(
        [an_activity(True, True), an_activity(True, False), an_activity(False, None)],
        [FollowUp("f-1", date(2024, 9, 1), 10, 4), FollowUp("f-2", date(2024, 12, 1), 10, 8)],
        [reading("A", 0.4, 10), reading("A", 0.7, 20), reading("B", 0.5, 5)],
    )
    noted = {**a_draft().indicators, Indicator.empowerment: IndicatorValue(None, "field notes")}
    frame = replace(FRAME, evidence=Evidence(period, []))

    done = Evaluation.complete(a_draft(indicators=noted), frame, id="x", at=AT)
    nothing = Evaluation.complete(
        a_draft(), replace(FRAME, evidence=Evidence(figures([], [], []), [])), id="x", at=AT
    )

    assert done.indicators[Indicator.empowerment] == IndicatorValue(0.333, "field notes")
    assert done.indicators[Indicator.responsibility].value == 0.6
    assert done.indicators[Indicator.transformation].value == 0.55  # (0.6 + 0.5) / 2
    assert done.indicators[Indicator.trust] == IndicatorValue(0.5)
    assert done.evidence == Evidence(period, [])
    assert {i: v.value for i, v in nothing.indicators.items() if i in COMPUTED} == dict.fromkeys(
        COMPUTED
    )
    assert all(v.note for v in nothing.indicators.values() if v.value is None)


def an_activity(led: bool, designed: bool | None) -> Activity:
    return Activity(
        activity_id=f"a-{led}-{designed}",
        kind="dialogue",
        held_on=date(2024, 6, 1),
        tracks=[4],
        peacebuilding_kind="social",
        rpp_quadrant="more_people_individual",
        methods=[],
        local_facilitators=int(led),
        external_facilitators=int(not led),
        led_locally=led,
        participants=[],
        designed_locally=designed,
    )


def reading(side: str, score: float, respondents: int) -> AttitudeReading:
    return AttitudeReading(
        f"m-{side}-{score}", "acceptance", side, date(2024, 7, 1), respondents, score
    )
