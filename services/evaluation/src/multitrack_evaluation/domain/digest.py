"""The digest of an engagement: the whole of it at a glance, for the evaluators.

Nine-track coverage (a compass: no one track alone builds a lasting peace, so the tracks not
reached are named as gaps), inclusion (women among participants, standard 6; activities led
locally, standard 11; local and external methods, standard 7), the analyses known and the
evaluations done, a timeline, and the trends quarter by quarter (``domain.trends``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from multitrack_evaluation.domain.facts import (
    Activity,
    Analysis,
    EngagementHeader,
    EngagementRecord,
    EvaluationDone,
    current_status,
)
from multitrack_evaluation.domain.timeline import TimelineEntry, timeline
from multitrack_evaluation.domain.trends import QuarterFigures, by_quarter, share

TRACKS = tuple(range(1, 10))
FEMALE = "female"
LOCAL = "local"


@dataclass(frozen=True)
class Coverage:
    activities: list[int]
    parties_heard: list[int]
    analysis_actors: list[int]
    partners: list[int]
    reached: list[int]
    gaps: list[int]


@dataclass(frozen=True)
class Inclusion:
    participants: int
    women: int
    women_share: float | None
    activities: int
    led_locally: int
    led_locally_share: float | None
    local_methods: int
    external_methods: int
    local_methods_share: float | None


@dataclass(frozen=True)
class Digest:
    header: EngagementHeader
    status: str
    timeline: list[TimelineEntry]
    coverage: Coverage
    inclusion: Inclusion
    analyses: list[Analysis]
    evaluations: list[EvaluationDone]
    trends: list[QuarterFigures]


def digest(record: EngagementRecord) -> Digest:
    return Digest(
        header=record.header,
        status=current_status(record.header, record.status_changes),
        timeline=timeline(record),
        coverage=coverage(record),
        inclusion=inclusion(record.activities),
        analyses=sorted(record.analyses, key=lambda a: a.version),
        evaluations=sorted(record.evaluations, key=lambda e: (e.completed_at, e.evaluation_id)),
        trends=by_quarter(record),
    )


def coverage(record: EngagementRecord) -> Coverage:
    """Tracks reached by activities, parties heard, the current analysis's actors, partners."""
    latest = max(record.analyses, key=lambda a: a.version, default=None)
    activities = _tracks(t for a in record.activities for t in a.tracks)
    heard = _tracks(h.track for h in record.hearings)
    actors = _tracks(latest.actor_tracks if latest else ())
    partners = _tracks(t for p in record.partnerships for t in p.partner_tracks)
    reached = _tracks([*activities, *heard, *actors, *partners])
    return Coverage(
        activities=activities,
        parties_heard=heard,
        analysis_actors=actors,
        partners=partners,
        reached=reached,
        gaps=[t for t in TRACKS if t not in reached],
    )


def inclusion(activities: list[Activity]) -> Inclusion:
    participants = sum(p.count for a in activities for p in a.participants)
    women = sum(p.count for a in activities for p in a.participants if p.sex == FEMALE)
    led = sum(1 for a in activities if a.led_locally)
    methods = [m for a in activities for m in a.methods]
    local_methods = sum(1 for m in methods if m.origin == LOCAL)
    return Inclusion(
        participants=participants,
        women=women,
        women_share=share(women, participants),
        activities=len(activities),
        led_locally=led,
        led_locally_share=share(led, len(activities)),
        local_methods=local_methods,
        external_methods=len(methods) - local_methods,
        local_methods_share=share(local_methods, len(methods)),
    )


def _tracks(values: Iterable[int]) -> list[int]:
    return sorted({t for t in values if t in TRACKS})
