"""Completing an evaluation on in-memory fakes: checked against the digest and the reference
data of the same unit, published with its scores, and refused without trace when it breaks a
rule or the caller is not an evaluator of the engagement's owner."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from multitrack_evaluation.application.evaluations import (
    complete_evaluation,
    get_evaluation,
    search_evaluations,
)
from multitrack_evaluation.application.ports import EvaluationFilter
from multitrack_evaluation.application.projections import (
    on_engagement_opened,
    on_follow_up_recorded,
)
from multitrack_evaluation.domain.evaluations import (
    Indicator,
    IndicatorValue,
    ProcedureAdherence,
    ProcedureRating,
)
from multitrack_evaluation.domain.reference import ReferenceKind
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import DomainError, Forbidden, NotFound
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.evaluation import EvaluationCompleted
from multitrack_shared.events.vocabulary import DacCriterion

from ..conftest import opened
from .samples import (
    ADMIN,
    COORDINATOR,
    EVALUATOR,
    NOW,
    OBSERVER,
    OTHER_EVALUATOR,
    PARTNER_SYSTEM,
    PROCEDURES,
    a_draft,
    a_follow_up,
    clock,
    knowing_the_engagement,
)

pytestmark = pytest.mark.unit


async def test_a_complete_evaluation_is_kept_published_and_part_of_the_digest_at_once() -> None:
    uow = await knowing_the_engagement()

    evaluation = await complete_evaluation(a_draft(), EVALUATOR, uow, clock)

    assert await uow.evaluations.get(evaluation.id) == evaluation
    assert (evaluation.owner_org, evaluation.completed_at) == ("org-a", NOW)
    assert uow.published == [
        EvaluationCompleted(
            evaluation_id=evaluation.id,
            engagement_id="eng-1",
            period_start=date(2024, 3, 1),
            period_end=date(2025, 2, 28),
            dac_scores=dict.fromkeys(DacCriterion, 3),
            procedure_adherence=dict.fromkeys(PROCEDURES, "met"),
            baseline_analysis_version=2,
            completed_at=NOW,
        )
    ]
    record = await uow.digests.record("eng-1")
    assert record is not None
    assert [e.evaluation_id for e in record.evaluations] == [evaluation.id]


async def test_the_computed_indicators_come_from_the_periods_records_and_are_kept() -> None:
    uow = await knowing_the_engagement()
    await on_follow_up_recorded(a_follow_up("f-1", date(2024, 10, 1), 10, 4), uow)
    await on_follow_up_recorded(a_follow_up("f-2", date(2025, 6, 1), 10, 10), uow)  # after

    evaluation = await complete_evaluation(a_draft(), EVALUATOR, uow, clock)

    assert evaluation.indicators[Indicator.empowerment].value == 0.5
    assert evaluation.indicators[Indicator.responsibility].value == 0.4
    assert evaluation.indicators[Indicator.transformation].value is None
    assert evaluation.evidence is not None
    assert [q.quarter for q in evaluation.evidence.quarters] == ["2024-Q2", "2024-Q3", "2024-Q4"]
    kept = await uow.evaluations.get(evaluation.id)
    assert kept is not None
    assert kept.evidence == evaluation.evidence


async def test_a_computed_indicator_typed_in_is_refused_without_trace() -> None:
    uow = await knowing_the_engagement()
    typed = {Indicator.trust: IndicatorValue(0.5), Indicator.empowerment: IndicatorValue(0.9)}

    with pytest.raises(DomainError) as refused:
        await complete_evaluation(a_draft(indicators=typed), EVALUATOR, uow, clock)

    assert refused.value.code == "indicator_computed"
    assert uow.nothing_committed


async def test_a_procedure_switched_off_is_no_longer_rated() -> None:
    uow = await knowing_the_engagement()
    first = PROCEDURES[0]
    entry = await uow.reference.get(ReferenceKind.standard_procedure, first)
    assert entry is not None
    await uow.reference.save(replace(entry, active=False))
    rated = {code: ProcedureAdherence(ProcedureRating.met, "n") for code in PROCEDURES[1:]}

    evaluation = await complete_evaluation(a_draft(procedures=rated), EVALUATOR, uow, clock)

    assert first not in evaluation.procedures
    assert len(uow.published) == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        pytest.param({"engagement_id": "eng-9"}, "unknown_engagement", id="unknown-engagement"),
        pytest.param({"baseline_analysis_version": 3}, "unknown_analysis_version", id="baseline"),
        pytest.param({"period_end": date(2024, 2, 1)}, "period_reversed", id="period"),
        pytest.param(
            {"procedures": {"made_up": ProcedureAdherence(ProcedureRating.met, "n")}},
            "unknown_procedure",
            id="procedure",
        ),
    ],
)
async def test_a_refused_evaluation_is_neither_kept_nor_published(
    changes: dict[str, Any], code: str
) -> None:
    uow = await knowing_the_engagement()

    with pytest.raises(DomainError) as refused:
        await complete_evaluation(a_draft(**changes), EVALUATOR, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert len(uow.evaluations.evaluations) == 0


async def test_an_evaluation_is_read_by_its_id_and_an_unknown_one_is_not_found() -> None:
    uow = await knowing_the_engagement()
    evaluation = await complete_evaluation(a_draft(), EVALUATOR, uow, clock)

    assert await get_evaluation(evaluation.id, EVALUATOR, uow) == evaluation
    with pytest.raises(NotFound) as refused:
        await get_evaluation("ev-9", EVALUATOR, uow)
    assert refused.value.field == "evaluation_id"


async def test_evaluations_are_searched_by_engagement_latest_first() -> None:
    uow = await knowing_the_engagement()
    first = await complete_evaluation(a_draft(), EVALUATOR, uow, clock)
    second = await complete_evaluation(a_draft(), EVALUATOR, uow, lambda: NOW.replace(year=2026))

    found = await search_evaluations(EvaluationFilter(engagement_id="eng-1"), EVALUATOR, uow)
    elsewhere = await search_evaluations(EvaluationFilter(engagement_id="eng-9"), EVALUATOR, uow)

    assert [e.id for e in found] == [second.id, first.id]
    assert elsewhere == []


@pytest.mark.parametrize(
    ("caller", "code"),
    [
        pytest.param(COORDINATOR, "role_required", id="coordinator"),
        pytest.param(PARTNER_SYSTEM, "role_required", id="partner-system"),
        pytest.param(ADMIN, "role_required", id="consortium-admin"),
        pytest.param(OBSERVER, "role_required", id="observer"),
        pytest.param(OTHER_EVALUATOR, "not_owner", id="other-organization"),
    ],
)
async def test_only_an_evaluator_of_the_engagements_owner_completes_an_evaluation(
    caller: Principal, code: str
) -> None:
    uow = await knowing_the_engagement()

    with pytest.raises(Forbidden) as refused:
        await complete_evaluation(a_draft(), caller, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert len(uow.evaluations.evaluations) == 0


async def test_an_owner_only_engagement_of_another_organization_is_unknown_to_its_evaluators() -> (
    None
):
    uow = await knowing_the_engagement()
    private = Ownership(owner_org="org-b", visibility=Visibility.owner)
    await on_engagement_opened(opened("eng-b", ownership=private), uow)
    draft = a_draft(engagement_id="eng-b", baseline_analysis_version=None)

    with pytest.raises(DomainError) as hidden:
        await complete_evaluation(draft, EVALUATOR, uow, clock)
    with pytest.raises(DomainError) as missing:
        await complete_evaluation(replace(draft, engagement_id="eng-9"), EVALUATOR, uow, clock)

    assert (hidden.value.code, hidden.value.field) == ("unknown_engagement", "engagement_id")
    assert hidden.value.message == missing.value.message.replace("eng-9", "eng-b")
    assert uow.nothing_committed


async def test_an_evaluation_is_seen_as_its_engagement_is() -> None:
    uow = await knowing_the_engagement()
    private = Ownership(owner_org="org-a", visibility=Visibility.owner)
    await on_engagement_opened(opened("eng-private", ownership=private), uow)
    shared = await complete_evaluation(a_draft(), EVALUATOR, uow, clock)
    draft = a_draft(engagement_id="eng-private", baseline_analysis_version=None)
    hidden = await complete_evaluation(draft, EVALUATOR, uow, clock)

    assert hidden.visibility == "owner"
    for stranger in (OTHER_EVALUATOR, ADMIN, OBSERVER):
        with pytest.raises(NotFound):
            await get_evaluation(hidden.id, stranger, uow)
        assert await get_evaluation(shared.id, stranger, uow) == shared
        found = await search_evaluations(EvaluationFilter(), stranger, uow)
        assert [e.id for e in found] == [shared.id]
    assert len(await search_evaluations(EvaluationFilter(), PARTNER_SYSTEM, uow)) == 2
