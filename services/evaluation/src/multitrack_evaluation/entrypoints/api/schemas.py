"""Request and response bodies of the evaluation API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from datetime import datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from multitrack_evaluation.domain.model import Confidence, Lesson
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import CountryCode, Name, ShortCode, Text, TrackNumber

H = TypeVar("H", bound=Hashable)


def _distinct(values: list[H]) -> list[H]:
    repeated = [str(v) for v, n in Counter(values).items() if n > 1]
    if repeated:
        raise PydanticCustomError(
            "duplicate", "values must not repeat: {repeated}", {"repeated": ", ".join(repeated)}
        )
    return values


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LessonContextIn(Strict):
    """Where the lesson holds. An empty list places no restriction on that dimension."""

    countries: Annotated[list[CountryCode], AfterValidator(_distinct)] = Field(
        default_factory=list, max_length=250, examples=[["CO", "PE"]]
    )
    regions: Annotated[list[Name], AfterValidator(_distinct)] = Field(
        default_factory=list, max_length=100, examples=[["Caribbean region"]]
    )
    conflict_types: Annotated[list[ShortCode], AfterValidator(_distinct)] = Field(
        default_factory=list, max_length=50, examples=[["land"]]
    )
    phases: Annotated[list[ShortCode], AfterValidator(_distinct)] = Field(
        default_factory=list, max_length=20, examples=[["post-agreement"]]
    )
    tracks: Annotated[list[TrackNumber], AfterValidator(_distinct)] = Field(
        default_factory=list,
        max_length=9,
        description="Tracks of multi-track diplomacy (1-9) it concerns, none repeated.",
        examples=[[1, 4]],
    )


class LessonCreate(Strict):
    owner_org: Name = Field(
        description="Consortium member that records the lesson.", examples=["imtd"]
    )
    visibility: Visibility = Visibility.consortium
    statement: Text = Field(
        description="The lesson, in one or two sentences.",
        examples=["Hearing every side before the first joint dialogue kept the spoilers away."],
    )
    evidence: Text = Field(
        description="What the lesson rests on.",
        examples=["Three dialogue rounds in 2024; attendance and follow-up interviews."],
    )
    confidence: Confidence = Field(
        description="How sure the evaluators are: low, medium or high.", examples=["medium"]
    )
    context: LessonContextIn


class LessonPublic(BaseModel):
    id: str
    owner_org: str
    visibility: str
    statement: str
    evidence: str
    confidence: Confidence
    context: LessonContextIn
    recorded_at: datetime

    @classmethod
    def of(cls, lesson: Lesson) -> LessonPublic:
        return cls(
            id=lesson.id,
            owner_org=lesson.owner_org,
            visibility=lesson.visibility,
            statement=lesson.statement,
            evidence=lesson.evidence,
            confidence=lesson.confidence,
            context=LessonContextIn.model_validate(lesson.context, from_attributes=True),
            recorded_at=lesson.recorded_at,
        )
