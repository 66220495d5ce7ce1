"""Bodies of the lessons inbox, the briefing, responses, and the nine-track coverage."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from multitrack_engagements.application.lessons import InboxItem
from multitrack_engagements.domain.coverage import Coverage, TrackCoverage
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.validation import Strict, Text


class ResponseCreate(Strict):
    response: LessonResponse = Field(examples=["adapted"])
    why: Text = Field(
        description="The reasoning, for the evaluators.",
        examples=["Applied with the elders' council instead of the municipal office."],
    )


class ResponseOut(BaseModel):
    response: LessonResponse
    why: str
    revision: int = Field(description="The revision of the lesson responded to.")
    responded_at: datetime


class LessonDeliveryPublic(BaseModel):
    lesson_id: str
    revision: int
    statement: str
    evidence: str
    confidence: str
    score: int = Field(description="Matching score by the shared lesson-matching rule.")
    relevance: float = Field(description="Score over the most the lesson could get.")
    reasons: list[str] = Field(description="What the lesson and the engagement share.")
    reaches: bool = Field(description="False for a responded lesson that no longer matches.")
    retired: bool = Field(description="Retired since; kept because it was responded to.")
    recorded_at: datetime | None
    response: ResponseOut | None

    @classmethod
    def of(cls, item: InboxItem) -> LessonDeliveryPublic:
        d, r = item.delivery, item.response
        return cls(
            lesson_id=d.lesson_id,
            revision=d.revision,
            statement=d.statement,
            evidence=d.evidence,
            confidence=d.confidence,
            score=d.score,
            relevance=d.relevance,
            reasons=list(d.reasons),
            reaches=d.reaches,
            retired=d.retired,
            recorded_at=d.recorded_at,
            response=ResponseOut.model_validate(r, from_attributes=True) if r else None,
        )


class PartnerSourceOut(BaseModel):
    partnership_id: str
    partner_name: str | None
    ended: bool


class TrackSourcesOut(BaseModel):
    inviter: bool
    analysis_actors: int = Field(description="Actors of the latest analysis on this track.")
    heard_parties: int
    activities: int
    partners: list[PartnerSourceOut]


class TrackCoverageOut(BaseModel):
    track: int
    label: str
    covered: bool
    sources: TrackSourcesOut

    @classmethod
    def of(cls, t: TrackCoverage) -> TrackCoverageOut:
        s = t.sources
        return cls(
            track=t.track,
            label=t.label,
            covered=t.covered,
            sources=TrackSourcesOut(
                inviter=s.inviter,
                analysis_actors=s.analysis_actors,
                heard_parties=s.heard_parties,
                activities=s.activities,
                partners=[
                    PartnerSourceOut.model_validate(p, from_attributes=True) for p in s.partners
                ],
            ),
        )


class GapOut(BaseModel):
    track: int
    label: str


class CoveragePublic(BaseModel):
    tracks: list[TrackCoverageOut]
    gaps: list[GapOut] = Field(description="Tracks no source reaches, with their labels.")

    @classmethod
    def of(cls, coverage: Coverage) -> CoveragePublic:
        return cls(
            tracks=[TrackCoverageOut.of(t) for t in coverage.tracks],
            gaps=[GapOut(track=g.track, label=g.label) for g in coverage.gaps],
        )
