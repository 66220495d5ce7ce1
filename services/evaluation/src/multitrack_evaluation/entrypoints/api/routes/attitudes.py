"""HTTP routes on attitude instruments and measurements: parse, call one use case, shape the
answer."""

from __future__ import annotations

from fastapi import APIRouter, status

from multitrack_evaluation.application import attitudes as handlers
from multitrack_evaluation.entrypoints.api.deps import UowDep
from multitrack_evaluation.entrypoints.api.schemas.attitudes import (
    InstrumentCreate,
    InstrumentPublic,
    MeasurementCreate,
    MeasurementPublic,
)
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(tags=["attitudes"], responses=ERROR_RESPONSES)


@router.post(
    "/attitude-instruments",
    status_code=status.HTTP_201_CREATED,
    summary="Define an attitude instrument (evaluators)",
)
async def define_instrument(
    body: InstrumentCreate, caller: CallerDep, uow: UowDep, clock: ClockDep
) -> InstrumentPublic:
    """Items on one scale whose high end is the most accepting of the other side
    (`scale_reversed`, `items_not_distinct`). Never changed once defined (`duplicate`).
    Publishes `multitrack.attitude_instrument.defined.v1`."""
    cmd = handlers.DefineInstrument(
        code=body.code,
        label=body.label,
        items=tuple(body.items),
        scale_low=body.scale_low,
        scale_high=body.scale_high,
        visibility=body.visibility.value,
    )
    return InstrumentPublic.of(await handlers.define_instrument(cmd, caller, uow, clock))


@router.get("/attitude-instruments", summary="The attitude instruments the caller may see")
async def list_instruments(caller: CallerDep, uow: UowDep) -> list[InstrumentPublic]:
    return [InstrumentPublic.of(i) for i in await handlers.list_instruments(caller, uow)]


@router.post(
    "/attitude-measurements",
    status_code=status.HTTP_201_CREATED,
    summary="Record an attitude measurement of an engagement (its evaluators)",
)
async def record_measurement(
    body: MeasurementCreate, caller: CallerDep, uow: UowDep, clock: ClockDep
) -> MeasurementPublic:
    """An instrument administered to a group of one side: one mean per item, on its scale
    (`unknown_instrument`, `items_mismatch`, `score_out_of_range`); a side the engagement's
    analyses name (`unknown_side`); a day of its life (`before_engagement`,
    `after_engagement`). It counts in the transformation trend of the digest and of the
    evaluations. Publishes `multitrack.attitude.measured.v1`."""
    measurement = await handlers.record_measurement(body.administration(), caller, uow, clock)
    return MeasurementPublic.of(measurement)


@router.get(
    "/engagements/{engagement_id}/attitude-measurements",
    summary="The attitude measurements of an engagement, oldest first",
)
async def list_measurements(
    engagement_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[MeasurementPublic]:
    found = await handlers.list_measurements(engagement_id, caller, uow)
    return [MeasurementPublic.of(m) for m in found]
