"""Request and response bodies of the lessons API.

A lesson's ``statement`` is meant for the whole consortium (it propagates to every matching
engagement and invitation), so it is worded to name no one and is not marked personal. Its
``evidence`` and a retirement's ``reason`` may name people (interviewees, evaluators), and so
may an engagement's reasoning in its response: those are shown only to the people of the
organization owning the lesson (the response: the engagement).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from multitrack_evaluation.application.lessons import LessonView
from multitrack_evaluation.domain.lessons import Lesson, LessonContext, Response, Wording, tally
from multitrack_evaluation.entrypoints.api.schemas.common import Id, seen_by
from multitrack_shared.auth.personal import MayNamePeople
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events.common import Visibility
from multitrack_shared.events.vocabulary import (
    Confidence,
    DacCriterion,
    LessonResponse,
    RppQuadrant,
)
from multitrack_shared.reference import PEACEBUILDING_KINDS
from multitrack_shared.validation import (
    CountryCode,
    Name,
    RecordId,
    ShortCode,
    Strict,
    Text,
    TrackNumber,
    distinct,
)

KIND_CODES = tuple(item.code for item in PEACEBUILDING_KINDS)


def _peacebuilding_kind(code: str) -> str:
    if code not in KIND_CODES:
        raise ValueError(f"{code!r} is not a kind of peacebuilding ({', '.join(KIND_CODES)})")
    return code


PeacebuildingKind = Annotated[
    str, AfterValidator(_peacebuilding_kind), Field(json_schema_extra={"enum": list(KIND_CODES)})
]


class LessonContextIn(Strict):
    """Where the lesson holds. An empty list places no restriction on that dimension."""

    countries: Annotated[list[CountryCode], AfterValidator(distinct)] = Field(
        default_factory=list, max_length=250, examples=[["CO", "PE"]]
    )
    regions: Annotated[list[Name], AfterValidator(distinct)] = Field(
        default_factory=list, max_length=100, examples=[["Caribbean region"]]
    )
    conflict_types: Annotated[list[ShortCode], AfterValidator(distinct)] = Field(
        default_factory=list, max_length=50, examples=[["land"]]
    )
    phases: Annotated[list[ShortCode], AfterValidator(distinct)] = Field(
        default_factory=list, max_length=20, examples=[["post-agreement"]]
    )
    tracks: Annotated[list[TrackNumber], AfterValidator(distinct)] = Field(
        default_factory=list,
        max_length=9,
        description="Tracks of multi-track diplomacy (1-9) it concerns, none repeated.",
        examples=[[1, 4]],
    )
    methods: Annotated[list[Name], AfterValidator(distinct)] = Field(
        default_factory=list,
        max_length=50,
        description="Methods it concerns.",
        examples=[["problem-solving workshop"]],
    )
    peacebuilding_kinds: Annotated[list[PeacebuildingKind], AfterValidator(distinct)] = Field(
        default_factory=list,
        max_length=len(KIND_CODES),
        description=f"Kinds of peacebuilding: {', '.join(KIND_CODES)}.",
        examples=[["social"]],
    )
    rpp_quadrants: Annotated[list[RppQuadrant], AfterValidator(distinct)] = Field(
        default_factory=list, max_length=4, examples=[["key_people_socio_political"]]
    )
    dac_criteria: Annotated[list[DacCriterion], AfterValidator(distinct)] = Field(
        default_factory=list, max_length=6, examples=[["effectiveness"]]
    )
    conflict_ids: Annotated[list[RecordId], AfterValidator(distinct)] = Field(
        default_factory=list,
        max_length=20,
        description="Shared conflicts (their ids in the engagements service) the lesson was "
        "learnt on or bears on. A conflict is a place: the engagements and invitations on one "
        "of them receive it first, and a lesson naming only conflicts reaches no other.",
        examples=[["6f1c2b7e-0d1a-4c55-9d1e-3b2f1a0c9e11"]],
    )

    def to_domain(self) -> LessonContext:
        return LessonContext(**self.model_dump())


STATEMENT = (
    "The lesson, in one or two sentences. It reaches the whole consortium: name no one in it."
)
EVIDENCE = "What the lesson rests on; may name people, so shown to the owner's people only."


class LessonWordingIn(Strict):
    statement: Text = Field(
        description=STATEMENT,
        examples=["Hearing every side before the first joint dialogue kept the spoilers away."],
    )
    evidence: Annotated[Text, MayNamePeople] = Field(
        description=EVIDENCE,
        examples=["Three dialogue rounds in 2024; attendance and follow-up interviews."],
    )
    confidence: Confidence = Field(
        description="How sure the evaluators are: low, medium or high.", examples=["medium"]
    )
    context: LessonContextIn

    def wording(self) -> Wording:
        return Wording(self.statement, self.evidence, self.confidence, self.context.to_domain())


class LessonCreate(LessonWordingIn):
    """The lesson belongs to the caller's organization; no body field names an owner."""

    visibility: Visibility = Field(
        default=Visibility.consortium,
        description="consortium: the whole consortium reads it; owner: only the caller's "
        "organization does.",
        examples=["consortium"],
    )
    source_engagement_id: Id | None = Field(
        default=None, description="The engagement whose evaluation taught it, if any."
    )


class LessonRevision(LessonWordingIn):
    """The lesson as revised: statement, evidence, confidence and context, all restated."""


class RetirementCreate(Strict):
    reason: Annotated[Text, MayNamePeople] = Field(
        description="Why the lesson no longer holds.",
        examples=["Contradicted by the 2026 evaluation of three engagements."],
    )


class LessonPublic(BaseModel):
    id: str
    owner_org: str = Field(description="The organization whose evaluator recorded it.")
    visibility: str
    statement: str = Field(description=STATEMENT)
    evidence: Annotated[str | None, MayNamePeople] = Field(description=EVIDENCE)
    confidence: Confidence
    context: LessonContextIn
    source_engagement_id: str | None
    recorded_at: datetime
    revision: int = Field(description="1 when recorded; each revision adds one.")
    revised_at: datetime | None
    active: bool = Field(description="False once retired.")
    retired_reason: Annotated[str | None, MayNamePeople] = Field(
        description="Why it no longer holds; may name people."
    )
    retired_at: datetime | None

    @classmethod
    def of(cls, lesson: Lesson, caller: Principal) -> LessonPublic:
        return seen_by(caller, lesson.owner_org, cls._of(lesson))

    @classmethod
    def _of(cls, lesson: Lesson) -> LessonPublic:
        return cls(
            id=lesson.id,
            owner_org=lesson.owner_org,
            visibility=lesson.visibility,
            statement=lesson.statement,
            evidence=lesson.evidence,
            confidence=lesson.confidence,
            context=LessonContextIn.model_validate(lesson.context, from_attributes=True),
            source_engagement_id=lesson.source_engagement_id,
            recorded_at=lesson.recorded_at,
            revision=lesson.revision,
            revised_at=lesson.revised_at,
            active=lesson.active,
            retired_reason=lesson.retired_reason,
            retired_at=lesson.retired_at,
        )


class ResponseOut(BaseModel):
    engagement_id: str = Field(
        description="The engagement that responded; why it did stays in its lessons inbox."
    )
    response: LessonResponse
    at: datetime

    @classmethod
    def of(cls, r: Response) -> ResponseOut:
        return cls(engagement_id=r.engagement_id, response=r.response, at=r.at)


class ResponsesOut(BaseModel):
    """Each engagement's latest response, counted by kind and listed: the responses of the
    engagements the caller may see, and no others."""

    applied: int = Field(description="Engagements that applied the lesson.")
    adapted: int = Field(description="Engagements that adapted it.")
    rejected: int = Field(description="Engagements that rejected it.")
    items: list[ResponseOut] = Field(description="The responses, oldest first.")


class LessonDetail(LessonPublic):
    responses: ResponsesOut

    @classmethod
    def of_view(cls, view: LessonView, caller: Principal) -> LessonDetail:
        counts = tally(view.responses)
        return cls(
            **LessonPublic.of(view.lesson, caller).model_dump(),
            responses=ResponsesOut(
                applied=counts[LessonResponse.applied],
                adapted=counts[LessonResponse.adapted],
                rejected=counts[LessonResponse.rejected],
                items=[ResponseOut.of(r) for r in view.responses],
            ),
        )
