"""Response bodies of the lessons learned that reach an invitation."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_invitations.domain.lessons import LessonMatch
from multitrack_shared.auth.personal import MayNamePeople, withhold_personal
from multitrack_shared.auth.policy import may_see_personal
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events.vocabulary import Confidence


class LessonMatchPublic(BaseModel):
    """A lesson learned that reaches the invitation, as the evaluation service last worded it."""

    lesson_id: str = Field(description="Id of the lesson in the evaluation service.")
    statement: str = Field(description="The lesson, at its latest revision.")
    evidence: Annotated[str | None, MayNamePeople] = Field(
        description="What the lesson rests on; null outside the lesson's organization."
    )
    confidence: Confidence = Field(description="How sure the evaluators are.")
    revision: int = Field(description="Revision shown; the first recording is 1.")
    score: int = Field(description="Sum of the weights of the matching dimensions.")
    relevance: float = Field(description="Score over the most this lesson could score, 0 to 1.")
    reasons: list[str] = Field(description="Each dimension that matched, e.g. 'same country: CO'.")

    @classmethod
    def of(cls, found: LessonMatch) -> LessonMatchPublic:
        lesson, wording = found.lesson, found.lesson.wording
        assert wording is not None  # only active lessons match, and they have a wording
        return cls(
            lesson_id=lesson.lesson_id,
            statement=wording.statement,
            evidence=wording.evidence,
            confidence=Confidence(wording.confidence),
            revision=lesson.revision,
            score=found.score,
            relevance=found.relevance,
            reasons=list(found.reasons),
        )


def lessons_public(found: list[LessonMatch], caller: Principal) -> list[LessonMatchPublic]:
    """The lessons as ``caller`` may see them: a lesson's personal data is its organization's."""
    return [
        withhold_personal(
            LessonMatchPublic.of(one),
            may_see_personal=may_see_personal(caller, one.lesson.owner_org),
        )
        for one in found
    ]
