"""The engagement: standard procedure 2, a long-term commitment of at least five years.

An engagement exists only because an invitation was accepted; it starts by listening, becomes
active once every side of the conflict has been heard, may pause, and closes through
``closing`` — before the commitment ends only for a recorded reason. When the inviter
withdraws the invitation it rests on, it begins closing whatever its status (standard 1: the
work goes on only as long as it is invited). It closes well (``ending``): with an exit plan,
and on a final evaluation or the reason there is none.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from multitrack_engagements.domain import ending as ending_well
from multitrack_engagements.domain.ending import Ending, ExitPlan
from multitrack_shared.commitment import MIN_COMMITMENT_YEARS
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.versioning import FIRST_VERSION

_ENGAGEMENT_IDS = uuid.UUID("6f1d3c9e-8f7a-4b8e-9a55-2c4a1e7b5d10")


class Status(StrEnum):
    listening = "listening"
    active = "active"
    paused = "paused"
    closing = "closing"
    closed = "closed"


class ClosingReason(StrEnum):
    """The only reasons to close before the commitment ends (standard procedure 2)."""

    participants_request = "participants_request"
    safety = "safety"
    mutual_agreement = "mutual_agreement"
    invitation_withdrawn = "invitation_withdrawn"
    """Given by the inviter's withdrawal alone, never by a coordinator."""


CHOSEN_REASONS = tuple(r for r in ClosingReason if r is not ClosingReason.invitation_withdrawn)
"""The reasons a coordinator may give."""


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.listening: frozenset({Status.active}),
    Status.active: frozenset({Status.paused, Status.closing}),
    Status.paused: frozenset({Status.active, Status.closing}),
    Status.closing: frozenset({Status.closed}),
    Status.closed: frozenset(),
}


@dataclass(frozen=True)
class StatusChange:
    from_status: Status
    to_status: Status
    reason: ClosingReason | None
    note: str | None
    at: datetime


@dataclass(frozen=True)
class MethodBlend:
    """Standard procedure 7, synthesis of wisdom: methods used, local against external."""

    local: int = 0
    external: int = 0


@dataclass
class Engagement:
    id: str
    invitation_id: str
    owner_org: str
    visibility: str
    purpose: str
    conflict: ConflictDescription
    inviter_track: int
    start_date: date
    committed_until: date
    opened_at: datetime
    status: Status = Status.listening
    closing_reason: ClosingReason | None = None
    history: list[StatusChange] = field(default_factory=list)
    last_activity_on: date | None = None
    method_blend: MethodBlend = MethodBlend()
    ending: Ending = field(default_factory=Ending)
    version: int = field(default=FIRST_VERSION, compare=False)

    @classmethod
    def open_from_invitation(
        cls,
        *,
        invitation_id: str,
        owner_org: str,
        visibility: str,
        purpose: str,
        conflict: ConflictDescription,
        inviter_track: int,
        commitment_years: int,
        accepted_at: datetime,
    ) -> Engagement:
        start = accepted_at.date()
        return cls(
            id=engagement_id_for(invitation_id),
            invitation_id=invitation_id,
            owner_org=owner_org,
            visibility=visibility,
            purpose=purpose,
            conflict=conflict,
            inviter_track=inviter_track,
            start_date=start,
            committed_until=add_years(start, max(commitment_years, MIN_COMMITMENT_YEARS)),
            opened_at=accepted_at,
        )

    @property
    def closed(self) -> bool:
        return self.status is Status.closed

    def ends_early(self, on: date) -> bool:
        return on < self.committed_until

    @property
    def closing_since(self) -> datetime | None:
        """When it last began closing; ``None`` while it is not closing or closed."""
        if self.status not in (Status.closing, Status.closed):
            return None
        return next((c.at for c in reversed(self.history) if c.to_status is Status.closing), None)

    @property
    def closed_on(self) -> date | None:
        return self.history[-1].at.date() if self.closed else None

    def change_status(
        self,
        to: Status,
        *,
        at: datetime,
        listening_complete: bool,
        reason: ClosingReason | None = None,
        note: str | None = None,
        final_evaluation_id: str | None = None,
        no_final_evaluation_reason: str | None = None,
    ) -> StatusChange:
        """Move along the status machine; the checks run in the order a reader expects them.
        Closing takes the final evaluation completed since closing began, if there is one."""
        if reason is ClosingReason.invitation_withdrawn:
            raise DomainError(
                "only the inviter's withdrawal of the invitation gives this reason",
                field="reason",
                code="reason_reserved",
            )
        if to not in TRANSITIONS[self.status]:
            raise Conflict(
                f"an engagement that is {self.status} cannot become {to}",
                field="to",
                code="invalid_transition",
            )
        if self.status is Status.listening and not listening_complete:
            raise Conflict(
                "listening is not complete: every side of the latest conflict analysis "
                "must be heard before the engagement becomes active",
                field="to",
                code="listening_incomplete",
            )
        if to is Status.closing and self.ends_early(at.date()) and reason is None:
            raise DomainError(
                f"closing before the commitment ends ({self.committed_until}) needs a reason: "
                + ", ".join(CHOSEN_REASONS),
                field="reason",
                code="reason_required",
            )
        if to is Status.closed:
            closure = ending_well.closure(
                self.ending, final_evaluation_id, no_final_evaluation_reason
            )
            self.ending = replace(self.ending, closure=closure)
        return self._moved(to, reason, note, at)

    def invitation_withdrawn(self, at: datetime) -> StatusChange | None:
        """The inviter took the invitation back: begin closing, from any status but closing
        or closed (then nothing changes, so a redelivery changes nothing either)."""
        if self.status in (Status.closing, Status.closed):
            return None
        return self._moved(Status.closing, ClosingReason.invitation_withdrawn, None, at)

    def _moved(
        self, to: Status, reason: ClosingReason | None, note: str | None, at: datetime
    ) -> StatusChange:
        change = StatusChange(self.status, to, reason, note, at)
        if to is Status.closing:
            self.closing_reason = reason
        self.status = to
        self.history.append(change)
        return change

    def extend_commitment(self, until: date, at: datetime) -> ending_well.Extension:
        """Commit for longer: while it is neither closing nor closed, and only to a later end."""
        self.require_not_closed("extend the commitment")
        if self.status is Status.closing:
            raise Conflict(
                "the engagement is closing: its commitment is not extended",
                field="engagement_id",
                code="engagement_closing",
            )
        extension = ending_well.extension(self.committed_until, until, at)
        self.committed_until = until
        self.ending = self.ending.extended(extension)
        return extension

    def plan_exit(self, plan: ExitPlan) -> ExitPlan:
        """Record (or revise) the exit plan, at any time before it closes."""
        self.require_not_closed("plan the exit")
        self.ending = replace(
            self.ending, exit_plan=ending_well.exit_plan(plan, start=self.start_date)
        )
        return plan

    def followed_up(self, reached: int, using: int) -> None:
        """Count a follow-up; after closure too (standard 10: are the skills in use?)."""
        self.ending = replace(
            self.ending,
            follow_ups=self.ending.follow_ups.counting(reached, using, after_closure=self.closed),
        )

    def link_conflict(self, conflict_id: str | None, *, country: str | None) -> str | None:
        """Name the shared conflict it works on (another one, or none: ``None``), which lies in
        ``country``; answer the one it named before. Its own description of the conflict stays
        as the invitation gave it: the link adds the consortium's common reference."""
        self.require_not_closed("link it to a conflict")
        if country is not None and country.upper() != self.conflict.country.upper():
            raise DomainError(
                f"the shared conflict is in {country.upper()}, "
                f"the engagement in {self.conflict.country.upper()}",
                field="conflict_id",
                code="conflict_elsewhere",
            )
        previous = self.conflict.conflict_id
        self.conflict = replace(self.conflict, conflict_id=conflict_id)
        return previous

    def require_not_closed(self, action: str) -> None:
        if self.closed:
            raise Conflict(
                f"the engagement is closed: cannot {action}",
                field="engagement_id",
                code="engagement_closed",
            )

    def activity_held(self, held_on: date, blend: MethodBlend) -> None:
        """Keep what the engagement's view shows of its activities up to date."""
        self.require_not_closed("record an activity")
        if self.last_activity_on is None or held_on > self.last_activity_on:
            self.last_activity_on = held_on
        self.method_blend = MethodBlend(
            self.method_blend.local + blend.local, self.method_blend.external + blend.external
        )


class OpenedOnlyByInvitation(DomainError):
    """Standard procedure 1: no engagement exists without an accepted invitation."""

    status_code = 405
    code = "engagement_opens_from_invitation_only"

    def __init__(self) -> None:
        super().__init__(
            "engagements are opened only by an accepted invitation; "
            "accept the invitation in the invitations service",
            field="invitation_id",
        )


def engagement_id_for(invitation_id: str) -> str:
    """One invitation opens at most one engagement, whatever the redeliveries: derive its id."""
    return str(uuid.uuid5(_ENGAGEMENT_IDS, invitation_id))


def add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February into a non-leap year
        return start.replace(year=start.year + years, day=28)
