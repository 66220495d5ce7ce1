"""The consortium's nine-track compass for one conflict: every engagement on it, every member
working there, and the tracks nobody covers (no one track alone builds a lasting peace).

An engagement counts toward the compass while it is not closed; a closed one is listed, and
its tracks no longer count. Which engagements the compass counts is decided by its caller's
visibility before it is computed: another organization's owner-only engagement is neither
listed nor counted, so a member working there quietly is never revealed by a track it covers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from multitrack_engagements.domain.coverage import TRACK_NUMBERS
from multitrack_engagements.domain.engagement import Status
from multitrack_engagements.domain.facts import EngagementFacts


@dataclass(frozen=True)
class EngagementOnConflict:
    engagement_id: str
    owner_org: str
    status: Status
    tracks: tuple[int, ...]


@dataclass(frozen=True)
class CompassPoint:
    track: int
    label: str
    engagements: tuple[str, ...]
    members: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.engagements)


@dataclass(frozen=True)
class ConsortiumCompass:
    engagements: tuple[EngagementOnConflict, ...]
    members: tuple[str, ...]
    tracks: tuple[CompassPoint, ...]

    @property
    def uncovered(self) -> tuple[CompassPoint, ...]:
        return tuple(t for t in self.tracks if not t.covered)


def consortium_compass(
    facts: Iterable[EngagementFacts], labels: Mapping[int, str]
) -> ConsortiumCompass:
    on_conflict = sorted(
        (
            EngagementOnConflict(
                f.engagement.id,
                f.engagement.owner_org,
                f.engagement.status,
                tuple(sorted(f.tracks)),
            )
            for f in facts
        ),
        key=lambda e: (e.owner_org, e.engagement_id),
    )
    working = [e for e in on_conflict if e.status is not Status.closed]
    return ConsortiumCompass(
        engagements=tuple(on_conflict),
        members=tuple(sorted({e.owner_org for e in working})),
        tracks=tuple(_point(n, labels[n], working) for n in TRACK_NUMBERS),
    )


def _point(track: int, label: str, working: list[EngagementOnConflict]) -> CompassPoint:
    reaching = [e for e in working if track in e.tracks]
    return CompassPoint(
        track=track,
        label=label,
        engagements=tuple(e.engagement_id for e in reaching),
        members=tuple(sorted({e.owner_org for e in reaching})),
    )
