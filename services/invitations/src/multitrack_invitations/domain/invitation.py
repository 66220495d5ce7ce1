"""The invitation: standard procedure 1, "involvement only through invitation".

An invitation is received, assessed against the criteria, then accepted or declined with a
recorded rationale (standard 4: decisions and their reasons are auditable).

    received ──assess──▶ under_assessment ──accept──▶ accepted
        │                    │   ▲ (reassess)
        └──decline──▶ declined ◀─┘
    received | under_assessment | accepted ──withdraw──▶ withdrawn

Withdrawal is the inviter's act, not the organization's: it is possible at any time until
the invitation is declined — also after acceptance, since the whole practice rests on being
invited, and an invitation taken back ends the basis for an engagement. A declined or
withdrawn invitation is final: every further step answers 409 ``invalid_transition``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from multitrack_invitations.domain.criteria import AssessmentCriterion
from multitrack_shared.commitment import require_commitment
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.matching import MatchContext
from multitrack_shared.times import latest_today, utc
from multitrack_shared.versioning import FIRST_VERSION


class Status(StrEnum):
    received = "received"
    under_assessment = "under_assessment"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"


class Verdict(StrEnum):
    met = "met"
    unmet = "unmet"
    unknown = "unknown"


@dataclass(frozen=True)
class Inviter:
    name: str
    kind: str
    track: int
    is_party_to_conflict: bool
    side: str | None = None


@dataclass(frozen=True)
class CriterionVerdict:
    verdict: Verdict
    note: str | None = None


@dataclass(frozen=True)
class Assessment:
    verdicts: dict[str, CriterionVerdict]
    """Verdict per criterion code."""
    assessed_by: str
    assessed_at: datetime
    essential: frozenset[str] = frozenset()
    """The criteria that were essential when it was made: a decision is taken on the
    assessment as it was, whatever the consortium changed since."""

    @property
    def unmet(self) -> list[str]:
        return [c for c, v in self.verdicts.items() if v.verdict is Verdict.unmet]

    @property
    def essential_unknown(self) -> list[str]:
        return [
            c
            for c, v in self.verdicts.items()
            if v.verdict is Verdict.unknown and c in self.essential
        ]

    @property
    def needing_override(self) -> list[str]:
        """Accepting overrides each of these with a stated reason."""
        return [*self.unmet, *self.essential_unknown]


@dataclass(frozen=True)
class Decision:
    accepted: bool
    rationale: str
    decided_by: str
    decided_at: datetime
    overrides: dict[str, str] = field(default_factory=dict)
    commitment_years: int | None = None


@dataclass
class Invitation:
    id: str
    owner_org: str
    visibility: str
    inviter: Inviter
    conflict: ConflictDescription
    support_requested: str
    channel: str
    received_at: datetime
    arrived_on: date
    other_parties_aware: bool | None = None
    status: Status = Status.received
    assessment: Assessment | None = None
    decision: Decision | None = None
    withdrawal_reason: str | None = None
    withdrawn_at: datetime | None = None
    version: int = field(default=FIRST_VERSION, compare=False)

    @classmethod
    def receive(
        cls,
        *,
        id: str,
        owner_org: str,
        visibility: str,
        inviter: Inviter,
        conflict: ConflictDescription,
        support_requested: str,
        channel: str,
        received_at: datetime,
        arrived_on: date | None = None,
        other_parties_aware: bool | None = None,
    ) -> Invitation:
        """Intake: an inviter that is a party stands on a side, and nothing arrives tomorrow.

        ``arrived_on`` (when the invitation reached the organization, e.g. a letter's date)
        defaults to the day it was received here; it may be earlier, never later than that
        day anywhere on Earth.
        """
        if inviter.is_party_to_conflict and not (inviter.side or "").strip():
            raise DomainError(
                "an inviter that is a party to the conflict stands on a side: name it",
                field="inviter.side",
                code="side_required",
            )
        latest = latest_today(received_at)
        if arrived_on is not None and arrived_on > latest:
            raise DomainError(
                f"arrived_on {arrived_on} is after the day the invitation was received",
                field="arrived_on",
                code="arrived_in_future",
            )
        return cls(
            id=id,
            owner_org=owner_org,
            visibility=visibility,
            inviter=inviter,
            conflict=conflict,
            support_requested=support_requested,
            channel=channel,
            received_at=received_at,
            arrived_on=arrived_on or utc(received_at).date(),
            other_parties_aware=other_parties_aware,
        )

    @property
    def match_context(self) -> MatchContext:
        """What lessons are matched against: the conflict, and the track of the inviter."""
        return MatchContext(
            country=self.conflict.country,
            region=self.conflict.region,
            conflict_type=self.conflict.conflict_type,
            phase=self.conflict.phase,
            tracks=frozenset({self.inviter.track}),
            conflict_id=self.conflict.conflict_id,
        )

    def assess(self, assessment: Assessment, criteria: Sequence[AssessmentCriterion]) -> None:
        """Record (or redo) the assessment: one verdict per criterion in force, and none
        other. It keeps which of them were essential."""
        self._require(Status.received, Status.under_assessment, action="assess")
        codes = [c.code for c in criteria]
        missing = [c for c in codes if c not in assessment.verdicts]
        if missing:
            raise DomainError(
                f"a verdict is needed for every criterion; missing: {', '.join(missing)}",
                field=f"verdicts.{missing[0]}",
                code="verdict_missing",
            )
        unknown = [c for c in assessment.verdicts if c not in codes]
        if unknown:
            raise DomainError(
                f"{unknown[0]!r} is not a criterion in force; the criteria are: "
                + ", ".join(codes),
                field=f"verdicts.{unknown[0]}",
                code="unknown_criterion",
            )
        essential = frozenset(c.code for c in criteria if c.essential)
        self.assessment = replace(assessment, essential=essential)
        self.status = Status.under_assessment

    def accept(self, decision: Decision) -> None:
        """Accept; each unmet criterion, and each essential one left unknown, must be
        overridden with a stated reason."""
        self._require(Status.under_assessment, action="accept")
        _require_rationale(decision)
        assert self.assessment is not None  # under assessment implies an assessment
        require_commitment(decision.commitment_years)
        unmet = self.assessment.unmet
        needing = self.assessment.needing_override
        for criterion in needing:
            if not (decision.overrides.get(criterion) or "").strip():
                why = "unmet" if criterion in unmet else "essential and unknown"
                raise DomainError(
                    f"criterion {criterion} is {why}: accepting needs an override reason",
                    field=f"overrides.{criterion}",
                    code="override_required",
                )
        for criterion in decision.overrides:
            if criterion not in needing:
                raise DomainError(
                    f"criterion {criterion} is neither unmet nor essential and unknown; "
                    "there is nothing to override",
                    field=f"overrides.{criterion}",
                    code="override_not_needed",
                )
        self.decision = decision
        self.status = Status.accepted

    def decline(self, decision: Decision) -> None:
        """Decline, before or after assessment; the rationale is recorded like an acceptance's."""
        self._require(Status.received, Status.under_assessment, action="decline")
        _require_rationale(decision)
        self.decision = decision
        self.status = Status.declined

    def withdraw(self, reason: str | None, at: datetime) -> None:
        """The inviter withdraws: from received, under assessment or accepted; the reason,
        if the inviter gives one, is kept. Declined and withdrawn invitations refuse it."""
        self._require(Status.received, Status.under_assessment, Status.accepted, action="withdraw")
        self.withdrawal_reason = reason
        self.withdrawn_at = at
        self.status = Status.withdrawn

    def _require(self, *allowed: Status, action: str) -> None:
        if self.status not in allowed:
            raise Conflict(
                f"cannot {action} an invitation that is {self.status}",
                field="status",
                code="invalid_transition",
            )


def _require_rationale(decision: Decision) -> None:
    if not decision.rationale.strip():
        raise DomainError(
            "a decision states its rationale", field="rationale", code="rationale_required"
        )
