"""The rules of the engagement's records as plain Python: analysis, listening, activities,
coverage and partnerships."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from multitrack_engagements.domain.activities import (
    Activity,
    DoNoHarm,
    Facilitator,
    Method,
    ParticipantCount,
)
from multitrack_engagements.domain.analysis import Actor, ActorRole, ConflictAnalysis
from multitrack_engagements.domain.coverage import nine_track_coverage, track_labels
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.facts import ActivityFacts, EngagementFacts, PartnerSource
from multitrack_engagements.domain.listening import is_imbalanced, summarize
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.errors import DomainError
from multitrack_shared.events.vocabulary import MethodOrigin, ParticipantRole, RppQuadrant, Sex

OPENED_AT = datetime(2024, 2, 29, 14, 30, tzinfo=UTC)


def engagement() -> Engagement:
    return Engagement.open_from_invitation(
        invitation_id="inv-1",
        owner_org="imtd",
        visibility="consortium",
        purpose="Dialogue facilitation",
        conflict=ConflictDescription(name="Montes de María", country="CO"),
        inviter_track=4,
        commitment_years=5,
        accepted_at=OPENED_AT,
    )


# --- conflict analysis and listening --------------------------------------------------------


def analysis(*sides: str, latest: int | None = None) -> ConflictAnalysis:
    return ConflictAnalysis.next_version(
        engagement_id="e",
        latest_version=latest,
        analysed_on=date(2024, 3, 1),
        participants=["María Pérez"],
        actors=[Actor(f"actor {i}", side, 4, ActorRole.party) for i, side in enumerate(sides)],
        causes=[],
        dividers=["land"],
        connectors=[],
        recorded_at=OPENED_AT,
    )


def test_an_analysis_is_the_next_version_and_its_sides_are_distinct_ignoring_case() -> None:
    first = analysis("Land claimants", "land claimants ", "Returning families")
    third = analysis("x", latest=2)

    assert first.version == 1
    assert third.version == 3
    assert first.sides == ["Land claimants", "Returning families"]
    assert first.actors_by_role == {
        "party": 3,
        "stakeholder": 0,
        "spoiler": 0,
        "capacity_for_peace": 0,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"participants": []}, "participants", id="nobody-took-part"),
        pytest.param({"actors": []}, "actors", id="no-actor"),
        pytest.param(
            {"actors": [Actor("a", "s", 10, ActorRole.party)]}, "actors.0.track", id="track-10"
        ),
    ],
)
def test_an_analysis_needs_participants_and_actors_on_real_tracks(
    changes: dict[str, Any], field: str
) -> None:
    fields: dict[str, Any] = {
        "engagement_id": "e",
        "latest_version": None,
        "analysed_on": date(2024, 3, 1),
        "participants": ["María"],
        "actors": [Actor("a", "s", 4, ActorRole.party)],
        "causes": [],
        "dividers": [],
        "connectors": [],
        "recorded_at": OPENED_AT,
    }

    with pytest.raises(DomainError) as refused:
        ConflictAnalysis.next_version(**{**fields, **changes})

    assert refused.value.field == field


@pytest.mark.parametrize(
    ("counts", "flagged"),
    [
        pytest.param([3, 1], True, id="three-to-one"),
        pytest.param([2, 1], False, id="two-to-one"),
        pytest.param([3, 0], True, id="three-to-never"),
        pytest.param([2, 0], False, id="two-to-never"),
        pytest.param([6, 2, 3], True, id="six-to-two"),
        pytest.param([5, 2, 3], False, id="five-to-two"),
        pytest.param([9], False, id="one-side-only"),
        pytest.param([], False, id="no-side"),
    ],
)
def test_imbalance_is_the_most_heard_side_at_three_times_the_least(
    counts: list[int], flagged: bool
) -> None:
    assert is_imbalanced(counts) is flagged


def test_listening_is_complete_when_every_side_of_the_analysis_was_heard_ignoring_case() -> None:
    summary = summarize(
        ["Land claimants", "Returning families"], ["land CLAIMANTS", "returning families"]
    )

    assert summary.complete is True
    assert summary.missing_sides == []
    assert summary.heard_per_side == {"Land claimants": 1, "Returning families": 1}
    assert summary.imbalanced is False


def test_a_side_never_heard_is_missing_and_heard_sides_outside_the_analysis_are_counted() -> None:
    summary = summarize(
        ["Land claimants", "Returning families"],
        ["land claimants"] * 3 + ["Ranchers"],
    )

    assert summary.complete is False
    assert summary.missing_sides == ["Returning families"]
    assert summary.heard_per_side == {
        "Land claimants": 3,
        "Returning families": 0,
        "Ranchers": 1,
    }
    assert summary.imbalanced is True


def test_without_an_analysis_listening_is_incomplete_and_never_imbalanced() -> None:
    summary = summarize(None, ["a", "a", "a", "b"])

    assert summary.complete is False
    assert summary.missing_sides == []
    assert summary.imbalanced is False


# --- activities -----------------------------------------------------------------------------


def activity(**changes: Any) -> Activity:
    fields: dict[str, Any] = {
        "id": "act-1",
        "engagement_id": "e",
        "kind": "dialogue",
        "held_on": date(2026, 1, 20),
        "place": "Carmen de Bolívar",
        "tracks": (4, 7),
        "peacebuilding_kind": "social",
        "rpp_quadrant": RppQuadrant.more_people_individual,
        "methods": (Method("Palabreo", MethodOrigin.local),),
        "facilitators": (Facilitator("Luis", True), Facilitator("Anne", False)),
        "participants": (ParticipantCount(Sex.female, ParticipantRole.participant, 4, 12),),
        "do_no_harm": DoNoHarm("Neutral venue."),
        "recorded_at": OPENED_AT,
    }
    return Activity(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        pytest.param({"kind": "party"}, "kind", "unknown_activity_kind", id="unknown-kind"),
        pytest.param({"tracks": ()}, "tracks", "required", id="no-track"),
        pytest.param({"tracks": (4, 4)}, "tracks", "tracks_not_distinct", id="repeated-track"),
        pytest.param({"tracks": (0,)}, "tracks.0", "track_out_of_range", id="track-zero"),
        pytest.param(
            {"peacebuilding_kind": "military"},
            "peacebuilding_kind",
            "unknown_peacebuilding_kind",
            id="unknown-peacebuilding-kind",
        ),
        pytest.param(
            {"participants": (ParticipantCount(Sex.male, ParticipantRole.observer, 4, 0),)},
            "participants.0",
            "invalid_participant_count",
            id="zero-participants",
        ),
        pytest.param(
            {"do_no_harm": DoNoHarm("  ")}, "do_no_harm.note", "required", id="blank-dnh-note"
        ),
    ],
)
def test_an_activity_breaking_a_rule_is_refused_naming_the_field(
    changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        activity(**changes)

    assert (refused.value.field, refused.value.code) == (field, code)


@pytest.mark.parametrize(
    ("local", "external", "led_locally"),
    [(2, 1, True), (1, 1, False), (0, 0, False), (1, 2, False), (1, 0, True)],
)
def test_an_activity_is_led_locally_when_more_facilitators_are_local_than_external(
    local: int, external: int, led_locally: bool
) -> None:
    people = [Facilitator(f"l{i}", True) for i in range(local)]
    people += [Facilitator(f"e{i}", False) for i in range(external)]

    a = activity(facilitators=tuple(people))

    assert (a.local_facilitators, a.external_facilitators) == (local, external)
    assert a.led_locally is led_locally


# --- coverage and partnerships --------------------------------------------------------------


def test_coverage_names_each_source_and_the_gaps_with_the_consortiums_labels() -> None:
    facts = EngagementFacts(
        engagement=engagement(),
        actor_tracks=(4, 4, 7),
        heard_tracks=(1,),
        activities=(ActivityFacts((4, 5), ("Palabreo",), "social", "more_people_individual"),),
        partners=(
            PartnerSource("p-1", "Red de Mujeres", (6,), ended=False),
            PartnerSource("p-2", "Fundación", (6, 8), ended=True),
        ),
    )

    coverage = nine_track_coverage(facts, track_labels({"3": "Business and commerce"}))

    by_track = {t.track: t for t in coverage.tracks}
    assert by_track[4].sources.inviter is True
    assert by_track[4].sources.analysis_actors == 2
    assert by_track[4].sources.activities == 1
    assert by_track[1].sources.heard_parties == 1
    assert [p.partnership_id for p in by_track[6].sources.partners] == ["p-1", "p-2"]
    assert by_track[8].covered
    assert by_track[8].sources.partners[0].ended
    assert [(g.track, g.label) for g in coverage.gaps] == [
        (2, "Professional conflict resolution"),
        (3, "Business and commerce"),
        (9, "Public opinion / communication"),
    ]


def test_a_partnership_ended_before_it_was_formed_ends_up_the_same_as_in_order() -> None:
    blank = Partnership("p-1", "e", "partner-1")
    formed: dict[str, Any] = {
        "partner_name": "Red de Mujeres",
        "tracks": (4, 6),
        "role": "host",
        "starts_on": date(2025, 1, 1),
        "ends_on": None,
    }

    in_order = blank.formed(**formed).ending(date(2025, 12, 31))
    reversed_ = blank.ending(date(2025, 12, 31)).formed(**formed)

    assert in_order == reversed_
    assert in_order.ended
    assert in_order.ends_on == date(2025, 12, 31)
    assert in_order.source == PartnerSource("p-1", "Red de Mujeres", (4, 6), ended=True)
