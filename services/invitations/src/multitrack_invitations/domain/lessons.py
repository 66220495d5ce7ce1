"""Lessons learned as this service knows them: a projection of the evaluation service's events.

The evaluation service owns lessons; here each is kept at its latest revision, with whether it
still holds. Applying an event is an upsert keyed by the lesson id, decided from the event
alone (never the clock), so replaying every event from the start rebuilds the same lessons:

- a recording sets the wording only if nothing newer is known (it is revision 1);
- a revision replaces the wording only when its number is higher than the one known — a late
  or repeated one is ignored;
- a retirement switches the lesson off for good; a revision does not switch it back on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from multitrack_shared.matching import LessonScope, MatchContext, match, rank, visible_to

FIRST_REVISION = 1


@dataclass(frozen=True)
class Wording:
    """What a revision of a lesson says, and where it holds (``LessonContext`` as a mapping).

    Its evidence does not travel (it may name people): the evaluation service holds it, under
    the lesson's id."""

    statement: str
    confidence: str
    context: Mapping[str, Sequence[str | int]]


@dataclass(frozen=True)
class Lesson:
    lesson_id: str
    revision: int
    wording: Wording | None
    """None until the recording or a revision is seen (a retirement may be seen first)."""
    owner_org: str | None = None
    visibility: str = "consortium"
    recorded_at: datetime | None = None
    revised_at: datetime | None = None
    retired_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.retired_at is None and self.wording is not None

    @property
    def scope(self) -> LessonScope:
        """Where the lesson holds, for ``multitrack_shared.matching`` (the only rule)."""
        context = self.wording.context if self.wording else {}
        return LessonScope.of(
            countries=[str(v) for v in context.get("countries", ())],
            regions=[str(v) for v in context.get("regions", ())],
            conflict_types=[str(v) for v in context.get("conflict_types", ())],
            phases=[str(v) for v in context.get("phases", ())],
            tracks=[int(v) for v in context.get("tracks", ())],
            methods=[str(v) for v in context.get("methods", ())],
            peacebuilding_kinds=[str(v) for v in context.get("peacebuilding_kinds", ())],
            rpp_quadrants=[str(v) for v in context.get("rpp_quadrants", ())],
            conflict_ids=[str(v) for v in context.get("conflict_ids", ())],
        )

    def visible_to(self, org: str) -> bool:
        return visible_to(self.owner_org, self.visibility, org)


def recorded(
    known: Lesson | None,
    *,
    lesson_id: str,
    wording: Wording,
    owner_org: str,
    visibility: str,
    recorded_at: datetime,
) -> Lesson:
    lesson = known or Lesson(lesson_id=lesson_id, revision=0, wording=None)
    lesson = replace(lesson, owner_org=owner_org, visibility=visibility, recorded_at=recorded_at)
    if lesson.revision >= FIRST_REVISION:
        return lesson  # a revision is already known: it wins over the first wording
    return replace(lesson, revision=FIRST_REVISION, wording=wording)


def revised(
    known: Lesson | None,
    *,
    lesson_id: str,
    revision: int,
    wording: Wording,
    revised_at: datetime,
) -> Lesson:
    lesson = known or Lesson(lesson_id=lesson_id, revision=0, wording=None)
    if revision <= lesson.revision:
        return lesson  # stale or repeated: the stored revision is as new or newer
    return replace(lesson, revision=revision, wording=wording, revised_at=revised_at)


def retired(known: Lesson | None, *, lesson_id: str, retired_at: datetime) -> Lesson:
    lesson = known or Lesson(lesson_id=lesson_id, revision=0, wording=None)
    if lesson.retired_at is not None:
        return lesson  # the first retirement stands
    return replace(lesson, retired_at=retired_at)


@dataclass(frozen=True)
class LessonMatch:
    """A lesson that reaches a target, with how well and why."""

    lesson: Lesson
    score: int
    relevance: float
    reasons: tuple[str, ...]


def reaching(target: MatchContext, org: str, lessons: Iterable[Lesson]) -> list[LessonMatch]:
    """The active lessons visible to ``org`` that reach ``target``, best first.

    Matching and ranking are ``multitrack_shared.matching``'s, the one rule every service
    applies; nothing here adds to it.
    """
    candidates = {
        lesson.lesson_id: lesson for lesson in lessons if lesson.active and lesson.visible_to(org)
    }
    ranked = rank([(lesson_id, match(one.scope, target)) for lesson_id, one in candidates.items()])
    return [
        LessonMatch(candidates[lesson_id], m.score, m.relevance, m.reasons)
        for lesson_id, m in ranked
    ]
