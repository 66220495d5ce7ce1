"""The compass's geometry: equal tracks around a centre, gaps empty, the ring by kind."""

from __future__ import annotations

import re

import pytest

from multitrack_console.domain.compass import TrackWeight, draw_compass

pytestmark = pytest.mark.unit


def tracks(weights: dict[int, int]) -> list[TrackWeight]:
    return [
        TrackWeight(n, f"track {n}", weights.get(n, 0), 0, 0, covered=n in weights)
        for n in range(1, 10)
    ]


def outer_radius(path: str) -> float:
    """The radius of a wedge's outer arc (its first A command)."""
    found = re.search(r"A([\d.]+),", path)
    assert found is not None
    return float(found.group(1))


def test_a_track_with_no_weight_is_a_gap_drawn_as_an_outline_only() -> None:
    compass = draw_compass(tracks({4: 3}), {})

    assert [w.track for w in compass.gaps] == [1, 2, 3, 5, 6, 7, 8, 9]
    gap = compass.wedges[0]
    assert gap.path == ""
    assert gap.outline
    assert "a gap" in gap.description


def test_a_heavier_track_reaches_further_and_the_heaviest_reaches_the_edge() -> None:
    compass = draw_compass(tracks({1: 1, 2: 4, 3: 16}), {})
    one, two, three = (outer_radius(w.path) for w in compass.wedges[:3])

    assert one < two < three
    assert three == outer_radius(compass.wedges[0].outline)


def test_the_weight_counts_parties_heard_activities_and_partners() -> None:
    weight = TrackWeight(3, "Business", heard=2, activities=1, partners=1)
    assert weight.weight == 4


def test_the_ring_shows_each_kind_of_peacebuilding_by_its_share_of_activities() -> None:
    compass = draw_compass(tracks({}), {"social": 3, "political": 1})
    ring = {arc.code: arc for arc in compass.ring}

    assert list(ring) == ["political", "economic_institutional", "social"]
    assert (
        ring["social"].opacity > ring["political"].opacity > ring["economic_institutional"].opacity
    )
    assert ring["economic_institutional"].activities == 0


def test_a_track_reached_only_by_the_inviter_is_no_gap_but_a_sliver() -> None:
    reached = [TrackWeight(4, "Private citizens", 0, 0, 0, covered=True)]
    heavy = [TrackWeight(3, "Business", 5, 0, 0, covered=True)]
    compass = draw_compass(reached + heavy, {})
    sliver = next(w for w in compass.wedges if w.track == 4)

    assert not sliver.gap
    assert 0 < outer_radius(sliver.path) < outer_radius(compass.wedges[0].path) / 2
