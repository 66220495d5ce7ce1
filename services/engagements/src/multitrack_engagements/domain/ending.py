"""Ending well: an engagement that commits for longer, plans its exit before it closes, closes
on a final evaluation (or says why there is none), and keeps following its participants up.

Standard procedure 2 commits for five years "or as long as participants desire our
involvement": a commitment may be extended, never shortened. Standard 9 (action research)
asks for continued evaluation, so the last one is done once closing began; standard 10
(responsibility) asks whether participants use the skills they gained, which only follow-ups
after the work ends can tell.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from multitrack_shared.errors import Conflict, DomainError


@dataclass(frozen=True)
class ExitPlan:
    handover: str
    """What is handed over, and to whom: local partners, institutions (may name people)."""
    planned_end_on: date
    follow_up_until: date
    """Until when former participants are followed up, on or after the planned end."""
    planned_at: datetime


@dataclass(frozen=True)
class Extension:
    previous_until: date
    committed_until: date
    at: datetime


@dataclass(frozen=True)
class Closure:
    """How the engagement closed: on its final evaluation, or with the reason there is none."""

    final_evaluation_id: str | None
    no_final_evaluation_reason: str | None = None


@dataclass(frozen=True)
class FollowUpTally:
    """Follow-ups counted on the engagement, so that every read shows them."""

    recorded: int = 0
    after_closure: int = 0
    participants_reached: int = 0
    using_skills: int = 0

    def counting(self, reached: int, using: int, *, after_closure: bool) -> FollowUpTally:
        return FollowUpTally(
            recorded=self.recorded + 1,
            after_closure=self.after_closure + after_closure,
            participants_reached=self.participants_reached + reached,
            using_skills=self.using_skills + using,
        )


@dataclass(frozen=True)
class Ending:
    exit_plan: ExitPlan | None = None
    extensions: tuple[Extension, ...] = ()
    closure: Closure | None = None
    follow_ups: FollowUpTally = FollowUpTally()

    def extended(self, extension: Extension) -> Ending:
        return replace(self, extensions=(*self.extensions, extension))


def extension(committed_until: date, until: date, at: datetime) -> Extension:
    """An extension to ``until``, which must be later than the commitment's end now."""
    if until <= committed_until:
        raise DomainError(
            f"an extension ends later than the commitment does now ({committed_until}); "
            "a commitment is never shortened",
            field="committed_until",
            code="extension_not_later",
        )
    return Extension(committed_until, until, at)


def exit_plan(plan: ExitPlan, *, start: date) -> ExitPlan:
    """``plan``, if its dates make sense: the end within the engagement, follow-ups after it."""
    if plan.planned_end_on < start:
        raise DomainError(
            f"the planned end {plan.planned_end_on} is before the engagement began ({start})",
            field="planned_end_on",
            code="before_engagement",
        )
    if plan.follow_up_until < plan.planned_end_on:
        raise DomainError(
            "follow-ups go on until the planned end at least",
            field="follow_up_until",
            code="follow_up_before_end",
        )
    return plan


def closure(
    ending: Ending, final_evaluation_id: str | None, no_final_evaluation_reason: str | None
) -> Closure:
    """What closing needs: an exit plan, and a final evaluation or the reason there is none."""
    if ending.exit_plan is None:
        raise Conflict(
            "an engagement plans its exit before it closes: record an exit plan first",
            field="exit_plan",
            code="exit_plan_required",
        )
    reason = (no_final_evaluation_reason or "").strip() or None
    if final_evaluation_id is None and reason is None:
        raise DomainError(
            "closing needs a final evaluation, completed once closing began, or the reason "
            "there is none",
            field="no_final_evaluation_reason",
            code="final_evaluation_required",
        )
    if final_evaluation_id is not None and reason is not None:
        raise DomainError(
            f"the final evaluation {final_evaluation_id} exists: no reason for its absence "
            "is needed",
            field="no_final_evaluation_reason",
            code="final_evaluation_exists",
        )
    return Closure(final_evaluation_id, reason)
