"""What the evaluation unit tests start from: the clock, the callers, an engagement of org-a
known from its events, a complete evaluation draft."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from multitrack_evaluation.application.projections import (
    on_activity_recorded,
    on_analysis_recorded,
    on_engagement_opened,
)
from multitrack_evaluation.domain.evaluations import (
    DacScore,
    EvaluationDraft,
    Indicator,
    IndicatorValue,
    ProcedureAdherence,
    ProcedureRating,
)
from multitrack_shared.auth.principal import PrincipalKind, Role
from multitrack_shared.events import engagements as eng
from multitrack_shared.events.vocabulary import DacCriterion, RppQuadrant
from multitrack_shared.reference import STANDARD_PROCEDURES
from multitrack_shared.testing.principals import acting_for

from ..conftest import ENGAGEMENT, analysis, opened
from ..fakes import FakeEvaluationUnitOfWork

NOW = datetime(2025, 3, 10, 15, 0, tzinfo=UTC)
PROCEDURES = tuple(p.code for p in STANDARD_PROCEDURES)

EVALUATOR = acting_for("org-a", Role.evaluator)
"""The evaluator of org-a, which owns the engagement of the samples."""
COORDINATOR = acting_for("org-a", Role.coordinator)
PARTNER_SYSTEM = acting_for("org-a", Role.partner_system)
OTHER_EVALUATOR = acting_for("org-b", Role.evaluator)
ADMIN = acting_for(None, Role.consortium_admin)
OBSERVER = acting_for(None, Role.observer, kind=PrincipalKind.person)


def clock() -> datetime:
    return NOW


def an_activity(activity_id: str, held_on: date, led_locally: bool) -> eng.ActivityRecordedV2:
    return eng.ActivityRecordedV2(
        engagement_id=ENGAGEMENT,
        activity_id=activity_id,
        kind="dialogue",
        held_on=held_on,
        tracks=[4, 7],
        peacebuilding_kind="social",
        rpp_quadrant=RppQuadrant.more_people_individual,
        methods=[eng.Method(name="Palabreo", origin="local")],
        local_facilitators=1,
        external_facilitators=0,
        led_locally=led_locally,
        participants=[
            eng.ParticipantCount(sex="female", role="participant", track=4, count=12),
            eng.ParticipantCount(sex="male", role="participant", track=4, count=8),
        ],
    )


def a_follow_up(follow_up_id: str, held_on: date, reached: int, using: int) -> eng.FollowUpRecorded:
    return eng.FollowUpRecorded(
        engagement_id=ENGAGEMENT,
        follow_up_id=follow_up_id,
        held_on=held_on,
        participants_reached=reached,
        using_skills=using,
        after_closure=False,
        recorded_at=NOW,
        training_id="a-1",
        months_after=3,
    )


async def knowing_the_engagement() -> FakeEvaluationUnitOfWork:
    """Evaluation knows eng-1 from its opening, analyses 1 and 2, and two activities of
    2024, one led locally: the read models as those events left them, nothing committed."""
    uow = FakeEvaluationUnitOfWork()
    await on_engagement_opened(opened(), uow)
    await on_analysis_recorded(analysis(1), uow)
    await on_analysis_recorded(analysis(2), uow)
    await on_activity_recorded(an_activity("a-1", date(2024, 5, 2), True), uow)
    await on_activity_recorded(an_activity("a-2", date(2024, 9, 9), False), uow)
    return uow


def a_draft(**changes: Any) -> EvaluationDraft:
    draft = EvaluationDraft(
        engagement_id=ENGAGEMENT,
        period_start=date(2024, 3, 1),
        period_end=date(2025, 2, 28),
        evaluated_by="evaluators",
        dac={c: DacScore(3, "good") for c in DacCriterion},
        procedures={code: ProcedureAdherence(ProcedureRating.met, "notes") for code in PROCEDURES},
        indicators={Indicator.trust: IndicatorValue(0.5)},
        baseline_analysis_version=2,
    )
    return replace(draft, **changes)
