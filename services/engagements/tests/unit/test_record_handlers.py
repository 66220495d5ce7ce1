"""The records an engagement keeps, on in-memory fakes: conflict analyses (a new version each
time), the listening ledger, activities and the liaison log. Each record publishes its event
and refreshes the lessons inbox; a closed or unknown engagement records nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date

import pytest

from multitrack_engagements.application.activities import (
    list_activities,
    record_activity,
)
from multitrack_engagements.application.analyses import (
    RecordAnalysis,
    get_analysis,
    list_analyses,
    record_analysis,
)
from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.liaison import list_liaison, record_liaison
from multitrack_engagements.application.listening import (
    RecordHeard,
    listening_ledger,
    record_heard,
)
from multitrack_engagements.application.lookup import Shown
from multitrack_engagements.domain.engagement import MethodBlend, Status
from multitrack_engagements.domain.listening import ListeningSummary
from multitrack_shared.errors import Conflict, DomainError, NotFound
from multitrack_shared.events import engagements as events
from multitrack_shared.events.vocabulary import (
    CatalogueOrigin,
    MethodOrigin,
    ParticipantRole,
    RppQuadrant,
    Sex,
)

from ..conftest import NOW
from ..fakes import FakeEngagementsUnitOfWork
from .samples import (
    ACTIVITY,
    ANALYSIS,
    COORDINATOR,
    EVERY_LESSON,
    HEARD,
    LIAISON,
    a_lesson,
    an_analysis,
    an_engagement,
    catalogued,
    clock,
    heard,
    holding,
    in_status,
)

pytestmark = pytest.mark.unit


# --- conflict analyses ------------------------------------------------------------------------


async def test_each_analysis_is_a_new_version_published_with_its_counts() -> None:
    uow = await holding(an_engagement())
    await uow.analyses.add(an_analysis(version=1))

    analysis = await record_analysis(ANALYSIS, COORDINATOR, uow, clock)

    assert (analysis.version, analysis.recorded_at) == (2, NOW)
    assert await list_analyses("eng-1", COORDINATOR, uow) == Shown(
        [an_analysis(version=1), analysis], personal=True
    )
    assert await get_analysis("eng-1", 2, COORDINATOR, uow) == Shown(analysis, personal=True)
    assert uow.published == [
        events.ConflictAnalysisRecorded(
            engagement_id="eng-1",
            version=2,
            sides=["land claimants", "returning families"],
            actor_tracks=[4, 7],
            actors_by_role={"party": 2, "stakeholder": 0, "spoiler": 0, "capacity_for_peace": 1},
            dividers=2,
            connectors=1,
            analysed_on=date(2024, 3, 15),
        )
    ]


async def test_an_analysis_version_not_recorded_is_not_found() -> None:
    uow = await holding(an_engagement())
    await uow.analyses.add(an_analysis(version=1))

    with pytest.raises(NotFound) as refused:
        await get_analysis("eng-1", 2, COORDINATOR, uow)

    assert (refused.value.field, refused.value.message) == ("version", "no analysis version 2")


async def test_an_analysis_naming_no_actor_is_refused_and_nothing_is_kept() -> None:
    uow = await holding(an_engagement())

    with pytest.raises(DomainError) as refused:
        await record_analysis(
            RecordAnalysis("eng-1", date(2024, 3, 15), ("María",), (), (), (), ()),
            COORDINATOR,
            uow,
            clock,
        )

    assert (refused.value.field, refused.value.code) == ("actors", "required")
    assert uow.nothing_committed
    assert await uow.analyses.of_engagement("eng-1") == []


# --- the listening ledger ---------------------------------------------------------------------


async def test_a_party_heard_is_kept_published_and_counted_for_its_side() -> None:
    uow = await holding(an_engagement())
    await uow.analyses.add(an_analysis())

    entry = await record_heard(HEARD, COORDINATOR, uow, clock)
    ledger = (await listening_ledger("eng-1", COORDINATOR, uow)).records

    assert ledger.entries == [entry]
    assert ledger.summary == ListeningSummary(
        heard_per_side={"land claimants": 1, "returning families": 0},
        complete=False,
        missing_sides=["returning families"],
        imbalanced=False,
    )
    assert uow.published == [
        events.PartyHeard(
            engagement_id="eng-1",
            hearing_id=entry.id,
            side="land claimants",
            track=4,
            heard_on=date(2024, 4, 1),
        )
    ]


async def test_a_party_heard_on_no_side_is_refused_and_nothing_is_kept() -> None:
    uow = await holding(an_engagement())
    nowhere = RecordHeard("eng-1", "Rosa", "  ", 4, (), "team", date(2024, 4, 1))

    with pytest.raises(DomainError) as refused:
        await record_heard(nowhere, COORDINATOR, uow, clock)

    assert refused.value.field == "side"
    assert uow.nothing_committed


# --- activities -------------------------------------------------------------------------------


async def test_an_activity_is_kept_published_and_dates_the_engagements_last_activity() -> None:
    uow = await holding(an_engagement())

    activity = await record_activity(ACTIVITY, COORDINATOR, uow, clock)

    assert await list_activities("eng-1", COORDINATOR, uow) == Shown([activity], personal=True)
    engagement = await uow.engagements.get("eng-1")
    assert engagement is not None
    assert (engagement.last_activity_on, engagement.method_blend) == (
        date(2026, 1, 20),
        MethodBlend(local=1, external=1),
    )
    assert uow.published == [
        events.ActivityRecordedV2(
            engagement_id="eng-1",
            activity_id=activity.id,
            kind="dialogue",
            held_on=date(2026, 1, 20),
            tracks=[4, 7],
            peacebuilding_kind="social",
            rpp_quadrant=RppQuadrant.more_people_individual,
            methods=[
                events.Method(name="Palabreo", origin=MethodOrigin.local, code="palabreo"),
                events.Method(
                    name="Problem-solving workshop",
                    origin=MethodOrigin.external,
                    code="problem_solving_workshop",
                ),
            ],
            local_facilitators=1,
            external_facilitators=1,
            led_locally=False,
            participants=[
                events.ParticipantCount(
                    sex=Sex.female,
                    role=ParticipantRole.participant,
                    track=4,
                    side="claimants",
                    count=12,
                )
            ],
        )
    ]


async def test_an_activity_keeps_the_catalogues_label_and_counts_an_indigenous_method_local() -> (
    None
):
    uow = await holding(an_engagement())

    activity = await record_activity(
        replace(ACTIVITY, methods=("minga", "palabreo")), COORDINATOR, uow, clock
    )

    assert [(m.code, m.name, m.origin) for m in activity.methods] == [
        ("minga", "Minga", MethodOrigin.local),
        ("palabreo", "Palabreo", MethodOrigin.local),
    ]
    engagement = await uow.engagements.get("eng-1")
    assert engagement is not None
    assert engagement.method_blend == MethodBlend(local=2, external=0)


@pytest.mark.parametrize(
    ("methods", "field", "code"),
    [
        pytest.param(("palabreo", "talking_stick"), "methods.1.code", "unknown_method",
                     id="not-catalogued"),
        pytest.param(("retired_circle",), "methods.0.code", "unknown_method", id="retired"),
        pytest.param(("minga", "minga"), "methods", "methods_not_distinct", id="twice"),
    ],
)  # fmt: skip
async def test_an_activity_names_only_methods_of_the_catalogue_each_once(
    methods: tuple[str, ...], field: str, code: str
) -> None:
    uow = await holding(an_engagement())
    await uow.methods.save(catalogued("retired_circle", "Circle", CatalogueOrigin.local, False))

    with pytest.raises(DomainError) as refused:
        await record_activity(replace(ACTIVITY, methods=methods), COORDINATOR, uow, clock)

    assert (refused.value.field, refused.value.code) == (field, code)
    assert await uow.activities.of_engagement("eng-1") == []
    assert uow.published == []


async def test_an_activity_that_reaches_a_lesson_brings_it_to_the_inbox() -> None:
    uow = await holding(an_engagement())
    what_it_did = {"methods": ["Palabreo"], "tracks": [7], "peacebuilding_kinds": ["social"]}
    await uow.lessons.save(a_lesson("by-what-it-did", **what_it_did))
    await uow.lessons.save(a_lesson("in-kenya", countries=["KE"], **what_it_did))
    await refresh_engagement(uow, an_engagement())
    assert await uow.deliveries.of_engagement("eng-1", EVERY_LESSON) == []

    await record_activity(ACTIVITY, COORDINATOR, uow, clock)

    inbox = await uow.deliveries.of_engagement("eng-1", EVERY_LESSON)
    assert [(d.lesson_id, d.score) for d in inbox] == [("by-what-it-did", 3)]


async def test_an_activity_of_an_unknown_kind_is_refused_and_nothing_is_kept() -> None:
    uow = await holding(an_engagement())

    with pytest.raises(DomainError) as refused:
        await record_activity(replace(ACTIVITY, kind="party"), COORDINATOR, uow, clock)

    assert refused.value.code == "unknown_activity_kind"
    assert uow.nothing_committed
    assert await uow.engagements.get("eng-1") == an_engagement()


# --- the liaison log --------------------------------------------------------------------------


async def test_a_liaison_is_kept_and_published_without_the_officials_names() -> None:
    uow = await holding(an_engagement())

    entry = await record_liaison(LIAISON, COORDINATOR, uow, clock)

    assert await list_liaison("eng-1", COORDINATOR, uow) == Shown([entry], personal=True)
    assert entry.officials == ("Pedro Gómez",)
    assert uow.published == [
        events.LiaisonRecorded(
            engagement_id="eng-1",
            liaison_id=entry.id,
            institution="Gobernación de Bolívar",
            kind="briefing",
            held_on=date(2024, 5, 2),
        )
    ]


# --- what every record refuses ----------------------------------------------------------------

Record = Callable[[FakeEngagementsUnitOfWork], Awaitable[object]]
RECORDS: dict[str, Record] = {
    "analysis": lambda uow: record_analysis(ANALYSIS, COORDINATOR, uow, clock),
    "hearing": lambda uow: record_heard(HEARD, COORDINATOR, uow, clock),
    "activity": lambda uow: record_activity(ACTIVITY, COORDINATOR, uow, clock),
    "liaison": lambda uow: record_liaison(LIAISON, COORDINATOR, uow, clock),
}
READS: dict[str, Record] = {
    "analyses": lambda uow: list_analyses("eng-1", COORDINATOR, uow),
    "analysis": lambda uow: get_analysis("eng-1", 1, COORDINATOR, uow),
    "ledger": lambda uow: listening_ledger("eng-1", COORDINATOR, uow),
    "activities": lambda uow: list_activities("eng-1", COORDINATOR, uow),
    "liaison": lambda uow: list_liaison("eng-1", COORDINATOR, uow),
}


@pytest.mark.parametrize("record", RECORDS.values(), ids=RECORDS.keys())
async def test_a_closed_engagement_records_nothing_more(record: Record) -> None:
    uow = await holding(in_status(Status.closed))

    with pytest.raises(Conflict) as refused:
        await record(uow)

    assert refused.value.code == "engagement_closed"
    assert uow.nothing_committed


@pytest.mark.parametrize("act", [*RECORDS.values(), *READS.values()], ids=[*RECORDS, *READS])
async def test_the_records_of_an_unknown_engagement_are_not_found(act: Record) -> None:
    uow = await holding(an_engagement("eng-2"))
    await uow.listening.add(heard("land claimants", "h-1"))

    with pytest.raises(NotFound) as refused:
        await act(uow)

    assert refused.value.field == "engagement_id"
    assert uow.nothing_committed
