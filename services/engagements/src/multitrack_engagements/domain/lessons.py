"""Lessons learned reaching an engagement: the briefing at opening and the lessons inbox.

Whether a lesson reaches an engagement is decided by ``multitrack_shared.matching`` and by
nothing else. What the inbox holds is then one rule, ``delivery_of``, a function of the lesson
as it now is, the engagement's facts and whether the engagement already responded — never of
the order in which events arrived — so replaying every event rebuilds the same inbox:

- an active lesson that reaches an engagement that is not closed is delivered;
- a lesson the engagement responded to stays, whatever happened to it since (shown retired
  when retired), so a response is never orphaned;
- anything else is not in the inbox.

A lesson is known here by its statement, confidence and context; its evidence stays in the
evaluation service (it may name the people it rests on), under the lesson's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from multitrack_engagements.domain.facts import EngagementFacts
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events.vocabulary import LessonResponse
from multitrack_shared.matching import (
    LessonScope,
    Match,
    MatchContext,
    in_place,
    match,
    rank,
    visible_to,
)


@dataclass(frozen=True)
class Lesson:
    lesson_id: str
    revision: int
    """0 while only the lesson's retirement is known (its recording not yet seen)."""
    statement: str
    confidence: str
    scope: LessonScope
    recorded_at: datetime | None
    active: bool
    owner_org: str | None = None
    """Known once the recording is seen; until then the lesson counts as consortium-wide."""
    visibility: str = "consortium"

    # Recorded, revised and retired merge commutatively: the content is that of the highest
    # revision seen, ``recorded_at`` comes from the recording, and one retirement is final.

    @classmethod
    def retired_unseen(cls, lesson_id: str) -> Lesson:
        return cls(lesson_id, 0, "", "", LessonScope(), None, active=False)

    @classmethod
    def recorded(
        cls,
        earlier: Lesson | None,
        *,
        lesson_id: str,
        statement: str,
        confidence: str,
        scope: LessonScope,
        recorded_at: datetime,
        owner_org: str,
        visibility: str,
    ) -> Lesson:
        if earlier is not None and earlier.revision >= 1:
            return replace(
                earlier, recorded_at=recorded_at, owner_org=owner_org, visibility=visibility
            )
        active = earlier.active if earlier is not None else True
        return cls(
            lesson_id,
            1,
            statement,
            confidence,
            scope,
            recorded_at,
            active,
            owner_org=owner_org,
            visibility=visibility,
        )

    @classmethod
    def revised(
        cls,
        earlier: Lesson | None,
        *,
        lesson_id: str,
        revision: int,
        statement: str,
        confidence: str,
        scope: LessonScope,
    ) -> Lesson:
        if earlier is not None and earlier.revision >= revision:
            return earlier
        if earlier is None:
            return cls(lesson_id, revision, statement, confidence, scope, None, True)
        return replace(
            earlier,
            revision=revision,
            statement=statement,
            confidence=confidence,
            scope=scope,
        )

    def retired(self) -> Lesson:
        return replace(self, active=False)


@dataclass(frozen=True)
class Delivery:
    engagement_id: str
    lesson_id: str
    revision: int
    statement: str
    confidence: str
    score: int
    relevance: float
    reasons: tuple[str, ...]
    reaches: bool
    retired: bool
    recorded_at: datetime | None


@dataclass(frozen=True)
class ResponseToLesson:
    engagement_id: str
    lesson_id: str
    response: LessonResponse
    why: str
    revision: int
    """The revision of the lesson that was responded to."""
    responded_at: datetime


def match_context(facts: EngagementFacts) -> MatchContext:
    conflict = facts.engagement.conflict
    return MatchContext(
        country=conflict.country,
        region=conflict.region,
        conflict_type=conflict.conflict_type,
        phase=conflict.phase,
        tracks=facts.tracks,
        methods=frozenset(m for a in facts.activities for m in a.methods),
        peacebuilding_kinds=frozenset(a.peacebuilding_kind for a in facts.activities),
        rpp_quadrants=frozenset(a.rpp_quadrant for a in facts.activities),
        conflict_id=conflict.conflict_id,
    )


@dataclass(frozen=True)
class Whereabouts:
    """Of an engagement, what decides whether a lesson may reach it before anything else about
    it is read: whose it is, whether it is closed, and where it works."""

    engagement_id: str
    owner_org: str
    closed: bool
    conflict: ConflictDescription


def may_reach(lesson: Lesson, whereabouts: Whereabouts) -> bool:
    """Whether ``lesson`` can be delivered to the engagement, whatever its analyses, listening,
    activities and partners: the conditions of ``delivery_of`` that need nothing else. An
    engagement for which this is false gets the lesson only if it responded to it, so a lesson
    fans out without reading the facts of the engagements it cannot reach."""
    conflict = whereabouts.conflict
    place = MatchContext(
        country=conflict.country, region=conflict.region, conflict_id=conflict.conflict_id
    )
    return (
        lesson.revision >= 1
        and lesson.active
        and not whereabouts.closed
        and visible_to(lesson.owner_org, lesson.visibility, whereabouts.owner_org)
        and in_place(lesson.scope, place)
    )


def delivery_of(lesson: Lesson, facts: EngagementFacts, *, responded: bool) -> Delivery | None:
    if lesson.revision < 1:
        return None
    found = match(lesson.scope, match_context(facts))
    delivered = (
        lesson.active
        and found.reaches
        and not facts.engagement.closed
        and visible_to(lesson.owner_org, lesson.visibility, facts.engagement.owner_org)
    )
    if not (delivered or responded):
        return None
    return Delivery(
        engagement_id=facts.engagement.id,
        lesson_id=lesson.lesson_id,
        revision=lesson.revision,
        statement=lesson.statement,
        confidence=lesson.confidence,
        score=found.score,
        relevance=found.relevance,
        reasons=found.reasons,
        reaches=found.reaches,
        retired=not lesson.active,
        recorded_at=lesson.recorded_at,
    )


def in_briefing(delivery: Delivery, opened_at: datetime) -> bool:
    """The briefing at opening: lessons already recorded when the engagement opened."""
    return delivery.recorded_at is not None and delivery.recorded_at <= opened_at


def ranked(deliveries: Iterable[Delivery]) -> list[Delivery]:
    """By the matching rule's ranking; kept deliveries that no longer reach come last."""
    by_id = {d.lesson_id: d for d in deliveries}
    matches = [
        (d.lesson_id, Match(d.reaches, d.score, d.relevance, d.reasons)) for d in by_id.values()
    ]
    reaching = [by_id[key] for key, _ in rank(matches)]
    rest = sorted(
        (d for d in by_id.values() if not d.reaches),
        key=lambda d: (-d.score, -d.relevance, d.lesson_id),
    )
    return reaching + rest


def respond(
    delivery: Delivery | None,
    earlier: ResponseToLesson | None,
    *,
    lesson_id: str,
    response: LessonResponse,
    why: str,
    at: datetime,
) -> ResponseToLesson:
    """An engagement answers a lesson in its inbox once: applied, adapted or rejected, and why."""
    if delivery is None:
        raise NotFound(f"lesson {lesson_id} is not in this engagement's inbox", field="lesson_id")
    if earlier is not None:
        raise Conflict(
            f"lesson {lesson_id} was already {earlier.response} on {earlier.responded_at:%Y-%m-%d}",
            field="lesson_id",
            code="already_responded",
        )
    if not why.strip():
        raise DomainError("say why", field="why", code="required")
    return ResponseToLesson(
        engagement_id=delivery.engagement_id,
        lesson_id=lesson_id,
        response=response,
        why=why,
        revision=delivery.revision,
        responded_at=at,
    )
