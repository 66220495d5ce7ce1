"""Events published by the evaluation service (topic ``multitrack.evaluation.v1``).

A lesson travels as its statement, confidence and context: the statement is the lesson itself,
written to be shared (propagating it is what a lesson is for), so it is worded to name no one.
Its evidence and the reason it was retired may name the people it rests on: they stay in the
evaluation service, where consumers link to the lesson by its id. The ``.v1`` versions carried
them: they are superseded by ``.v2`` and kept only so that records already on the topic still
decode. The ``.v3`` versions of the recorded and revised lesson let its context name shared
conflicts; a ``.v2`` record reads as one naming none.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.auth.personal import MayNamePeople
from multitrack_shared.events.common import Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.vocabulary import Confidence, DacCriterion, RppQuadrant
from multitrack_shared.messaging.topics import EVALUATION, TopicSpec


class LessonContext(BaseModel):
    """Where a lesson holds. An empty list means "anywhere" for that dimension.

    A lesson reaches the engagements and invitations whose context matches it by the one rule
    in ``multitrack_shared.matching``.
    """

    model_config = ConfigDict(frozen=True)

    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes.")
    regions: list[str] = Field(default_factory=list, description="Regions it holds for.")
    conflict_types: list[str] = Field(default_factory=list, description="Kinds of conflict.")
    phases: list[str] = Field(default_factory=list, description="Phases of conflict.")
    tracks: list[int] = Field(default_factory=list, description="Tracks (1-9) it concerns.")
    methods: list[str] = Field(default_factory=list, description="Methods it concerns.")
    peacebuilding_kinds: list[str] = Field(
        default_factory=list, description="Kinds of peacebuilding (reference data codes)."
    )
    rpp_quadrants: list[RppQuadrant] = Field(
        default_factory=list, description="Quadrants of the RPP matrix it concerns."
    )
    dac_criteria: list[DacCriterion] = Field(
        default_factory=list, description="OECD-DAC criteria the lesson speaks to."
    )


class LessonContextV3(LessonContext):
    """Where a lesson holds, now also by the shared conflicts it was learnt on or bears on.

    A conflict is a place: a lesson that names conflicts (and no country or region) reaches
    only the engagements and invitations on one of them, and reaches those first.
    """

    conflict_ids: list[str] = Field(
        default_factory=list,
        description="Ids of the shared conflicts (the engagements service's conflict records) "
        "it holds for; an empty list means any conflict.",
    )


class LessonEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = EVALUATION
    key_field: ClassVar[str] = "lesson_id"

    lesson_id: str = Field(description="Id of the lesson learned; the Kafka key.")


STATEMENT = (
    "The lesson, in one or two sentences: written to be shared across the consortium, so "
    "worded to name no one."
)
EVIDENCE = "What the lesson rests on: free text that may name the people it rests on."


class LessonRecordedV3(LessonEvent):
    """A lesson learned was recorded and is to reach every matching engagement and invitation,
    first those on a shared conflict it names."""

    event_type: ClassVar[str] = "multitrack.lesson.recorded.v3"

    ownership: Ownership = Field(description="Which member recorded the lesson.")
    statement: str = Field(description=STATEMENT)
    confidence: Confidence = Field(description="How sure the evaluators are.")
    context: LessonContextV3 = Field(description="Where the lesson holds.")
    source_engagement_id: str | None = Field(
        default=None, description="The engagement whose evaluation taught it, if any."
    )
    recorded_at: datetime = Field(description="When it was recorded.")


class LessonRecordedV2(LessonEvent):
    """Deprecated: superseded by ``multitrack.lesson.recorded.v3``, whose context may name
    shared conflicts. A lesson learned was recorded and is to reach every matching engagement
    and invitation."""

    event_type: ClassVar[str] = "multitrack.lesson.recorded.v2"
    superseded_by: ClassVar[str | None] = LessonRecordedV3.event_type

    ownership: Ownership = Field(description="Which member recorded the lesson.")
    statement: str = Field(description=STATEMENT)
    confidence: Confidence = Field(description="How sure the evaluators are.")
    context: LessonContext = Field(description="Where the lesson holds.")
    source_engagement_id: str | None = Field(
        default=None, description="The engagement whose evaluation taught it, if any."
    )
    recorded_at: datetime = Field(description="When it was recorded.")


class LessonRecorded(LessonEvent):
    """Deprecated: superseded by ``multitrack.lesson.recorded.v2``, which carries no evidence.
    A lesson learned was recorded and is to reach every matching engagement and invitation."""

    event_type: ClassVar[str] = "multitrack.lesson.recorded.v1"
    superseded_by: ClassVar[str | None] = LessonRecordedV2.event_type

    ownership: Ownership = Field(description="Which member recorded the lesson.")
    statement: str = Field(description=STATEMENT)
    evidence: Annotated[str, MayNamePeople] = Field(description=EVIDENCE)
    confidence: Confidence = Field(description="How sure the evaluators are.")
    context: LessonContext = Field(description="Where the lesson holds.")
    source_engagement_id: str | None = Field(
        default=None, description="The engagement whose evaluation taught it, if any."
    )
    recorded_at: datetime = Field(description="When it was recorded.")


class LessonRevisedV3(LessonEvent):
    """A lesson's wording, evidence or context changed; it replaces the earlier revision
    everywhere the lesson reached."""

    event_type: ClassVar[str] = "multitrack.lesson.revised.v3"

    revision: int = Field(ge=2, description="Revision number; the first recording is 1.")
    statement: str = Field(description=STATEMENT)
    confidence: Confidence = Field(description="How sure the evaluators are now.")
    context: LessonContextV3 = Field(description="Where the revised lesson holds.")
    revised_at: datetime = Field(description="When it was revised.")


class LessonRevisedV2(LessonEvent):
    """Deprecated: superseded by ``multitrack.lesson.revised.v3``, whose context may name
    shared conflicts. A lesson's wording, evidence or context changed."""

    event_type: ClassVar[str] = "multitrack.lesson.revised.v2"
    superseded_by: ClassVar[str | None] = LessonRevisedV3.event_type

    revision: int = Field(ge=2, description="Revision number; the first recording is 1.")
    statement: str = Field(description=STATEMENT)
    confidence: Confidence = Field(description="How sure the evaluators are now.")
    context: LessonContext = Field(description="Where the revised lesson holds.")
    revised_at: datetime = Field(description="When it was revised.")


class LessonRevised(LessonEvent):
    """Deprecated: superseded by ``multitrack.lesson.revised.v2``, which carries no evidence.
    A lesson's wording, evidence or context changed."""

    event_type: ClassVar[str] = "multitrack.lesson.revised.v1"
    superseded_by: ClassVar[str | None] = LessonRevisedV2.event_type

    revision: int = Field(ge=2, description="Revision number; the first recording is 1.")
    statement: str = Field(description=STATEMENT)
    evidence: Annotated[str, MayNamePeople] = Field(description=EVIDENCE)
    confidence: Confidence = Field(description="How sure the evaluators are now.")
    context: LessonContext = Field(description="Where the revised lesson holds.")
    revised_at: datetime = Field(description="When it was revised.")


class LessonRetiredV2(LessonEvent):
    """A lesson no longer holds; it is withdrawn from open inboxes and assessments (why stays
    in the evaluation service)."""

    event_type: ClassVar[str] = "multitrack.lesson.retired.v2"

    retired_at: datetime = Field(description="When it was retired.")


class LessonRetired(LessonEvent):
    """Deprecated: superseded by ``multitrack.lesson.retired.v2``, which carries no reason.
    A lesson no longer holds; it is withdrawn from open inboxes and assessments."""

    event_type: ClassVar[str] = "multitrack.lesson.retired.v1"
    superseded_by: ClassVar[str | None] = LessonRetiredV2.event_type

    reason: Annotated[str, MayNamePeople] = Field(description="Why the lesson was retired.")
    retired_at: datetime = Field(description="When it was retired.")


class EvaluationCompleted(IntegrationEvent):
    """An evaluation of an engagement over a period was completed."""

    event_type: ClassVar[str] = "multitrack.evaluation.completed.v1"
    topic: ClassVar[TopicSpec] = EVALUATION
    key_field: ClassVar[str] = "engagement_id"

    evaluation_id: str = Field(description="Id of the evaluation.")
    engagement_id: str = Field(description="The engagement evaluated; the Kafka key.")
    period_start: date = Field(description="First day of the period evaluated.")
    period_end: date = Field(description="Last day of the period evaluated.")
    dac_scores: dict[DacCriterion, int] = Field(
        description="Score per OECD-DAC criterion, 1 (poor) to 4 (excellent)."
    )
    procedure_adherence: dict[str, str] = Field(
        description="Standard procedure code → met, partly or not."
    )
    baseline_analysis_version: int | None = Field(
        default=None, description="Conflict-analysis version the evaluation took as baseline."
    )
    completed_at: datetime = Field(description="When the evaluation was completed.")


class ReferenceChanged(IntegrationEvent):
    """A consortium adjusted its reference data (a track's label, a procedure's wording, …):
    the consortium's own vocabulary, written to be shared."""

    event_type: ClassVar[str] = "multitrack.reference.changed.v1"
    topic: ClassVar[TopicSpec] = EVALUATION
    key_field: ClassVar[str] = "key"

    key: str = Field(description="``<kind>:<code>``; the Kafka key.")
    kind: str = Field(
        description="track, peacebuilding_kind, standard_procedure, assessment_criterion or method."
    )
    code: str = Field(description="Stable code of the item.")
    label: str = Field(description="Label as the consortium words it.")
    description: str = Field(description="Longer wording.")
    active: bool = Field(description="False once the consortium no longer uses the item.")
    # Added after the first records were published, with defaults that read those records
    # as they were meant: no procedure, not essential.
    procedure: str | None = Field(
        default=None,
        description="An assessment criterion's standard procedure (its code), if it bears on "
        "one; null for the other kinds.",
    )
    essential: bool = Field(
        default=False,
        description="An assessment criterion whose unknown verdict needs an override reason "
        "to accept, as an unmet one does; false for the other kinds.",
    )
    origin: str | None = Field(
        default=None,
        description="A method's origin: local, indigenous or external; null for the other kinds.",
    )
    changed_at: datetime = Field(description="When it changed.")


class AttitudeInstrumentDefined(IntegrationEvent):
    """An attitude instrument was defined (standard 12, transformation): items rated on one
    scale whose high end is the most accepting of the other side. Never changed once defined."""

    event_type: ClassVar[str] = "multitrack.attitude_instrument.defined.v1"
    topic: ClassVar[TopicSpec] = EVALUATION
    key_field: ClassVar[str] = "code"

    code: str = Field(description="Stable code of the instrument; the Kafka key.")
    ownership: Ownership = Field(description="Which member defined it, and who may see it.")
    label: str = Field(description="Name of the instrument.")
    items: list[str] = Field(
        description="The statements respondents rate, in order; written to be shared, so "
        "worded to name no one."
    )
    scale_low: int = Field(description="The scale's low end.")
    scale_high: int = Field(description="The scale's high end: the most accepting answer.")
    defined_at: datetime = Field(description="When it was defined.")


class AttitudeMeasured(IntegrationEvent):
    """An attitude instrument was administered to a group of one side of an engagement's
    conflict (standard 12): the group's mean rating per item, never who answered."""

    event_type: ClassVar[str] = "multitrack.attitude.measured.v1"
    topic: ClassVar[TopicSpec] = EVALUATION
    key_field: ClassVar[str] = "engagement_id"

    measurement_id: str = Field(description="Id of the measurement.")
    engagement_id: str = Field(description="The engagement measured; the Kafka key.")
    instrument: str = Field(description="Code of the instrument administered.")
    side: str = Field(description="The side of the conflict the group stands on.")
    administered_on: date = Field(description="Day it was administered.")
    respondents: int = Field(ge=1, description="How many answered.")
    item_means: list[float] = Field(description="The group's mean rating of each item, in order.")
    score: float = Field(
        ge=0, le=1, description="Mean of the item means on 0..1 (1: the most accepting)."
    )
    recorded_at: datetime = Field(description="When it was recorded.")
