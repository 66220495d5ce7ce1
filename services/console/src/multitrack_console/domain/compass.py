"""The nine-track compass of an engagement, as geometry an SVG template draws.

The nine tracks stand equal around a centre (40° each, track one at the top). A track's
weight is what the engagement has done on it: parties heard, activities held and partners
engaged there. A wedge's length grows with the square root of its weight against the
heaviest track's, so that area, not radius, is proportional; a track with no weight is a gap,
drawn as an empty dashed outline. Around it, a ring of the three kinds of peacebuilding, each
arc as strong as the share of activities of that kind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SLIVER = 0.12
"""How far a covered track without weight reaches, as a share of a full wedge."""
SIZE = 360
CENTRE = SIZE / 2
INNER = 22.0
OUTER = 130.0
RING_INNER = 140.0
RING_OUTER = 162.0
TRACK_SPAN = 360 / 9
WEDGE_SPAN = TRACK_SPAN - 4

KINDS = (
    ("political", "Political"),
    ("economic_institutional", "Economic and institutional"),
    ("social", "Social"),
)


@dataclass(frozen=True)
class TrackWeight:
    track: int
    label: str
    heard: int
    activities: int
    partners: int
    covered: bool = True
    """Whether anything reaches the track (the engagements service's coverage says)."""

    @property
    def weight(self) -> int:
        return self.heard + self.activities + self.partners


@dataclass(frozen=True)
class Wedge:
    track: int
    label: str
    weight: int
    path: str
    outline: str
    gap: bool
    label_x: float
    label_y: float
    description: str


@dataclass(frozen=True)
class RingArc:
    code: str
    label: str
    activities: int
    opacity: float
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Compass:
    size: int
    centre: float
    wedges: list[Wedge]
    ring: list[RingArc]

    @property
    def gaps(self) -> list[Wedge]:
        return [w for w in self.wedges if w.gap]


def point(angle_degrees: float, radius: float) -> tuple[float, float]:
    """The point at ``radius`` from the centre, ``angle_degrees`` clockwise from the top."""
    radians = math.radians(angle_degrees - 90)
    return (
        round(CENTRE + radius * math.cos(radians), 2),
        round(CENTRE + radius * math.sin(radians), 2),
    )


def sector(start: float, end: float, inner: float, outer: float) -> str:
    """An SVG path of the ring sector between two angles and two radii."""
    large = 1 if end - start > 180 else 0
    x1, y1 = point(start, outer)
    x2, y2 = point(end, outer)
    x3, y3 = point(end, inner)
    x4, y4 = point(start, inner)
    return (
        f"M{x1},{y1} A{outer},{outer} 0 {large} 1 {x2},{y2} "
        f"L{x3},{y3} A{inner},{inner} 0 {large} 0 {x4},{y4} Z"
    )


def draw_compass(tracks: list[TrackWeight], activities_by_kind: dict[str, int]) -> Compass:
    heaviest = max((t.weight for t in tracks), default=0)
    wedges = [_wedge(t, heaviest) for t in sorted(tracks, key=lambda t: t.track)]
    total = sum(activities_by_kind.values())
    ring = [
        _arc(index, code, label, activities_by_kind.get(code, 0), total)
        for index, (code, label) in enumerate(KINDS)
    ]
    return Compass(SIZE, CENTRE, wedges, ring)


def _wedge(track: TrackWeight, heaviest: int) -> Wedge:
    middle = (track.track - 1) * TRACK_SPAN
    start, end = middle - WEDGE_SPAN / 2, middle + WEDGE_SPAN / 2
    share = math.sqrt(track.weight / heaviest) if heaviest else 0.0
    gap = not track.covered and track.weight == 0
    length = INNER + (OUTER - INNER) * max(share, 0.0 if gap else SLIVER)
    label_x, label_y = point(middle, OUTER - 12)
    description = f"Track {track.track}, {track.label}: " + (
        "a gap, nothing yet"
        if track.weight == 0
        else f"{track.heard} heard, {track.activities} activities, {track.partners} partners"
    )
    return Wedge(
        track=track.track,
        label=track.label,
        weight=track.weight,
        path="" if gap else sector(start, end, INNER, length),
        outline=sector(start, end, INNER, OUTER),
        gap=gap,
        label_x=label_x,
        label_y=label_y,
        description=description,
    )


def _arc(index: int, code: str, label: str, activities: int, total: int) -> RingArc:
    start = index * 120 + 1
    end = start + 118
    label_x, label_y = point(start + 59, RING_OUTER + 12)
    return RingArc(
        code=code,
        label=label,
        activities=activities,
        opacity=round(0.15 + 0.85 * activities / total, 2) if total else 0.15,
        path=sector(start, end, RING_INNER, RING_OUTER),
        label_x=label_x,
        label_y=label_y,
    )
