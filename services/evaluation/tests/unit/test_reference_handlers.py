"""The reference-data use cases on in-memory fakes, which start from the seeded defaults: each
change publishes ReferenceChanged; a change that changes nothing, or breaks the fixed
vocabulary, publishes nothing; only consortium admins change it, every role reads it."""

from __future__ import annotations

import pytest

from multitrack_evaluation.application.reference import (
    AddEntry,
    AdjustEntry,
    add_entry,
    adjust_entry,
    list_entries,
)
from multitrack_evaluation.domain.reference import CriterionBearing, ReferenceEntry, ReferenceKind
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import Conflict, DomainError, Forbidden, NotFound
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.reference import STANDARD_PROCEDURES, TRACKS

from ..fakes import FakeEvaluationUnitOfWork
from .samples import (
    ADMIN,
    COORDINATOR,
    EVALUATOR,
    NOW,
    OBSERVER,
    OTHER_EVALUATOR,
    PARTNER_SYSTEM,
    clock,
)

pytestmark = pytest.mark.unit

TRACK = ReferenceKind.track
PROCEDURE = ReferenceKind.standard_procedure
FIRST_PROCEDURE = STANDARD_PROCEDURES[0]


async def test_the_entries_are_listed_by_kind_in_their_order() -> None:
    uow = FakeEvaluationUnitOfWork()

    tracks = await list_entries(TRACK, OBSERVER, uow)
    everything = await list_entries(None, PARTNER_SYSTEM, uow)

    assert [e.code for e in tracks] == [str(n) for n in range(1, 10)]
    assert [e.kind for e in everything][: len(TRACKS) + 1] == [TRACK] * len(TRACKS) + [
        ReferenceKind.peacebuilding_kind
    ]


async def test_rewording_a_track_keeps_it_and_publishes_the_change() -> None:
    uow = FakeEvaluationUnitOfWork()

    entry = await adjust_entry(
        AdjustEntry(TRACK, "4", "Citizens", "Private citizens", True), ADMIN, uow, clock
    )

    assert await uow.reference.get(TRACK, "4") == entry
    assert (entry.label, entry.position) == ("Citizens", 4)
    assert uow.published == [
        ReferenceChanged(
            key="track:4",
            kind="track",
            code="4",
            label="Citizens",
            description="Private citizens",
            active=True,
            changed_at=NOW,
        )
    ]


async def test_an_adjustment_that_changes_nothing_commits_and_publishes_nothing() -> None:
    uow = FakeEvaluationUnitOfWork()
    same = FIRST_PROCEDURE

    await adjust_entry(
        AdjustEntry(PROCEDURE, same.code, same.label, same.description, True), ADMIN, uow, clock
    )

    assert uow.nothing_committed


@pytest.mark.parametrize(
    ("cmd", "refusal", "code", "field"),
    [
        pytest.param(
            AdjustEntry(TRACK, "4", "x", "y", False),
            DomainError,
            "fixed_vocabulary",
            "active",
            id="off",
        ),
        pytest.param(
            AdjustEntry(TRACK, "10", "x", "y", True), NotFound, "not_found", "code", id="unknown"
        ),
    ],
)
async def test_a_refused_adjustment_publishes_nothing(
    cmd: AdjustEntry, refusal: type[DomainError], code: str, field: str
) -> None:
    uow = FakeEvaluationUnitOfWork()

    with pytest.raises(refusal) as refused:
        await adjust_entry(cmd, ADMIN, uow, clock)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert uow.nothing_committed


async def test_a_procedure_added_comes_after_the_others_and_is_published() -> None:
    uow = FakeEvaluationUnitOfWork()

    entry = await add_entry(
        AddEntry(PROCEDURE, "safeguarding", "Safeguarding", "Do no harm"), ADMIN, uow, clock
    )

    assert entry == ReferenceEntry(
        PROCEDURE, "safeguarding", "Safeguarding", "Do no harm", True, len(STANDARD_PROCEDURES) + 1
    )
    assert (await list_entries(PROCEDURE, EVALUATOR, uow))[-1] == entry
    assert uow.published == [
        ReferenceChanged(
            key="standard_procedure:safeguarding",
            kind="standard_procedure",
            code="safeguarding",
            label="Safeguarding",
            description="Do no harm",
            active=True,
            changed_at=NOW,
        )
    ]


@pytest.mark.parametrize(
    ("cmd", "refusal", "code"),
    [
        pytest.param(
            AddEntry(TRACK, "10", "Media", "Media"), DomainError, "fixed_vocabulary", id="track"
        ),
        pytest.param(
            AddEntry(PROCEDURE, FIRST_PROCEDURE.code, "Again", "Again"),
            Conflict,
            "duplicate",
            id="twice",
        ),
    ],
)
async def test_a_refused_addition_is_neither_kept_nor_published(
    cmd: AddEntry, refusal: type[DomainError], code: str
) -> None:
    uow = FakeEvaluationUnitOfWork()
    before = await list_entries(None, ADMIN, uow)

    with pytest.raises(refusal) as refused:
        await add_entry(cmd, ADMIN, uow, clock)

    assert refused.value.code == code
    assert uow.nothing_committed
    assert await list_entries(None, ADMIN, uow) == before


@pytest.mark.parametrize(
    "caller",
    [EVALUATOR, COORDINATOR, PARTNER_SYSTEM, OTHER_EVALUATOR, OBSERVER],
    ids=["evaluator", "coordinator", "partner-system", "other-organization", "observer"],
)
async def test_only_a_consortium_admin_changes_the_reference_data(caller: Principal) -> None:
    uow = FakeEvaluationUnitOfWork()
    before = await list_entries(None, caller, uow)
    rewording = AdjustEntry(TRACK, "4", "Citizens", "Private citizens", True)
    addition = AddEntry(PROCEDURE, "safeguarding", "Safeguarding", "Do no harm")

    with pytest.raises(Forbidden) as adjusting:
        await adjust_entry(rewording, caller, uow, clock)
    with pytest.raises(Forbidden) as adding:
        await add_entry(addition, caller, uow, clock)

    assert adjusting.value.code == adding.value.code == "role_required"
    assert uow.nothing_committed
    assert await list_entries(None, caller, uow) == before


CRITERION = ReferenceKind.assessment_criterion


async def test_a_criterion_made_essential_is_published_with_its_procedure() -> None:
    uow = FakeEvaluationUnitOfWork()
    local = await uow.reference.get(CRITERION, "local_partners")
    assert local is not None
    assert not local.essential

    entry = await adjust_entry(
        AdjustEntry(CRITERION, local.code, local.label, local.description, True, essential=True),
        ADMIN,
        uow,
        clock,
    )

    assert (entry.procedure, entry.essential) == ("partnership", True)
    (event,) = uow.published
    assert isinstance(event, ReferenceChanged)
    assert (event.kind, event.procedure, event.essential) == (CRITERION.value, "partnership", True)


async def test_a_criterion_added_bears_on_an_active_procedure_only() -> None:
    uow = FakeEvaluationUnitOfWork()
    unknown = AddEntry(CRITERION, "safe_access", "Safe", "Safe", CriterionBearing("astrology"))

    with pytest.raises(DomainError) as refused:
        await add_entry(unknown, ADMIN, uow, clock)
    added = await add_entry(
        AddEntry(CRITERION, "safe_access", "Safe", "Safe", CriterionBearing("engagement", True)),
        ADMIN,
        uow,
        clock,
    )

    assert (refused.value.code, refused.value.field) == ("unknown_procedure", "procedure")
    assert (added.procedure, added.essential) == ("engagement", True)
    assert [e.code for e in uow.published if isinstance(e, ReferenceChanged)] == ["safe_access"]


async def test_only_a_criterion_bears_on_a_procedure() -> None:
    uow = FakeEvaluationUnitOfWork()
    bearing = CriterionBearing("trust", essential=True)

    with pytest.raises(DomainError) as refused:
        await add_entry(AddEntry(PROCEDURE, "care", "Care", "Care", bearing), ADMIN, uow, clock)

    assert refused.value.code == "criterion_only"
    assert uow.nothing_committed
