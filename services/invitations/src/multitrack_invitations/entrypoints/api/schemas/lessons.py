"""Response bodies of the lessons learned that reach an invitation."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_invitations.domain.lessons import LessonMatch
from multitrack_shared.events.vocabulary import Confidence


class LessonMatchPublic(BaseModel):
    """A lesson learned that reaches the invitation, as the evaluation service last worded it."""

    lesson_id: str = Field(
        description="Id of the lesson in the evaluation service, which holds its evidence."
    )
    statement: str = Field(description="The lesson, at its latest revision.")
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
            confidence=Confidence(wording.confidence),
            revision=lesson.revision,
            score=found.score,
            relevance=found.relevance,
            reasons=list(found.reasons),
        )


def lessons_public(found: list[LessonMatch]) -> list[LessonMatchPublic]:
    """The lessons as anyone who may read them sees them: a lesson reaches this service with
    nothing personal (its evidence stays with the lesson in the evaluation service)."""
    return [LessonMatchPublic.of(one) for one in found]
