"""Attitude instruments and measurements on in-memory fakes (standard 12): an instrument is
defined once by an evaluator; a measurement of an engagement is its owner's evaluators' to
record, on the instrument's items and scale, for a side its analyses name, on a day of its
life; it counts in the engagement's transformation trend. Refusals keep nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from multitrack_evaluation.application.attitudes import (
    DefineInstrument,
    define_instrument,
    list_instruments,
    list_measurements,
    record_measurement,
)
from multitrack_evaluation.domain.attitudes import Administration
from multitrack_evaluation.domain.trends import by_quarter
from multitrack_shared.errors import Conflict, DomainError, Forbidden
from multitrack_shared.events import evaluation as events

from ..conftest import ENGAGEMENT
from ..fakes import FakeEvaluationUnitOfWork
from .samples import COORDINATOR, EVALUATOR, OTHER_EVALUATOR, clock, knowing_the_engagement

pytestmark = pytest.mark.unit

INSTRUMENT = DefineInstrument(
    code="acceptance",
    label="Acceptance of returning families",
    items=("I would buy from their shop.", "I would let my children play with theirs."),
    scale_low=1,
    scale_high=5,
    visibility="consortium",
)
GIVEN = Administration(ENGAGEMENT, "acceptance", "claimants", date(2024, 6, 1), 20, (2.0, 4.0))


async def with_instrument() -> FakeEvaluationUnitOfWork:
    uow = await knowing_the_engagement()
    await define_instrument(INSTRUMENT, EVALUATOR, uow, clock)
    uow.published.clear()
    return uow


async def test_an_instrument_is_defined_once_published_and_listed() -> None:
    uow = await knowing_the_engagement()

    instrument = await define_instrument(INSTRUMENT, EVALUATOR, uow, clock)

    assert (instrument.owner_org, instrument.scale.high) == ("org-a", 5)
    (event,) = uow.published
    assert isinstance(event, events.AttitudeInstrumentDefined)
    assert (event.code, event.items, event.scale_low) == ("acceptance", list(INSTRUMENT.items), 1)
    assert [i.code for i in await list_instruments(OTHER_EVALUATOR, uow)] == ["acceptance"]
    with pytest.raises(Conflict):
        await define_instrument(INSTRUMENT, EVALUATOR, uow, clock)
    with pytest.raises(Forbidden):
        await define_instrument(INSTRUMENT, COORDINATOR, uow, clock)


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"scale_low": 5, "scale_high": 5}, "scale_reversed"), ({"items": ()}, "required")],
)
async def test_an_instrument_has_items_and_a_scale_that_rises(
    changes: dict[str, object], code: str
) -> None:
    uow = await knowing_the_engagement()

    with pytest.raises(DomainError) as refused:
        await define_instrument(replace(INSTRUMENT, **changes), EVALUATOR, uow, clock)  # type: ignore[arg-type]  # the changes are the dataclass's own fields

    assert refused.value.code == code
    assert uow.nothing_committed


async def test_a_measurement_is_scored_on_zero_to_one_published_and_in_the_trend() -> None:
    uow = await with_instrument()

    measurement = await record_measurement(GIVEN, EVALUATOR, uow, clock)

    assert measurement.score == 0.5  # mean 3 on 1..5
    assert measurement.owner_org == "org-a"
    (event,) = uow.published
    assert isinstance(event, events.AttitudeMeasured)
    assert (event.side, event.respondents, event.score) == ("claimants", 20, 0.5)
    assert [m.id for m in await list_measurements(ENGAGEMENT, EVALUATOR, uow)] == [measurement.id]
    record = await uow.digests.record(ENGAGEMENT)
    assert record is not None
    (quarter,) = [q for q in by_quarter(record) if q.quarter == "2024-Q2"]
    assert quarter.figures.attitude_by_side == {"claimants": 0.5}


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"instrument": "nothing"}, "unknown_instrument", "instrument"),
        ({"side": "bystanders"}, "unknown_side", "side"),
        ({"item_means": (3.0,)}, "items_mismatch", "item_means"),
        ({"item_means": (3.0, 5.5)}, "score_out_of_range", "item_means.1"),
        ({"administered_on": date(2023, 1, 1)}, "before_engagement", "administered_on"),
        ({"administered_on": date(2026, 1, 1)}, "after_engagement", "administered_on"),
        ({"engagement_id": "eng-x"}, "unknown_engagement", "engagement_id"),
    ],
)
async def test_a_measurement_keeps_to_its_instrument_the_sides_and_the_engagements_life(
    changes: dict[str, object], code: str, field: str
) -> None:
    uow = await with_instrument()

    with pytest.raises(DomainError) as refused:
        await record_measurement(replace(GIVEN, **changes), EVALUATOR, uow, clock)  # type: ignore[arg-type]  # the changes are the dataclass's own fields

    assert (refused.value.code, refused.value.field) == (code, field)
    assert (await uow.attitudes.measurements(ENGAGEMENT), uow.published) == ([], [])


async def test_only_the_engagements_owners_evaluators_record_a_measurement() -> None:
    uow = await with_instrument()

    for caller in (OTHER_EVALUATOR, COORDINATOR):
        with pytest.raises(Forbidden):
            await record_measurement(GIVEN, caller, uow, clock)
    assert (await uow.attitudes.measurements(ENGAGEMENT), uow.published) == ([], [])
