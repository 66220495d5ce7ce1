"""Use cases on attitude instruments and measurements (standard 12, transformation).

Evaluators define instruments, which their organization owns and shares as it says; a
measurement belongs to its engagement's owner, as an evaluation does, and only that
organization's evaluators record one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from multitrack_evaluation.application.access import WRITER, require_reader
from multitrack_evaluation.application.ports import EvaluationUoW
from multitrack_evaluation.domain.attitudes import (
    Administration,
    Instrument,
    Measurement,
    MeasurementFrame,
    Scale,
    measure,
    new_instrument,
)
from multitrack_evaluation.domain.evaluations import EngagementLife
from multitrack_shared.auth.policy import (
    can_read,
    changeable,
    owner_of_new_record,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import DomainError
from multitrack_shared.events import evaluation as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class DefineInstrument:
    code: str
    label: str
    items: tuple[str, ...]
    scale_low: int
    scale_high: int
    visibility: str


async def define_instrument(
    cmd: DefineInstrument, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> Instrument:
    require_role(caller, WRITER)
    async with uow:
        instrument = new_instrument(
            Instrument(
                code=cmd.code,
                label=cmd.label,
                items=cmd.items,
                scale=Scale(cmd.scale_low, cmd.scale_high),
                owner_org=owner_of_new_record(caller),
                visibility=cmd.visibility,
                defined_at=clock(),
            ),
            await uow.attitudes.instrument(cmd.code),
        )
        await uow.attitudes.add_instrument(instrument)
        uow.publish(
            events.AttitudeInstrumentDefined(
                code=instrument.code,
                ownership=Ownership(
                    owner_org=instrument.owner_org, visibility=Visibility(instrument.visibility)
                ),
                label=instrument.label,
                items=list(instrument.items),
                scale_low=instrument.scale.low,
                scale_high=instrument.scale.high,
                defined_at=instrument.defined_at,
            )
        )
        await uow.commit()
    return instrument


async def list_instruments(caller: Principal, uow: EvaluationUoW) -> list[Instrument]:
    require_reader(caller)
    async with uow:
        return await uow.attitudes.instruments(scope_of(caller))


async def record_measurement(
    given: Administration, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> Measurement:
    require_role(caller, WRITER)
    async with uow:
        now = clock()
        frame = await _frame(given.engagement_id, caller, uow, now)
        instrument = await uow.attitudes.instrument(given.instrument)
        if instrument is None or not can_read(caller, instrument.owner_org, instrument.visibility):
            raise DomainError(
                f"no attitude instrument {given.instrument}",
                field="instrument",
                code="unknown_instrument",
            )
        measurement = measure(given, instrument, frame, id=str(uuid.uuid4()), at=now)
        await uow.attitudes.add_measurement(measurement)
        uow.publish(_measured(measurement))
        await uow.commit()
    return measurement


async def list_measurements(
    engagement_id: str, caller: Principal, uow: EvaluationUoW
) -> list[Measurement]:
    require_reader(caller)
    async with uow:
        record = await uow.digests.record(engagement_id)
        readable(record, caller, f"no engagement {engagement_id}", field="engagement_id")
        return await uow.attitudes.measurements(engagement_id)


async def _frame(
    engagement_id: str, caller: Principal, uow: EvaluationUoW, now: datetime
) -> MeasurementFrame:
    record = await uow.digests.record(engagement_id)
    if record is None or not can_read(caller, record.owner_org, record.visibility):
        raise DomainError(
            f"no engagement {engagement_id} is known to evaluation",
            field="engagement_id",
            code="unknown_engagement",
        )
    changeable(record, caller, WRITER, message=f"no engagement {engagement_id}")
    return MeasurementFrame(
        owner_org=record.owner_org,
        visibility=record.visibility,
        life=EngagementLife.of(record.header.start_date, record.header.closed_at, now),
        sides=frozenset(side for analysis in record.analyses for side in analysis.sides),
    )


def _measured(m: Measurement) -> events.AttitudeMeasured:
    return events.AttitudeMeasured(
        measurement_id=m.id,
        engagement_id=m.engagement_id,
        instrument=m.instrument,
        side=m.side,
        administered_on=m.administered_on,
        respondents=m.respondents,
        item_means=list(m.item_means),
        score=m.score,
        recorded_at=m.recorded_at,
    )
