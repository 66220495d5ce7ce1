"""Nine-track coverage: no one track alone builds a lasting peace, so show which are reached.

A track is covered when any source reaches it: the inviter, an actor of the latest conflict
analysis, a party heard, an activity, or a partner (an ended partnership still counts, marked
ended). The uncovered tracks are the gaps, named with the consortium's labels where it has
reworded them and the defaults otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from multitrack_engagements.domain.facts import EngagementFacts, PartnerSource
from multitrack_shared.reference import TRACKS

TRACK_NUMBERS = tuple(range(1, 10))


@dataclass(frozen=True)
class TrackSources:
    inviter: bool
    analysis_actors: int
    heard_parties: int
    activities: int
    partners: tuple[PartnerSource, ...]

    @property
    def covered(self) -> bool:
        return bool(
            self.inviter
            or self.analysis_actors
            or self.heard_parties
            or self.activities
            or self.partners
        )


@dataclass(frozen=True)
class TrackCoverage:
    track: int
    label: str
    sources: TrackSources

    @property
    def covered(self) -> bool:
        return self.sources.covered


@dataclass(frozen=True)
class Coverage:
    tracks: tuple[TrackCoverage, ...]

    @property
    def gaps(self) -> tuple[TrackCoverage, ...]:
        return tuple(t for t in self.tracks if not t.covered)


def track_labels(consortium: Mapping[str, str]) -> dict[int, str]:
    """Label per track: the consortium's wording (by track code) where given, else the default."""
    defaults = {int(item.code): item.label for item in TRACKS}
    return {n: consortium.get(str(n), defaults[n]) for n in TRACK_NUMBERS}


def nine_track_coverage(facts: EngagementFacts, labels: Mapping[int, str]) -> Coverage:
    return Coverage(
        tuple(
            TrackCoverage(track=n, label=labels[n], sources=_sources(facts, n))
            for n in TRACK_NUMBERS
        )
    )


def _sources(facts: EngagementFacts, track: int) -> TrackSources:
    return TrackSources(
        inviter=facts.engagement.inviter_track == track,
        analysis_actors=facts.actor_tracks.count(track),
        heard_parties=facts.heard_tracks.count(track),
        activities=sum(1 for a in facts.activities if track in a.tracks),
        partners=tuple(p for p in facts.partners if track in p.tracks),
    )
