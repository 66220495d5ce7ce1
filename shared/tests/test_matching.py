"""The one lesson-matching rule."""

from __future__ import annotations

from dataclasses import replace
from itertools import product

from multitrack_shared.matching import (
    THRESHOLD,
    LessonScope,
    MatchContext,
    in_place,
    match,
    rank,
)

MONTES_DE_MARIA = MatchContext(
    country="CO",
    region="Caribbean region",
    conflict_type="land",
    phase="post-agreement",
    tracks=frozenset({2, 4}),
    methods=frozenset({"community dialogue"}),
    peacebuilding_kinds=frozenset({"social"}),
    rpp_quadrants=frozenset({"more_people_individual"}),
)


def test_a_lesson_about_the_same_region_and_conflict_type_reaches_with_both_reasons() -> None:
    lesson = LessonScope.of(regions=["caribbean region"], conflict_types=["Land"])

    result = match(lesson, MONTES_DE_MARIA)

    assert result.reaches
    assert result.score == 5
    assert result.relevance == 1.0
    assert result.reasons == ("same region: caribbean region", "same conflict type: land")


def test_a_lesson_about_another_country_does_not_reach_for_sharing_everything_else() -> None:
    lesson = LessonScope.of(
        countries=["KE"], conflict_types=["land"], phases=["post-agreement"], tracks=[4]
    )

    result = match(lesson, MONTES_DE_MARIA)

    assert not result.reaches
    assert result.score == 4


def test_a_lesson_naming_a_region_reaches_a_country_in_it_whatever_its_country_list() -> None:
    lesson = LessonScope.of(countries=["PA"], regions=["Caribbean region"])

    assert match(lesson, MONTES_DE_MARIA).reaches


def test_a_lesson_without_a_place_reaches_on_enough_shared_context() -> None:
    enough = LessonScope.of(conflict_types=["land"], tracks=[4, 9])
    too_little = LessonScope.of(phases=["post-agreement"], methods=["community dialogue"])

    assert match(enough, MONTES_DE_MARIA).reaches
    assert match(enough, MONTES_DE_MARIA).score == THRESHOLD
    assert not match(too_little, MONTES_DE_MARIA).reaches


def test_a_lesson_with_an_empty_context_reaches_nobody() -> None:
    result = match(LessonScope.of(), MONTES_DE_MARIA)

    assert (result.reaches, result.score, result.relevance) == (False, 0, 0.0)


def test_methods_kinds_and_quadrants_count_one_each_and_are_named() -> None:
    lesson = LessonScope.of(
        countries=["co"],
        methods=["Community dialogue"],
        peacebuilding_kinds=["social"],
        rpp_quadrants=["key_people_individual"],
    )

    result = match(lesson, MONTES_DE_MARIA)

    assert result.score == 3 + 1 + 1
    assert result.relevance == round(5 / 6, 3)
    assert "same methods: community dialogue" in result.reasons
    assert not any("rpp" in reason for reason in result.reasons)


def test_ranking_keeps_reaching_lessons_only_highest_score_first() -> None:
    strong = (
        "a",
        match(LessonScope.of(countries=["CO"], conflict_types=["land"]), MONTES_DE_MARIA),
    )
    weak = ("b", match(LessonScope.of(countries=["CO"]), MONTES_DE_MARIA))
    elsewhere = ("c", match(LessonScope.of(countries=["KE"]), MONTES_DE_MARIA))

    assert [key for key, _ in rank([weak, elsewhere, strong])] == ["a", "b"]


ON_MONTES_DE_MARIA = MatchContext(country="CO", conflict_type="land", conflict_id="c-montes")
ELSEWHERE_IN_COLOMBIA = MatchContext(country="CO", conflict_type="land", conflict_id="c-catatumbo")
NOT_LINKED = MatchContext(country="CO", conflict_type="land")


def test_a_lesson_naming_a_conflict_reaches_the_work_on_it_by_that_alone() -> None:
    lesson = LessonScope.of(conflict_ids=["c-montes"])

    result = match(lesson, ON_MONTES_DE_MARIA)

    assert (result.reaches, result.score, result.reasons) == (True, 4, ("same conflict: c-montes",))


def test_a_conflict_is_a_place_a_lesson_naming_only_conflicts_reaches_no_other_work() -> None:
    lesson = LessonScope.of(conflict_ids=["c-montes"], conflict_types=["land"])

    assert not match(lesson, ELSEWHERE_IN_COLOMBIA).reaches
    assert not match(lesson, NOT_LINKED).reaches
    assert match(lesson, ON_MONTES_DE_MARIA).score == 6


def test_the_work_on_a_lessons_conflict_ranks_above_work_sharing_only_its_country() -> None:
    lesson = LessonScope.of(countries=["CO"], conflict_ids=["c-montes"])
    found = [
        ("not-linked", match(lesson, NOT_LINKED)),
        ("on-it", match(lesson, ON_MONTES_DE_MARIA)),
        ("elsewhere", match(lesson, ELSEWHERE_IN_COLOMBIA)),
    ]

    assert [key for key, _ in rank(found)] == ["on-it", "elsewhere", "not-linked"]
    assert match(lesson, ON_MONTES_DE_MARIA).score == 7


ELSEWHERE = replace(MONTES_DE_MARIA, country="KE", region="Rift Valley")
ON_A_SHARED_CONFLICT = replace(MONTES_DE_MARIA, conflict_id="conflict-1")
SCOPES = (
    LessonScope.of(),
    LessonScope.of(countries=["CO"]),
    LessonScope.of(countries=["KE"], conflict_types=["land"], tracks=[2]),
    LessonScope.of(regions=["  CARIBBEAN Region"]),
    LessonScope.of(conflict_ids=["conflict-1"]),
    LessonScope.of(conflict_types=["land"], phases=["post-agreement"], tracks=[4]),
)


def test_whatever_a_lesson_reaches_is_in_its_place_and_that_needs_only_where_the_work_is() -> None:
    for scope, target in product(SCOPES, (MONTES_DE_MARIA, ELSEWHERE, ON_A_SHARED_CONFLICT)):
        where_alone = MatchContext(
            country=target.country, region=target.region, conflict_id=target.conflict_id
        )
        assert in_place(scope, target) == in_place(scope, where_alone), (scope, target)
        if match(scope, target).reaches:
            assert in_place(scope, target), (scope, target)


def test_a_lesson_naming_places_is_in_place_in_any_of_them_and_one_naming_none_everywhere() -> None:
    caribbean = LessonScope.of(countries=["KE"], regions=["caribbean region"])

    assert in_place(caribbean, MONTES_DE_MARIA)  # by its region, folded
    assert in_place(caribbean, ELSEWHERE)  # by its country
    assert not in_place(LessonScope.of(countries=["PA"]), MONTES_DE_MARIA)
    assert not in_place(LessonScope.of(conflict_ids=["conflict-1"]), MONTES_DE_MARIA)
    assert in_place(LessonScope.of(conflict_ids=["conflict-1"]), ON_A_SHARED_CONFLICT)
    assert in_place(LessonScope.of(tracks=[9]), ELSEWHERE)
