"""The Do No Harm register on in-memory fakes: incidents and risks counted by side and role,
linked to the engagement's activities and to the dividers and connectors of its analysis, and
an open high-severity risk holding back activities in its place until a mitigation is
recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from multitrack_engagements.application.activities import record_activity
from multitrack_engagements.application.do_no_harm import (
    RecordHarm,
    ReviewHarm,
    list_harm,
    record_harm,
    review_harm,
)
from multitrack_engagements.domain.do_no_harm import (
    Affected,
    HarmKind,
    HarmStatus,
    Severity,
    same_place,
)
from multitrack_shared.auth.principal import Role
from multitrack_shared.errors import Conflict, DomainError, Forbidden, NotFound
from multitrack_shared.events.do_no_harm import HarmRecorded, HarmReviewed
from multitrack_shared.events.vocabulary import ParticipantRole
from multitrack_shared.testing.principals import acting_for

from ..fakes import FakeEngagementsUnitOfWork
from .samples import ACTIVITY, COORDINATOR, ENGAGEMENT, an_analysis, an_engagement, clock, holding

pytestmark = pytest.mark.unit

RISK = RecordHarm(
    engagement_id=ENGAGEMENT,
    kind=HarmKind.risk,
    category="security",
    severity=Severity.high,
    noted_on=date(2026, 1, 10),
    place="Carmen de Bolívar",
    description="Armed men asked Rosa Villa who attends the dialogues.",
    affected=(Affected(ParticipantRole.participant, 6, "land claimants"),),
    dividers=("Competing land claims",),
)


async def registered() -> FakeEngagementsUnitOfWork:
    uow = await holding(an_engagement())
    await uow.analyses.add(an_analysis())
    return uow


async def test_a_risk_is_recorded_and_published_as_codes_and_counts_only() -> None:
    uow = await registered()

    entry = await record_harm(RISK, COORDINATOR, uow, clock)

    assert await uow.harm.get(entry.id) == entry
    (event,) = uow.published
    assert isinstance(event, HarmRecorded)
    assert (event.kind, event.severity, event.category, event.status) == (
        "risk",
        "high",
        "security",
        "open",
    )
    assert [(a.side, a.role, a.count) for a in event.affected] == [
        ("land claimants", ParticipantRole.participant, 6)
    ]
    assert (event.dividers, event.connectors, event.mitigated) == (1, 0, False)
    assert "Rosa" not in event.model_dump_json()
    assert "Carmen" not in event.model_dump_json()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"activity_ids": ("act-unknown",)}, "activity_ids", "unknown_activity"),
        ({"dividers": ("Not in the analysis",)}, "dividers", "unknown_divider"),
        ({"connectors": ("Not in the analysis",)}, "connectors", "unknown_connector"),
        ({"noted_on": date(2027, 1, 1)}, "noted_on", None),
    ],
)
async def test_an_entry_names_only_the_engagements_own_activities_dividers_and_connectors(
    changes: dict[str, object], field: str, code: str | None
) -> None:
    uow = await registered()

    with pytest.raises(DomainError) as refused:
        await record_harm(replace(RISK, **changes), COORDINATOR, uow, clock)  # type: ignore[arg-type]

    assert refused.value.field == field
    if code:
        assert refused.value.code == code
    assert uow.nothing_committed


async def test_an_activity_where_an_open_high_risk_lacks_a_mitigation_waits_for_one() -> None:
    uow = await registered()
    risk = await record_harm(RISK, COORDINATOR, uow, clock)
    elsewhere = await record_activity(replace(ACTIVITY, place="Ovejas"), COORDINATOR, uow, clock)

    with pytest.raises(Conflict) as refused:
        await record_activity(
            replace(ACTIVITY, place="  carmen de  BOLÍVAR "), COORDINATOR, uow, clock
        )
    assert (refused.value.code, refused.value.field) == ("mitigation_required", "place")
    assert risk.id in refused.value.message

    await review_harm(
        ReviewHarm(ENGAGEMENT, risk.id, "Meet in the parish hall; no lists.", None),
        COORDINATOR,
        uow,
        clock,
    )
    held = await record_activity(ACTIVITY, COORDINATOR, uow, clock)

    assert elsewhere.place == "Ovejas"
    assert held.place == "Carmen de Bolívar"
    reviewed = [e for e in uow.published if isinstance(e, HarmReviewed)]
    assert [(e.mitigated, e.status) for e in reviewed] == [(True, "open")]


@pytest.mark.parametrize(
    "changes",
    [
        {"severity": Severity.medium},
        {"kind": HarmKind.incident},
        {"mitigation": "Meet in the parish hall."},
    ],
)
async def test_a_lesser_risk_an_incident_or_a_mitigated_risk_holds_back_no_activity(
    changes: dict[str, object],
) -> None:
    uow = await registered()
    await record_harm(replace(RISK, **changes), COORDINATOR, uow, clock)  # type: ignore[arg-type]

    assert (await record_activity(ACTIVITY, COORDINATOR, uow, clock)).place == ACTIVITY.place


async def test_a_closed_risk_holds_back_no_activity() -> None:
    uow = await registered()
    risk = await record_harm(RISK, COORDINATOR, uow, clock)

    closed = await review_harm(
        ReviewHarm(ENGAGEMENT, risk.id, None, HarmStatus.closed), COORDINATOR, uow, clock
    )

    assert (closed.status, closed.mitigated, closed.reviewed_at) == (
        HarmStatus.closed,
        False,
        clock(),
    )
    assert (await record_activity(ACTIVITY, COORDINATOR, uow, clock)).place == ACTIVITY.place


async def test_the_register_is_kept_by_the_engagements_coordinators_and_read_by_its_readers() -> (
    None
):
    uow = await registered()
    entry = await record_harm(RISK, COORDINATOR, uow, clock)
    other = acting_for("org-b", Role.coordinator)

    with pytest.raises(Forbidden):
        await record_harm(RISK, other, uow, clock)
    with pytest.raises(NotFound):
        await review_harm(ReviewHarm(ENGAGEMENT, "no-such", None, None), COORDINATOR, uow, clock)
    seen = await list_harm(ENGAGEMENT, other, uow)

    assert [e.id for e in seen.records] == [entry.id]
    assert seen.personal is False


def test_places_compare_case_and_spacing_blind() -> None:
    assert same_place("Carmen de Bolívar", " carmen  DE bolívar")
    assert not same_place("Carmen de Bolívar", "Carmen")


OTHER_ORG = acting_for("org-b", Role.coordinator)


async def a_risk_recorded_by_org_b(country: str = "CO") -> FakeEngagementsUnitOfWork:
    """eng-1 (org-a, Colombia) and eng-b (org-b, owner-only, in ``country``), whose
    coordinator recorded an open high-severity risk in Carmen de Bolívar, with no mitigation."""
    theirs = an_engagement(
        "eng-b",
        owner_org="org-b",
        visibility="owner",
        conflict=replace(an_engagement().conflict, country=country),
    )
    uow = await holding(an_engagement(), theirs)
    await uow.analyses.add(an_analysis(engagement_id="eng-b"))
    await record_harm(replace(RISK, engagement_id="eng-b"), OTHER_ORG, uow, clock)
    return uow


async def test_a_risk_another_engagement_recorded_in_the_place_holds_back_this_ones_activity() -> (
    None
):
    uow = await a_risk_recorded_by_org_b()
    published = len(uow.published)

    with pytest.raises(Conflict) as refused:
        await record_activity(replace(ACTIVITY, place="carmen de bolívar"), COORDINATOR, uow, clock)

    assert (refused.value.status_code, refused.value.code, refused.value.field) == (
        409,
        "risk_recorded_by_others",
        "place",
    )
    assert "org-b" in refused.value.message  # whom to ask
    for confided in ("Armed men", "Rosa Villa", "eng-b"):  # never what, who, or which record
        assert confided not in refused.value.message
    assert len(uow.published) == published
    assert await record_activity(replace(ACTIVITY, place="Ovejas"), COORDINATOR, uow, clock)


async def test_once_the_other_engagement_records_a_mitigation_the_activity_goes_ahead() -> None:
    uow = await a_risk_recorded_by_org_b()
    [risk] = await uow.harm.of_engagement("eng-b")

    await review_harm(
        ReviewHarm("eng-b", risk.id, "Meet in the parish hall; no lists.", None),
        OTHER_ORG,
        uow,
        clock,
    )

    assert (await record_activity(ACTIVITY, COORDINATOR, uow, clock)).place == ACTIVITY.place


async def test_a_place_of_the_same_name_in_another_country_holds_back_nothing() -> None:
    uow = await a_risk_recorded_by_org_b(country="VE")

    assert (await record_activity(ACTIVITY, COORDINATOR, uow, clock)).place == ACTIVITY.place
