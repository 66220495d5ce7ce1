"""The timeline of an engagement: what happened, day by day, told in one line each.

Entries are ordered by the day they concern, then by the time the event carries. Events that
carry only a day (a party heard, an activity, an analysis, a liaison) count as the start of
that day; ties are broken by kind and wording, so that a rebuilt digest reads the same.

A summary names no one, so that every reader of the digest may see it; the free text that
may name people (a response's reasoning, who evaluated) is the entry's ``detail``, shown to
the engagement's owner only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from multitrack_evaluation.domain.facts import EngagementRecord
from multitrack_shared.times import utc


class What(StrEnum):
    opened = "opened"
    status_changed = "status_changed"
    closed = "closed"
    analysis_recorded = "analysis_recorded"
    party_heard = "party_heard"
    activity_recorded = "activity_recorded"
    liaison_recorded = "liaison_recorded"
    partnership_formed = "partnership_formed"
    partnership_ended = "partnership_ended"
    lesson_responded = "lesson_responded"
    evaluation_completed = "evaluation_completed"


@dataclass(frozen=True, order=True)
class TimelineEntry:
    on: date
    at: datetime
    what: What
    summary: str
    detail: str | None = None


def timeline(record: EngagementRecord) -> list[TimelineEntry]:
    return sorted(_entries(record))


def _entries(record: EngagementRecord) -> Iterator[TimelineEntry]:
    h = record.header
    yield _at(
        h.opened_at,
        What.opened,
        f"Opened for {h.name} ({h.country}), committed until {h.committed_until.isoformat()}",
    )
    for change in record.status_changes:
        why = f" ({change.reason})" if change.reason else ""
        yield _at(
            change.changed_at,
            What.status_changed,
            f"{change.from_status} → {change.to_status}{why}",
        )
    if h.closed_at is not None:
        early = " early" if h.closed_early else ""
        why = f" ({h.close_reason})" if h.close_reason else ""
        yield _at(h.closed_at, What.closed, f"Closed{early}{why}")
    for a in record.analyses:
        yield _on(
            a.analysed_on,
            What.analysis_recorded,
            f"Conflict analysis version {a.version}: {len(a.sides)} sides, "
            f"{a.dividers} dividers, {a.connectors} connectors",
        )
    for heard in record.hearings:
        yield _on(
            heard.heard_on,
            What.party_heard,
            f"Heard a party of side {heard.side}, track {heard.track}",
        )
    for act in record.activities:
        people = sum(p.count for p in act.participants)
        tracks = ", ".join(str(t) for t in sorted(act.tracks))
        yield _on(
            act.held_on,
            What.activity_recorded,
            f"{act.kind.capitalize()}: {people} participants, tracks {tracks}",
        )
    for liaison in record.liaisons:
        yield _on(
            liaison.held_on,
            What.liaison_recorded,
            f"{liaison.kind.capitalize()} with {liaison.institution}",
        )
    yield from _partnership_entries(record)
    for answer in record.lesson_answers:
        yield _at(
            answer.responded_at,
            What.lesson_responded,
            f"Lesson {answer.lesson_id} {answer.response}",
        )
    for done in record.evaluations:
        yield _at(
            done.completed_at,
            What.evaluation_completed,
            f"Evaluated {done.period_start.isoformat()} to {done.period_end.isoformat()}",
            detail=f"By {done.evaluated_by}",
        )


def _partnership_entries(record: EngagementRecord) -> Iterator[TimelineEntry]:
    for p in record.partnerships:
        yield TimelineEntry(
            p.starts_on,
            utc(p.formed_at),
            What.partnership_formed,
            f"{p.partner_name} joined as {p.role}",
        )
        if p.ended_at is not None and p.ends_on is not None:
            yield TimelineEntry(
                p.ends_on, utc(p.ended_at), What.partnership_ended, f"{p.partner_name} left"
            )


def _at(moment: datetime, what: What, summary: str, detail: str | None = None) -> TimelineEntry:
    moment = utc(moment)
    return TimelineEntry(moment.date(), moment, what, summary, detail)


def _on(day: date, what: What, summary: str) -> TimelineEntry:
    return TimelineEntry(day, datetime.combine(day, time.min, UTC), what, summary)
