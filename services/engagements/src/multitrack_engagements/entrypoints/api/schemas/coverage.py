"""Bodies of the nine-track coverage."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_engagements.domain.coverage import Coverage, TrackCoverage


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
