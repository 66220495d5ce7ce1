"""What is derived from engagements' events, on the domain alone: status, counts, suggested
partners and inclusion figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from multitrack_partners.domain.activity import Tally, tallied
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.inclusion import (
    ActivityFigures,
    ParticipantFigures,
    PartnerFigures,
    share,
)
from multitrack_partners.domain.partner import Partner, PartnerProfile
from multitrack_partners.domain.suggestions import suggest

OPENED = datetime(2026, 1, 5, tzinfo=UTC)
MARCH = datetime(2026, 3, 1, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, tzinfo=UTC)
PROFILE = PartnerProfile(
    name="P",
    kind="local civil society",
    tracks=(4,),
    countries=("CO",),
    is_local=True,
    women_led=False,
    womens_rights_org=False,
)


def test_the_latest_status_wins_whatever_the_order_it_arrives_in() -> None:
    engagement = KnownEngagement("eng-1", "imtd", "consortium", "CO", None, 4, OPENED)

    later_first = engagement.with_status("paused", APRIL).with_status("active", MARCH)
    in_order = engagement.with_status("active", MARCH).with_status("paused", APRIL)

    assert engagement.status == "listening"
    assert later_first.status == in_order.status == "paused"


def test_an_opening_seen_again_keeps_the_status_reached() -> None:
    known = KnownEngagement("eng-1", "imtd", "consortium", "CO", None, 4, OPENED).with_status(
        "active", MARCH
    )
    fresh = KnownEngagement("eng-1", "imtd", "consortium", "CO", "Caribe", 4, OPENED)

    again = known.reopened_as(fresh)

    assert (again.status, again.region) == ("active", "Caribe")


def test_counts_are_summed_by_sex_and_role_across_tracks_and_sides() -> None:
    counts = [("female", "participant", 5), ("female", "participant", 3), ("male", "observer", 1)]

    assert set(tallied(counts)) == {Tally("female", "participant", 8), Tally("male", "observer", 1)}


def opened(inviter_track: int) -> KnownEngagement:
    return KnownEngagement("eng-1", "imtd", "consortium", "CO", None, inviter_track, OPENED)


def partner(pid: str, **changes: Any) -> Partner:
    profile = replace(PROFILE, name=pid, **changes)
    return Partner(pid, "imtd", "consortium", profile, OPENED)


def test_suggestions_rank_gap_fillers_then_local_then_shared_tracks_then_women_led_then_name() -> (
    None
):
    candidates = [
        partner("abroad", is_local=False, tracks=(4, 7)),
        partner("local-none", tracks=(2,)),
        partner("local-one", tracks=(4,)),
        partner("local-one-women-b", tracks=(7,), women_led=True),
        partner("Local-one-women-a", tracks=(4,), women_led=True),
        partner("local-two", tracks=(4, 7)),
    ]

    ranked = suggest(
        engagement=opened(4), activity_tracks={7}, candidates=candidates, engaged=set()
    )

    assert [s.partner.id for s in ranked] == [
        "local-none",  # the only one reaching a track the engagement lacks (2)
        "local-two",
        "Local-one-women-a",
        "local-one-women-b",
        "local-one",
        "abroad",
    ]


def test_partners_filling_the_engagements_gaps_come_first_local_first_then_most_gaps() -> None:
    candidates = [
        partner("local-covered", tracks=(4,)),
        partner("abroad-three-gaps", is_local=False, tracks=(1, 3, 9)),
        partner("local-one-gap", tracks=(4, 9)),
        partner("local-two-gaps", tracks=(1, 9)),
        partner("local-gap-a-partner-fills", tracks=(5,)),
    ]

    ranked = suggest(
        engagement=opened(4),
        activity_tracks={7},
        candidates=candidates,
        engaged={"on-it"},
        engaged_tracks=(5, 6),
    )

    assert [(s.partner.id, s.fills_gaps) for s in ranked] == [
        ("local-two-gaps", (1, 9)),
        ("local-one-gap", (9,)),
        ("abroad-three-gaps", (1, 3, 9)),
        ("local-covered", ()),
        ("local-gap-a-partner-fills", ()),
    ]


def test_suggestions_leave_out_partners_elsewhere_and_partners_already_engaged() -> None:
    candidates = [partner("here"), partner("kenya", countries=("KE",)), partner("engaged")]

    ranked = suggest(
        engagement=opened(4), activity_tracks=(), candidates=candidates, engaged={"engaged"}
    )

    assert [s.partner.id for s in ranked] == ["here"]


def test_each_suggestion_gives_its_reasons() -> None:
    (local,) = suggest(
        engagement=opened(4),
        activity_tracks={7},
        candidates=[partner("a", tracks=(4, 7, 9), women_led=True)],
        engaged=set(),
    )
    (abroad,) = suggest(
        engagement=opened(4),
        activity_tracks=(),
        candidates=[partner("b", is_local=False, tracks=(4,))],
        engaged=set(),
    )
    (none,) = suggest(
        engagement=opened(1), activity_tracks=(), candidates=[partner("c")], engaged=set()
    )

    assert local.reasons == (
        "reaches track 9, which the engagement lacks",
        "local",
        "works in CO",
        "shares tracks 4, 7",
        "women-led",
    )
    assert local.shared_tracks == (4, 7)
    assert abroad.reasons == ("works in CO", "shares track 4")
    assert none.reasons == ("reaches track 4, which the engagement lacks", "local", "works in CO")


def test_a_share_is_rounded_to_three_places_and_absent_when_there_is_nothing_to_share() -> None:
    assert share(2, 3) == 0.667
    assert share(0, 5) == 0.0
    assert share(0, 0) is None


def test_partner_figures_count_local_women_led_and_womens_rights_organizations() -> None:
    profiles = [
        replace(PROFILE, is_local=True, women_led=True, womens_rights_org=True),
        replace(PROFILE, is_local=True),
        replace(PROFILE, is_local=False, women_led=True),
        replace(PROFILE, is_local=False),
    ]

    figures = PartnerFigures.of(profiles)

    assert (figures.total, figures.local, figures.women_led, figures.womens_rights_orgs) == (
        4,
        2,
        2,
        1,
    )
    assert (figures.local_share, figures.women_led_share, figures.womens_rights_orgs_share) == (
        0.5,
        0.5,
        0.25,
    )


def test_participant_figures_count_women_overall_and_in_every_role() -> None:
    figures = ParticipantFigures.of(
        [
            Tally("female", "participant", 6),
            Tally("male", "participant", 3),
            Tally("other", "mediator", 1),
            Tally("female", "mediator", 2),
        ]
    )

    assert (figures.total, figures.women, figures.women_share) == (12, 8, 0.667)
    assert figures.by_role["participant"].total == 9
    assert figures.by_role["mediator"].women == 2
    assert figures.by_role["negotiator"].total == 0
    assert len(figures.by_role) == 7


def test_activity_figures_show_the_share_led_locally() -> None:
    assert ActivityFigures(total=4, led_locally=3).led_locally_share == 0.75
    assert ActivityFigures(total=0, led_locally=0).led_locally_share is None
