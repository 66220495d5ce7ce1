"""Events published by the engagements service (topic ``multitrack.engagements.v1``).

Names of people heard or taking part are personal data and never travel in these events:
only counts, sides, tracks and roles do. Neither does free text that may name them: a status
change's note, an activity's place, the why of a lesson response. The ``.v1`` versions that
carried such text are superseded by ``.v2`` and kept only so that records already on the topic
still decode.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.auth.personal import MayNamePeople
from multitrack_shared.events.common import ConflictContext, Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.vocabulary import (
    LessonResponse,
    MethodOrigin,
    ParticipantRole,
    RppQuadrant,
    Sex,
)
from multitrack_shared.messaging.topics import ENGAGEMENTS, TopicSpec


class EngagementEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = ENGAGEMENTS
    key_field: ClassVar[str] = "engagement_id"

    engagement_id: str = Field(description="Id of the engagement; the Kafka key.")


class EngagementOpened(EngagementEvent):
    """An engagement opened from an accepted invitation."""

    event_type: ClassVar[str] = "multitrack.engagement.opened.v1"

    invitation_id: str = Field(description="The accepted invitation the engagement came from.")
    ownership: Ownership = Field(description="Who owns the engagement.")
    conflict: ConflictContext = Field(description="The conflict the engagement works on.")
    purpose: str = Field(
        default="",
        description="What the engagement is for: its stated purpose (standard 4, no hidden "
        "agenda), the support the invitation asked for. It travels because it is meant to be "
        "read across the consortium, so it is worded to name no one.",
    )
    inviter_track: int = Field(ge=1, le=9, description="Track of the party that invited.")
    start_date: date = Field(description="First day of the engagement.")
    committed_until: date = Field(description="End of the commitment: at least five years on.")
    opened_at: datetime = Field(description="When the engagement was opened.")


CLOSING_REASON = (
    "Code of why, never free text: participants_request, safety or mutual_agreement, required "
    "when closing before the commitment ends; invitation_withdrawn when the inviter took the "
    "invitation back."
)


class EngagementStatusChangedV2(EngagementEvent):
    """listening → active → paused → closing → closed (the note stays in the engagements
    service)."""

    event_type: ClassVar[str] = "multitrack.engagement.status_changed.v2"

    from_status: str = Field(description="Status before.")
    to_status: str = Field(description="Status after.")
    reason: str | None = Field(default=None, description=CLOSING_REASON)
    changed_at: datetime = Field(description="When the status changed.")


class EngagementStatusChanged(EngagementEvent):
    """Deprecated: superseded by ``multitrack.engagement.status_changed.v2``, which carries no
    note. listening → active → paused → closing → closed."""

    event_type: ClassVar[str] = "multitrack.engagement.status_changed.v1"
    superseded_by: ClassVar[str | None] = EngagementStatusChangedV2.event_type

    from_status: str = Field(description="Status before.")
    to_status: str = Field(description="Status after.")
    reason: str | None = Field(default=None, description=CLOSING_REASON)
    note: Annotated[str | None, MayNamePeople] = Field(
        default=None, description="Free-text explanation."
    )
    changed_at: datetime = Field(description="When the status changed.")


class EngagementClosed(EngagementEvent):
    event_type: ClassVar[str] = "multitrack.engagement.closed.v1"

    early: bool = Field(description="Closed before the commitment ended.")
    reason: str | None = Field(
        default=None,
        description="Code of why it began closing: participants_request, safety, "
        "mutual_agreement or invitation_withdrawn; never free text.",
    )
    closed_at: datetime = Field(description="When it closed.")
    # Added after the first records were published; those closed without this rule.
    final_evaluation_id: str | None = Field(
        default=None,
        description="The final evaluation it closed on (completed once closing began); null "
        "when it closed without one, for a reason recorded in the engagements service.",
    )


class CommitmentExtended(EngagementEvent):
    """The engagement committed for longer (standard procedure 2: as long as participants
    desire the involvement)."""

    event_type: ClassVar[str] = "multitrack.engagement.commitment_extended.v1"

    previous_until: date = Field(description="End of the commitment before.")
    committed_until: date = Field(description="End of the commitment now.")
    extended_at: datetime = Field(description="When it was extended.")


class ConflictLinked(EngagementEvent):
    """An engagement already open was linked to a shared conflict, moved to another one, or
    unlinked: the conflict's views (its compass, its trends) and the lessons naming it follow."""

    event_type: ClassVar[str] = "multitrack.engagement.conflict_linked.v1"

    conflict_id: str | None = Field(
        description="The shared conflict it works on now; null when it was unlinked."
    )
    previous_conflict_id: str | None = Field(
        description="The shared conflict it was linked to before; null when none."
    )
    linked_at: datetime = Field(description="When the link changed.")


class ExitPlanned(EngagementEvent):
    """An exit plan was recorded or revised: how the engagement ends well (what is handed
    over stays in the engagements service)."""

    event_type: ClassVar[str] = "multitrack.engagement.exit_planned.v1"

    planned_end_on: date = Field(description="When the engagement plans to close.")
    follow_up_until: date = Field(
        description="Until when participants are followed up after it closes."
    )
    planned_at: datetime = Field(description="When the plan was recorded.")


class FollowUpRecorded(EngagementEvent):
    """A follow-up with former participants (standard procedure 10, responsibility): how many
    were reached and how many use the skills they gained; possible after closure too."""

    event_type: ClassVar[str] = "multitrack.engagement.follow_up_recorded.v1"

    follow_up_id: str = Field(description="Id of the follow-up.")
    held_on: date = Field(description="Day of the follow-up.")
    participants_reached: int = Field(ge=1, description="Former participants reached.")
    using_skills: int = Field(ge=0, description="Of those, how many use the skills gained.")
    after_closure: bool = Field(description="Recorded after the engagement closed.")
    recorded_at: datetime = Field(description="When it was recorded.")
    # Added after the first records were published; those followed up no training in particular.
    training_id: str | None = Field(
        default=None,
        description="The training (an activity of kind training) whose trainees were followed "
        "up; null for a follow-up of the engagement's participants at large.",
    )
    months_after: int | None = Field(
        default=None,
        ge=1,
        description="Which of the training's set follow-up intervals this answers, in months "
        "after it; null without a training.",
    )


class FundingRecorded(EngagementEvent):
    """A source of the engagement's funding (standard procedure 5): who funds, how much, for
    which period, of what kind. Participants are never billed: no source is a participant fee."""

    event_type: ClassVar[str] = "multitrack.engagement.funding_recorded.v1"

    funding_id: str = Field(description="Id of the funding source.")
    funder_id: str = Field(description="The partner organization that funds.")
    kind: str = Field(description="grant, core_funding, in_kind or own_funds.")
    amount: int = Field(ge=1, description="Whole units of the currency.")
    currency: str = Field(description="ISO 4217 currency code.")
    period_start: date = Field(description="First day the funding covers.")
    period_end: date = Field(description="Last day the funding covers.")
    recorded_at: datetime = Field(description="When it was recorded.")


class BudgetPlanned(EngagementEvent):
    """A budget line of the engagement: what it plans to spend over a period of at most a
    year, no two lines overlapping."""

    event_type: ClassVar[str] = "multitrack.engagement.budget_planned.v1"

    budget_line_id: str = Field(description="Id of the budget line.")
    amount: int = Field(ge=1, description="Whole units of the currency.")
    currency: str = Field(description="ISO 4217 currency code.")
    status: str = Field(description="indicative or committed.")
    period_start: date = Field(description="First day of the period.")
    period_end: date = Field(description="Last day of the period, within a year of its start.")
    recorded_at: datetime = Field(description="When it was recorded.")


class ConflictAnalysisRecorded(EngagementEvent):
    """A new version of the engagement's conflict analysis (counts only; names stay inside)."""

    event_type: ClassVar[str] = "multitrack.engagement.analysis_recorded.v1"

    version: int = Field(ge=1, description="Version number, from 1.")
    sides: list[str] = Field(description="Sides of the conflict named in this version.")
    actor_tracks: list[int] = Field(description="Tracks of the actors named.")
    actors_by_role: dict[str, int] = Field(
        description="party / stakeholder / spoiler / capacity_for_peace → number of actors."
    )
    dividers: int = Field(ge=0, description="Number of dividers named.")
    connectors: int = Field(ge=0, description="Number of connectors named.")
    analysed_on: date = Field(description="Date of the analysis.")


class PartyHeard(EngagementEvent):
    """Listening to all sides: someone was heard (who stays in the engagements service)."""

    event_type: ClassVar[str] = "multitrack.engagement.party_heard.v1"

    hearing_id: str = Field(description="Id of this entry of the listening ledger.")
    side: str = Field(description="Side the party heard stands on.")
    track: int = Field(ge=1, le=9, description="Track the party heard works in.")
    heard_on: date = Field(description="When they were heard.")


class Method(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Name of the method, e.g. problem-solving workshop.")
    origin: MethodOrigin = Field(description="Local/indigenous or external (standard 7).")
    # Added with the consortium's catalogue of methods; earlier records named none.
    code: str | None = Field(
        default=None,
        description="The method's code in the consortium's catalogue (reference data of kind "
        "method); null in records from before the catalogue.",
    )


class ParticipantCount(BaseModel):
    """How many took part, disaggregated by sex × role × track × side."""

    model_config = ConfigDict(frozen=True)

    sex: Sex
    role: ParticipantRole
    track: int = Field(ge=1, le=9)
    side: str | None = Field(default=None, description="Side they stand on, if any.")
    count: int = Field(ge=1)


class TrainingDetails(BaseModel):
    """What a training adds to its activity (standards 8 and 10): who trained, by catalogue
    id, and when its trainees are followed up. The curriculum stays in the engagements
    service; the trainees are the activity's participants."""

    model_config = ConfigDict(frozen=True)

    trainer_ids: list[str] = Field(
        description="Trainers of the consortium's catalogue (their names never travel)."
    )
    follow_up_months: list[int] = Field(
        description="The set intervals, in months after the training, of its follow-ups."
    )


class ActivityRecordedV2(EngagementEvent):
    """An activity was held (who facilitated, where and the Do No Harm note stay in the
    engagements service: only counts, codes and tracks travel)."""

    event_type: ClassVar[str] = "multitrack.engagement.activity_recorded.v2"

    activity_id: str = Field(description="Id of the activity.")
    kind: str = Field(description="dialogue, training, workshop, consultation, …")
    held_on: date = Field(description="Date of the activity.")
    tracks: list[int] = Field(description="Tracks the activity worked with.")
    peacebuilding_kind: str = Field(description="Kind of peacebuilding (reference data code).")
    rpp_quadrant: RppQuadrant = Field(description="Quadrant of the RPP matrix.")
    methods: list[Method] = Field(description="Methods used, tagged local or external.")
    local_facilitators: int = Field(ge=0, description="Facilitators who are local.")
    external_facilitators: int = Field(ge=0, description="Facilitators who are not local.")
    led_locally: bool = Field(description="Led by local people (standard 11, empowerment).")
    participants: list[ParticipantCount] = Field(description="Who took part, as counts.")
    # Added after the first records were published, which said nothing of either.
    designed_locally: bool | None = Field(
        default=None,
        description="Designed by local people (standard 11, empowerment); null when not recorded.",
    )
    training: TrainingDetails | None = Field(
        default=None, description="A training's details; null for other kinds."
    )


class ActivityRecorded(EngagementEvent):
    """Deprecated: superseded by ``multitrack.engagement.activity_recorded.v2``, which carries
    no place. An activity was held."""

    event_type: ClassVar[str] = "multitrack.engagement.activity_recorded.v1"
    superseded_by: ClassVar[str | None] = ActivityRecordedV2.event_type

    activity_id: str = Field(description="Id of the activity.")
    kind: str = Field(description="dialogue, training, workshop, consultation, …")
    held_on: date = Field(description="Date of the activity.")
    place: Annotated[str, MayNamePeople] = Field(
        description="Where it was held: free text, which may name a host or a home."
    )
    tracks: list[int] = Field(description="Tracks the activity worked with.")
    peacebuilding_kind: str = Field(description="Kind of peacebuilding (reference data code).")
    rpp_quadrant: RppQuadrant = Field(description="Quadrant of the RPP matrix.")
    methods: list[Method] = Field(description="Methods used, tagged local or external.")
    local_facilitators: int = Field(ge=0, description="Facilitators who are local.")
    external_facilitators: int = Field(ge=0, description="Facilitators who are not local.")
    led_locally: bool = Field(description="Led by local people (standard 11, empowerment).")
    participants: list[ParticipantCount] = Field(description="Who took part, as counts.")


class LiaisonRecorded(EngagementEvent):
    """Standard 3: a briefing of or contact with track one (officials' names stay inside)."""

    event_type: ClassVar[str] = "multitrack.engagement.liaison_recorded.v1"

    liaison_id: str = Field(description="Id of this entry of the liaison log.")
    institution: str = Field(
        description="Government body or official institution, never an official's name."
    )
    kind: str = Field(description="briefing, meeting, correspondence, …")
    held_on: date = Field(description="When.")


class LessonRespondedV2(EngagementEvent):
    """An engagement responded to a lesson in its inbox: applied, adapted or rejected (why stays
    in the engagements service)."""

    event_type: ClassVar[str] = "multitrack.engagement.lesson_responded.v2"

    lesson_id: str = Field(description="The lesson responded to.")
    response: LessonResponse = Field(description="applied, adapted or rejected.")
    responded_at: datetime = Field(description="When.")


class LessonResponded(EngagementEvent):
    """Deprecated: superseded by ``multitrack.engagement.lesson_responded.v2``, which carries no
    why. An engagement responded to a lesson in its inbox: applied, adapted or rejected."""

    event_type: ClassVar[str] = "multitrack.engagement.lesson_responded.v1"
    superseded_by: ClassVar[str | None] = LessonRespondedV2.event_type

    lesson_id: str = Field(description="The lesson responded to.")
    response: LessonResponse = Field(description="applied, adapted or rejected.")
    why: Annotated[str, MayNamePeople] = Field(description="The reasoning, for the evaluators.")
    responded_at: datetime = Field(description="When.")
