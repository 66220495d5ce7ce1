"""Events published by the evaluation service (topic ``multitrack.evaluation.v1``)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from multitrack_shared.events.common import Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import EVALUATION, TopicSpec


class LessonContext(BaseModel):
    """The context a lesson holds in; a lesson reaches engagements and invitations that match it."""

    model_config = ConfigDict(frozen=True)

    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes.")
    regions: list[str] = Field(default_factory=list, description="Regions it holds for.")
    conflict_types: list[str] = Field(default_factory=list, description="Kinds of conflict.")
    phases: list[str] = Field(default_factory=list, description="Phases of conflict.")
    tracks: list[int] = Field(default_factory=list, description="Tracks (1-9) it concerns.")


class LessonEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = EVALUATION
    key_field: ClassVar[str] = "lesson_id"

    lesson_id: str = Field(description="Id of the lesson learned; the Kafka key.")


class LessonRecorded(LessonEvent):
    """A lesson learned was recorded and is to reach every matching engagement and invitation."""

    event_type: ClassVar[str] = "multitrack.lesson.recorded.v1"

    ownership: Ownership = Field(description="Which member recorded the lesson.")
    statement: str = Field(description="The lesson, in one or two sentences.")
    evidence: str = Field(description="What the lesson rests on.")
    confidence: str = Field(description="low, medium or high.")
    context: LessonContext = Field(description="Where the lesson holds.")
    recorded_at: datetime = Field(description="When it was recorded.")
