"""The one rule by which a lesson learned reaches an engagement or an invitation.

Used by the invitations service (matching lessons in an assessment) and the engagements
service (the briefing at opening and the lessons inbox) alike, so both always agree.

The rule. A lesson's context names, per dimension, where it holds; an empty dimension means
"anywhere" and neither adds nor takes away. For every dimension the lesson names:

- if the target's value (or one of its values) is among the lesson's, the dimension matches
  and adds its weight to the score, with a reason; otherwise it adds nothing.

A lesson reaches the target when the score is at least ``THRESHOLD`` and, where the lesson
names a place (countries, regions or shared conflicts), at least one of those place dimensions
matches: a lesson about Colombia does not reach Kenya for sharing a conflict type. Weights:
conflict 4, country 3, region 3, conflict type 2, phase 1, tracks 1, methods 1, kind of
peacebuilding 1, RPP quadrant 1.

A shared conflict (the consortium's record of it, by id) counts as a place, and the strongest
one: a lesson learnt on a conflict matters most to the work on that same conflict (the systems
view), so naming it reaches every engagement and invitation on it by itself (4 is over the
threshold) and ranks them above those that only share its country. Naming a conflict also
narrows like any place: a lesson naming only conflicts reaches nothing outside them.
A lesson with an empty context says nothing specific and reaches nobody (score 0).
The score reported is the sum; ``relevance`` is the score over the most the lesson could get.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

THRESHOLD = 3


@dataclass(frozen=True)
class MatchContext:
    """What is known about an engagement or an invitation, for matching."""

    country: str | None = None
    region: str | None = None
    conflict_type: str | None = None
    phase: str | None = None
    tracks: frozenset[int] = field(default_factory=frozenset)
    methods: frozenset[str] = field(default_factory=frozenset)
    peacebuilding_kinds: frozenset[str] = field(default_factory=frozenset)
    rpp_quadrants: frozenset[str] = field(default_factory=frozenset)
    conflict_id: str | None = None
    """The shared conflict the work is linked to, if any."""


@dataclass(frozen=True)
class LessonScope:
    """Where a lesson holds; mirrors ``events.evaluation.LessonContext``."""

    countries: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    conflict_types: frozenset[str] = field(default_factory=frozenset)
    phases: frozenset[str] = field(default_factory=frozenset)
    tracks: frozenset[int] = field(default_factory=frozenset)
    methods: frozenset[str] = field(default_factory=frozenset)
    peacebuilding_kinds: frozenset[str] = field(default_factory=frozenset)
    rpp_quadrants: frozenset[str] = field(default_factory=frozenset)
    conflict_ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls,
        *,
        countries: Iterable[str] = (),
        regions: Iterable[str] = (),
        conflict_types: Iterable[str] = (),
        phases: Iterable[str] = (),
        tracks: Iterable[int] = (),
        methods: Iterable[str] = (),
        peacebuilding_kinds: Iterable[str] = (),
        rpp_quadrants: Iterable[str] = (),
        conflict_ids: Iterable[str] = (),
    ) -> LessonScope:
        return cls(
            countries=frozenset(c.upper() for c in countries),
            regions=_folded(regions),
            conflict_types=_folded(conflict_types),
            phases=_folded(phases),
            tracks=frozenset(tracks),
            methods=_folded(methods),
            peacebuilding_kinds=_folded(peacebuilding_kinds),
            rpp_quadrants=_folded(rpp_quadrants),
            conflict_ids=frozenset(conflict_ids),
        )


@dataclass(frozen=True)
class Match:
    reaches: bool
    score: int
    relevance: float
    reasons: tuple[str, ...]


WEIGHTS = {
    "conflict": 4,
    "country": 3,
    "region": 3,
    "conflict_type": 2,
    "phase": 1,
    "tracks": 1,
    "methods": 1,
    "peacebuilding_kinds": 1,
    "rpp_quadrants": 1,
}


def match(scope: LessonScope, target: MatchContext) -> Match:
    score = 0
    most = 0
    reasons: list[str] = []
    matched: set[str] = set()
    for dimension, wanted, have in _dimensions(scope, target):
        if not wanted:
            continue
        most += WEIGHTS[dimension]
        shared = sorted(str(v) for v in wanted & have)
        if shared:
            matched.add(dimension)
            score += WEIGHTS[dimension]
            reasons.append(f"same {dimension.replace('_', ' ')}: {', '.join(shared)}")
    reaches = score >= THRESHOLD and _in_a_named_place(scope, matched)
    return Match(reaches, score, round(score / most, 3) if most else 0.0, tuple(reasons))


PLACES = frozenset({"conflict", "country", "region"})


def in_place(scope: LessonScope, target: MatchContext) -> bool:
    """Whether ``target`` is in a place ``scope`` names (a conflict, a country, a region), or
    ``scope`` names none. A lesson that names a place reaches nothing elsewhere, whatever else
    it shares with it (``match`` applies the same rule), so this alone, which needs nothing but
    where the work is, rules out most targets before their other facts are read."""
    matched = {
        dimension
        for dimension, wanted, have in _dimensions(scope, target)
        if dimension in PLACES and wanted & have
    }
    return _in_a_named_place(scope, matched)


def _in_a_named_place(scope: LessonScope, matched: set[str]) -> bool:
    return not _names_a_place(scope) or bool(matched & PLACES)


def _names_a_place(scope: LessonScope) -> bool:
    return bool(scope.conflict_ids or scope.countries or scope.regions)


def visible_to(owner_org: str | None, visibility: str, org: str) -> bool:
    """Whether a lesson may reach a record of ``org`` at all, before any matching.

    A consortium-wide lesson reaches every member's records; an owner-only one reaches only
    its owner's. A lesson whose owner is not known yet is treated as consortium-wide.
    """
    return visibility != "owner" or owner_org is None or owner_org == org


def rank(matches: Sequence[tuple[str, Match]]) -> list[tuple[str, Match]]:
    """Reaching matches first by score, then by relevance, then by id for a stable order."""
    reaching = [(key, m) for key, m in matches if m.reaches]
    return sorted(reaching, key=lambda item: (-item[1].score, -item[1].relevance, item[0]))


def _dimensions(
    scope: LessonScope, target: MatchContext
) -> Iterable[tuple[str, frozenset[object], frozenset[object]]]:
    def one(value: str | None, *, upper: bool = False) -> frozenset[object]:
        if value is None:
            return frozenset()
        return frozenset({value.upper() if upper else value.strip().casefold()})

    conflict = frozenset({target.conflict_id}) if target.conflict_id else frozenset()
    yield "conflict", frozenset(scope.conflict_ids), conflict
    yield "country", frozenset(scope.countries), one(target.country, upper=True)
    yield "region", frozenset(scope.regions), one(target.region)
    yield "conflict_type", frozenset(scope.conflict_types), one(target.conflict_type)
    yield "phase", frozenset(scope.phases), one(target.phase)
    yield "tracks", frozenset(scope.tracks), frozenset(target.tracks)
    yield "methods", frozenset(scope.methods), _folded(target.methods)
    yield (
        "peacebuilding_kinds",
        frozenset(scope.peacebuilding_kinds),
        _folded(target.peacebuilding_kinds),
    )
    yield "rpp_quadrants", frozenset(scope.rpp_quadrants), _folded(target.rpp_quadrants)


def _folded(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().casefold() for v in values)
