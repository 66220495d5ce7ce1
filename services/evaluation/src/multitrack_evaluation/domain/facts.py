"""What evaluation knows of an engagement: facts taken from the other services' events.

They arrive as events (engagements and partners publish them) and are kept as read models;
evaluation never asks another service. Names of people never travel, so none is here; nor
does free text that may name them (a status change's note, an activity's place, the why of a
lesson response), which stays with the engagement.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

INITIAL_STATUS = "listening"
CLOSED = "closed"


@dataclass(frozen=True)
class EngagementHeader:
    engagement_id: str
    owner_org: str
    visibility: str
    name: str
    country: str
    region: str | None
    conflict_type: str | None
    phase: str | None
    purpose: str
    inviter_track: int
    start_date: date
    committed_until: date
    opened_at: datetime
    closed_at: datetime | None = None
    closed_early: bool | None = None
    close_reason: str | None = None


@dataclass(frozen=True)
class StatusChange:
    from_status: str
    to_status: str
    reason: str | None
    changed_at: datetime


@dataclass(frozen=True)
class Analysis:
    version: int
    analysed_on: date
    sides: list[str]
    actor_tracks: list[int]
    actors_by_role: dict[str, int]
    dividers: int
    connectors: int


@dataclass(frozen=True)
class Hearing:
    hearing_id: str
    side: str
    track: int
    heard_on: date


@dataclass(frozen=True)
class Method:
    name: str
    origin: str
    """Local (indigenous included) or external, in the blend of methods."""
    code: str | None = None
    """The method's code in the consortium's catalogue; None in records from before it."""

    def as_catalogued(self, origins: dict[str, str]) -> Method:
        """The method with the origin the catalogue gives it now, if the catalogue has it."""
        if self.code is None or self.code not in origins:
            return self
        return replace(self, origin=origins[self.code])


@dataclass(frozen=True)
class Participants:
    sex: str
    role: str
    track: int
    side: str | None
    count: int


@dataclass(frozen=True)
class Activity:
    activity_id: str
    kind: str
    held_on: date
    tracks: list[int]
    peacebuilding_kind: str
    rpp_quadrant: str
    methods: list[Method]
    local_facilitators: int
    external_facilitators: int
    led_locally: bool
    participants: list[Participants]
    designed_locally: bool | None = None
    """None for activities recorded before their design was asked."""

    @property
    def local_initiative(self) -> bool:
        """Designed and led by local people (standard 11); led locally, for an activity whose
        design was not recorded."""
        return self.led_locally and self.designed_locally is not False


@dataclass(frozen=True)
class FollowUp:
    """Whether former participants use the skills they gained (standard 10)."""

    follow_up_id: str
    held_on: date
    participants_reached: int
    using_skills: int
    training_id: str | None = None
    months_after: int | None = None


@dataclass(frozen=True)
class Liaison:
    liaison_id: str
    institution: str
    kind: str
    held_on: date


@dataclass(frozen=True)
class Partnership:
    partnership_id: str
    partner_id: str
    partner_name: str
    role: str
    starts_on: date
    ends_on: date | None
    partner_tracks: list[int]
    partner_is_local: bool
    partner_women_led: bool
    formed_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class LessonAnswer:
    lesson_id: str
    response: str
    responded_at: datetime


@dataclass(frozen=True)
class EvaluationDone:
    """An evaluation this service completed (its own record, not a read model)."""

    evaluation_id: str
    period_start: date
    period_end: date
    evaluated_by: str
    completed_at: datetime


@dataclass(frozen=True)
class AttitudeReading:
    """One administration of an attitude instrument to a group of one side (standard 12),
    its mean score put on 0..1 (1: the most accepting of the other side the scale allows)."""

    measurement_id: str
    instrument: str
    side: str
    administered_on: date
    respondents: int
    score: float


@dataclass(frozen=True)
class EngagementRecord:
    """Everything known of one engagement, from which its digest is built."""

    header: EngagementHeader
    status_changes: list[StatusChange] = field(default_factory=list)
    analyses: list[Analysis] = field(default_factory=list)
    hearings: list[Hearing] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    liaisons: list[Liaison] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    lesson_answers: list[LessonAnswer] = field(default_factory=list)
    evaluations: list[EvaluationDone] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    attitudes: list[AttitudeReading] = field(default_factory=list)

    # The engagement's owner and visibility decide who reads its record, and who changes what
    # hangs on it (its evaluations): the access policy asks the record for them.

    @property
    def owner_org(self) -> str:
        return self.header.owner_org

    @property
    def visibility(self) -> str:
        return self.header.visibility


def current_status(header: EngagementHeader, changes: list[StatusChange]) -> str:
    """Closed once closed; otherwise the latest change's status; listening before any."""
    if header.closed_at is not None:
        return CLOSED
    if not changes:
        return INITIAL_STATUS
    return max(changes, key=lambda change: change.changed_at).to_status
