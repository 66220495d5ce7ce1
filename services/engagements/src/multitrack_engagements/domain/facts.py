"""What is known about one engagement from every source: its own records and the partnerships
other services told it about. Coverage and lesson matching are both computed from these facts,
so the tracks they consider are always the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_engagements.domain.engagement import Engagement


@dataclass(frozen=True)
class PartnerSource:
    """A partnership of the engagement; an ended one still counts for the period it ran."""

    partnership_id: str
    partner_name: str | None
    tracks: tuple[int, ...]
    ended: bool


@dataclass(frozen=True)
class ActivityFacts:
    tracks: tuple[int, ...]
    methods: tuple[str, ...]
    peacebuilding_kind: str
    rpp_quadrant: str


@dataclass(frozen=True)
class EngagementFacts:
    engagement: Engagement
    actor_tracks: tuple[int, ...] = ()
    """Tracks of the actors of the latest conflict analysis, one entry per actor."""
    heard_tracks: tuple[int, ...] = ()
    """Tracks of the parties heard, one entry per ledger entry."""
    activities: tuple[ActivityFacts, ...] = ()
    partners: tuple[PartnerSource, ...] = ()

    @property
    def tracks(self) -> frozenset[int]:
        return frozenset(
            {
                self.engagement.inviter_track,
                *self.actor_tracks,
                *self.heard_tracks,
                *(t for a in self.activities for t in a.tracks),
                *(t for p in self.partners for t in p.tracks),
            }
        )
