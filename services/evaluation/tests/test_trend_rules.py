"""Empowerment, the blend of methods, the skills follow-up share and attitudes quarter by
quarter, computed from the records without I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from multitrack_evaluation.domain import facts as f
from multitrack_evaluation.domain.trends import by_quarter, of_conflict, over_period, quarter_of

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
    start_date=date(2024, 3, 1),
    committed_until=date(2029, 3, 1),
    opened_at=datetime(2024, 3, 1, tzinfo=UTC),
)


def activity(
    n: int, held_on: date, *, led: bool, designed: bool | None, methods: str
) -> f.Activity:
    return f.Activity(
        activity_id=f"a{n}",
        kind="training",
        held_on=held_on,
        tracks=[4],
        peacebuilding_kind="social",
        rpp_quadrant="more_people_individual",
        methods=[
            f.Method(f"m{i}", "local" if c == "L" else "external") for i, c in enumerate(methods)
        ],
        local_facilitators=int(led),
        external_facilitators=int(not led),
        led_locally=led,
        participants=[f.Participants("female", "participant", 4, None, 10)],
        designed_locally=designed,
    )


def reading(side: str, on: date, score: float, respondents: int = 10) -> f.AttitudeReading:
    return f.AttitudeReading(f"r-{side}-{on}", "acceptance", side, on, respondents, score)


RECORD = f.EngagementRecord(
    header=HEADER,
    activities=[
        activity(1, date(2024, 4, 2), led=False, designed=False, methods="EE"),
        activity(2, date(2024, 5, 2), led=True, designed=False, methods="LE"),
        activity(3, date(2024, 10, 2), led=True, designed=True, methods="LL"),
        activity(4, date(2024, 11, 2), led=True, designed=None, methods="L"),
    ],
    follow_ups=[
        f.FollowUp("f1", date(2024, 7, 2), 10, 3, "a1", 3),
        f.FollowUp("f2", date(2024, 10, 2), 10, 6, "a1", 6),
        f.FollowUp("f3", date(2024, 11, 2), 10, 8, "a2", 6),
    ],
    attitudes=[
        reading("claimants", date(2024, 4, 10), 0.4),
        reading("families", date(2024, 4, 10), 0.3, respondents=30),
        reading("families", date(2024, 5, 10), 0.5, respondents=10),
        reading("claimants", date(2024, 11, 10), 0.7),
    ],
)


def test_a_day_belongs_to_its_calendar_quarter() -> None:
    assert [quarter_of(date(2024, m, 1)) for m in (1, 3, 4, 9, 10, 12)] == [
        "2024-Q1", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-Q4",
    ]  # fmt: skip


def test_each_quarter_shows_empowerment_blend_skills_and_attitudes_from_its_records() -> None:
    quarters = {q.quarter: q.figures for q in by_quarter(RECORD)}

    assert list(quarters) == ["2024-Q2", "2024-Q3", "2024-Q4"]
    q2, q3, q4 = quarters.values()
    assert (q2.activities, q2.local_initiatives, q2.empowerment) == (2, 0, 0.0)
    assert (q2.local_methods, q2.external_methods, q2.local_methods_share) == (1, 3, 0.25)
    assert q2.skills_share is None
    assert q2.attitude_by_side == {"claimants": 0.4, "families": 0.35}  # weighted 30:10
    assert (q3.activities, q3.empowerment, q3.skills_share) == (0, None, 0.3)
    assert q3.transformation is None
    assert (q4.activities, q4.local_initiatives, q4.empowerment) == (2, 2, 1.0)
    assert (q4.participants_reached, q4.using_skills, q4.skills_share) == (20, 14, 0.7)
    assert q4.local_methods_share == 1.0
    assert q4.transformation == 0.7


def test_an_activity_led_locally_counts_as_local_initiative_only_if_not_designed_elsewhere() -> (
    None
):
    quarters = {q.quarter: q.figures for q in by_quarter(RECORD)}

    assert quarters["2024-Q2"].local_initiatives == 0  # led locally, designed elsewhere
    assert quarters["2024-Q4"].local_initiatives == 2  # designed here, or design not recorded


def test_a_period_keeps_only_its_days_and_its_quarters() -> None:
    period = over_period(RECORD, date(2024, 7, 1), date(2024, 12, 31))
    quarters = by_quarter(RECORD, date(2024, 7, 1), date(2024, 12, 31))

    assert (period.activities, period.empowerment) == (2, 1.0)
    assert (period.participants_reached, period.using_skills, period.skills_share) == (
        30,
        17,
        0.567,
    )
    assert period.attitude_by_side == {"claimants": 0.7}
    assert [q.quarter for q in quarters] == ["2024-Q3", "2024-Q4"]


ANOTHER = f.EngagementRecord(
    header=replace(HEADER, engagement_id="eng-0", owner_org="peace-org"),
    activities=[activity(5, date(2024, 5, 20), led=True, designed=True, methods="LL")],
    follow_ups=[f.FollowUp("f4", date(2024, 11, 20), 10, 10, "a5", 6)],
    attitudes=[reading("claimants", date(2024, 4, 20), 1.0, respondents=30)],
)


def test_a_conflicts_quarters_take_its_engagements_records_together() -> None:
    on_conflict = of_conflict("conflict-1", [RECORD, ANOTHER])
    quarters = {q.quarter: q.figures for q in on_conflict.quarters}

    assert on_conflict.engagement_ids == ("eng-0", "eng-1")
    assert list(quarters) == ["2024-Q2", "2024-Q3", "2024-Q4"]
    q2, q4 = quarters["2024-Q2"], quarters["2024-Q4"]
    assert (q2.activities, q2.local_initiatives, q2.empowerment) == (3, 1, 0.333)
    assert (q2.local_methods, q2.external_methods, q2.local_methods_share) == (3, 3, 0.5)
    assert q2.attitude_by_side == {"claimants": 0.85, "families": 0.35}  # weighted 10:30
    assert (q4.participants_reached, q4.using_skills, q4.skills_share) == (30, 24, 0.8)


def test_one_engagements_conflict_shows_that_engagements_digest_series() -> None:
    assert of_conflict("conflict-1", [RECORD]).quarters == by_quarter(RECORD)
