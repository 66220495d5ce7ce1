"""Digest, timeline and overdue rules, without I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from multitrack_evaluation.domain import facts as f
from multitrack_evaluation.domain.digest import coverage, inclusion
from multitrack_evaluation.domain.overdue import Standing, months_between, overdue
from multitrack_evaluation.domain.timeline import What, timeline
from multitrack_evaluation.domain.trends import over_period

OPENED = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
HEADER = f.EngagementHeader(
    engagement_id="eng-1",
    owner_org="imtd",
    visibility="consortium",
    name="Montes de María",
    country="CO",
    region=None,
    conflict_type="land",
    phase=None,
    purpose="Dialogue",
    inviter_track=4,
    start_date=OPENED.date(),
    committed_until=date(2029, 3, 1),
    opened_at=OPENED,
)


def change(to: str, moment: datetime) -> f.StatusChange:
    return f.StatusChange("x", to, None, moment)


def an_activity(n: int, held_on: date, *, local: bool, tracks: list[int]) -> f.Activity:
    return f.Activity(
        activity_id=f"a{n}",
        kind="dialogue",
        held_on=held_on,
        tracks=tracks,
        peacebuilding_kind="social",
        rpp_quadrant="key_people_individual",
        methods=[f.Method("palabrero", "local" if local else "external")],
        local_facilitators=1,
        external_facilitators=0,
        led_locally=local,
        participants=[
            f.Participants("female", "participant", 4, None, 3),
            f.Participants("male", "participant", 4, None, 1),
        ],
    )


def analysis(version: int, tracks: list[int]) -> f.Analysis:
    return f.Analysis(version, date(2024, 3, version), ["a", "b"], tracks, {}, 0, 0)


def test_the_status_is_listening_until_it_changes_then_the_latest_change_wins() -> None:
    later = change("paused", datetime(2024, 6, 1, tzinfo=UTC))
    earlier = change("active", datetime(2024, 4, 1, tzinfo=UTC))

    assert f.current_status(HEADER, []) == "listening"
    assert f.current_status(HEADER, [later, earlier]) == "paused"


def test_a_closed_engagement_is_closed_whatever_changed_before() -> None:
    closed = replace(HEADER, closed_at=datetime(2025, 1, 1, tzinfo=UTC))

    assert f.current_status(closed, [change("active", OPENED)]) == "closed"


def test_coverage_names_the_tracks_no_source_reached_as_gaps() -> None:
    record = f.EngagementRecord(
        header=HEADER,
        activities=[an_activity(1, date(2024, 5, 1), local=True, tracks=[4, 5])],
        hearings=[f.Hearing("h-1", "claimants", 6, date(2024, 3, 10))],
        analyses=[analysis(1, [9]), analysis(2, [1, 7])],
    )

    result = coverage(record)

    assert result.analysis_actors == [1, 7]  # the current analysis, not the superseded one
    assert result.reached == [1, 4, 5, 6, 7]
    assert result.gaps == [2, 3, 8, 9]


def test_inclusion_counts_women_local_leadership_and_local_methods() -> None:
    result = inclusion(
        [
            an_activity(1, date(2024, 5, 1), local=True, tracks=[4]),
            an_activity(2, date(2024, 6, 1), local=False, tracks=[4]),
            an_activity(3, date(2024, 7, 1), local=True, tracks=[4]),
        ]
    )

    assert (result.participants, result.women, result.women_share) == (12, 9, 0.75)
    assert (result.activities, result.led_locally, result.led_locally_share) == (3, 2, 0.667)
    assert (result.local_methods, result.external_methods) == (2, 1)


def test_inclusion_without_activities_has_no_shares() -> None:
    result = inclusion([])

    assert (result.women_share, result.led_locally_share, result.local_methods_share) == (
        None,
        None,
        None,
    )


def test_the_local_led_share_counts_only_the_periods_activities() -> None:
    record = f.EngagementRecord(
        header=HEADER,
        activities=[
            an_activity(1, date(2024, 1, 1), local=False, tracks=[4]),
            an_activity(2, date(2024, 5, 1), local=True, tracks=[4]),
            an_activity(3, date(2024, 12, 31), local=False, tracks=[4]),
        ],
    )

    assert over_period(record, date(2024, 5, 1), date(2024, 12, 31)).empowerment == 0.5
    assert over_period(record, date(2025, 1, 1), date(2025, 12, 31)).empowerment is None


def test_the_timeline_orders_by_day_then_time_with_dateless_events_first_that_day() -> None:
    day = date(2024, 4, 2)
    record = f.EngagementRecord(
        header=HEADER,
        status_changes=[
            change("paused", datetime(2024, 4, 2, 15, tzinfo=UTC)),
            change("active", datetime(2024, 4, 2, 8, tzinfo=UTC)),
        ],
        activities=[an_activity(1, day, local=True, tracks=[4])],
        liaisons=[f.Liaison("l-1", "Gobernación", "briefing", date(2024, 3, 20))],
    )

    entries = timeline(record)

    assert [(e.on.isoformat(), e.what) for e in entries] == [
        ("2024-03-01", What.opened),
        ("2024-03-20", What.liaison_recorded),
        ("2024-04-02", What.activity_recorded),
        ("2024-04-02", What.status_changed),
        ("2024-04-02", What.status_changed),
    ]
    assert [e.summary for e in entries[-2:]] == ["x → active", "x → paused"]


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        ("2024-03-01", "2025-03-01", 12),
        ("2024-03-01", "2025-02-28", 11),
        ("2024-01-31", "2024-02-29", 0),
        ("2024-01-31", "2024-03-31", 2),
        ("2025-01-01", "2024-01-01", 0),
    ],
)
def test_months_between_counts_whole_calendar_months(earlier: str, later: str, months: int) -> None:
    assert months_between(date.fromisoformat(earlier), date.fromisoformat(later)) == months


def test_overdue_means_open_with_twelve_months_since_the_last_evaluation_or_the_opening() -> None:
    standings = [
        Standing("never", "active", OPENED, None),
        Standing("lately", "active", OPENED, datetime(2024, 9, 1, tzinfo=UTC)),
        Standing("long-ago", "paused", OPENED, datetime(2024, 3, 2, tzinfo=UTC)),
        Standing("closed", "closed", OPENED, None),
    ]

    found = overdue(standings, date(2025, 3, 5))

    assert [(o.engagement_id, o.months, o.ever_evaluated) for o in found] == [
        ("never", 12, False),
        ("long-ago", 12, True),
    ]
