"""Bodies of the lessons inbox, the briefing and responses.

The reasoning of a response is free text that may name people: it is shown to the people of the
engagement's organization only. A lesson's evidence stays with the lesson in the evaluation
service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.application.lessons import InboxItem
from multitrack_engagements.application.lookup import Shown
from multitrack_shared.auth.personal import MayNamePeople, withhold_personal
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.validation import Strict, Text

WITHHELD = "Null for callers outside the engagement's organization."


class ResponseCreate(Strict):
    response: LessonResponse = Field(examples=["adapted"])
    why: Annotated[Text, MayNamePeople] = Field(
        description="The reasoning, for the evaluators.",
        examples=["Applied with the elders' council instead of the municipal office."],
    )


class ResponseOut(BaseModel):
    response: LessonResponse
    why: Annotated[str | None, MayNamePeople] = Field(description=f"The reasoning. {WITHHELD}")
    revision: int = Field(description="The revision of the lesson responded to.")
    responded_at: datetime


class LessonDeliveryPublic(BaseModel):
    lesson_id: str = Field(
        description="Id of the lesson in the evaluation service, which holds its evidence."
    )
    revision: int
    statement: str
    confidence: str
    score: int = Field(description="Matching score by the shared lesson-matching rule.")
    relevance: float = Field(description="Score over the most the lesson could get.")
    reasons: list[str] = Field(description="What the lesson and the engagement share.")
    reaches: bool = Field(description="False for a responded lesson that no longer matches.")
    retired: bool = Field(description="Retired since; kept because it was responded to.")
    recorded_at: datetime | None
    response: ResponseOut | None

    @classmethod
    def of(cls, item: InboxItem, *, may_see_personal: bool) -> LessonDeliveryPublic:
        """The delivery as its caller may see it; ``may_see_personal``: the engagement's."""
        d, r = item.delivery, item.response
        response = (
            withhold_personal(
                ResponseOut.model_validate(r, from_attributes=True),
                may_see_personal=may_see_personal,
            )
            if r
            else None
        )
        return cls(
            lesson_id=d.lesson_id,
            revision=d.revision,
            statement=d.statement,
            confidence=d.confidence,
            score=d.score,
            relevance=d.relevance,
            reasons=list(d.reasons),
            reaches=d.reaches,
            retired=d.retired,
            recorded_at=d.recorded_at,
            response=response,
        )


def deliveries_shown(shown: Shown[list[InboxItem]]) -> list[LessonDeliveryPublic]:
    """Lessons delivered, as their caller may see them: a response's reasoning only to the
    engagement's organization."""
    return [LessonDeliveryPublic.of(i, may_see_personal=shown.personal) for i in shown.records]
