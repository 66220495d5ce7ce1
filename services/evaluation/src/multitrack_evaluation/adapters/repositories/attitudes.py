"""Every SQL query on attitude instruments and measurements."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_evaluation.adapters.tables import AttitudeInstrumentRow, AttitudeMeasurementRow
from multitrack_evaluation.domain.attitudes import Instrument, Measurement, Scale
from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlAttitudeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_instrument(self, instrument: Instrument) -> None:
        self._session.add(
            AttitudeInstrumentRow(
                code=instrument.code,
                label=instrument.label,
                items=list(instrument.items),
                scale_low=instrument.scale.low,
                scale_high=instrument.scale.high,
                owner_org=instrument.owner_org,
                visibility=instrument.visibility,
                defined_at=instrument.defined_at,
            )
        )

    async def instrument(self, code: str) -> Instrument | None:
        row = await self._session.get(AttitudeInstrumentRow, code)
        return _instrument(row) if row else None

    async def instruments(self, scope: Scope) -> list[Instrument]:
        row = AttitudeInstrumentRow
        query = (
            select(row)
            .where(visible_to(scope, col(row.owner_org), col(row.visibility)))
            .order_by(col(row.code))
        )
        return [_instrument(r) for r in (await self._session.exec(query)).all()]

    async def add_measurement(self, measurement: Measurement) -> None:
        fields = {**asdict(measurement), "item_means": list(measurement.item_means)}
        self._session.add(AttitudeMeasurementRow(**fields))

    async def measurements(self, engagement_id: str) -> list[Measurement]:
        row = AttitudeMeasurementRow
        query = (
            select(row)
            .where(row.engagement_id == engagement_id)
            .order_by(col(row.administered_on), col(row.recorded_at))
        )
        return [
            Measurement(
                **{
                    **r.model_dump(),
                    "item_means": tuple(r.item_means),
                    "recorded_at": utc(r.recorded_at),
                }
            )
            for r in (await self._session.exec(query)).all()
        ]


def _instrument(row: AttitudeInstrumentRow) -> Instrument:
    return Instrument(
        code=row.code,
        label=row.label,
        items=tuple(row.items),
        scale=Scale(row.scale_low, row.scale_high),
        owner_org=row.owner_org,
        visibility=row.visibility,
        defined_at=utc(row.defined_at),
    )
