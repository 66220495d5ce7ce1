"""Every SQL query of the partners service."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import PartnerCountryRow, PartnerRow, PartnerTrackRow
from multitrack_partners.application.ports import PartnerFilter
from multitrack_partners.domain.model import ContactPerson, IatiOrganisationType, Partner


class SqlPartnerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, partner: Partner) -> None:
        self._session.add(PartnerRow(id=partner.id, **_row_fields(partner)))
        # The index rows point at the partner row: it must be written first.
        await self._session.flush()
        self._session.add_all(
            [PartnerCountryRow(partner_id=partner.id, country=c) for c in partner.countries]
            + [PartnerTrackRow(partner_id=partner.id, track=t) for t in partner.tracks]
        )

    async def get(self, partner_id: str) -> Partner | None:
        row = await self._session.get(PartnerRow, partner_id)
        return _to_domain(row) if row else None

    async def search(self, where: PartnerFilter) -> list[Partner]:
        query = select(PartnerRow)
        if where.country:
            in_country = select(PartnerCountryRow.partner_id).where(
                PartnerCountryRow.country == where.country
            )
            query = query.where(col(PartnerRow.id).in_(in_country))
        if where.track:
            in_track = select(PartnerTrackRow.partner_id).where(
                PartnerTrackRow.track == where.track
            )
            query = query.where(col(PartnerRow.id).in_(in_track))
        if where.is_local is not None:
            query = query.where(PartnerRow.is_local == where.is_local)
        if where.women_led is not None:
            query = query.where(PartnerRow.women_led == where.women_led)
        query = (
            query.order_by(col(PartnerRow.registered_at).desc(), col(PartnerRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _row_fields(partner: Partner) -> dict[str, Any]:
    return {
        "owner_org": partner.owner_org,
        "visibility": partner.visibility,
        "name": partner.name,
        "kind": partner.kind,
        "tracks": partner.tracks,
        "countries": partner.countries,
        "is_local": partner.is_local,
        "women_led": partner.women_led,
        "womens_rights_org": partner.womens_rights_org,
        "iati_org_id": partner.iati_org_id,
        "iati_org_type": partner.iati_org_type.value if partner.iati_org_type else None,
        "contact_people": [asdict(p) for p in partner.contact_people],
        "registered_at": partner.registered_at,
    }


def _to_domain(row: PartnerRow) -> Partner:
    return Partner(
        id=row.id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        name=row.name,
        kind=row.kind,
        tracks=list(row.tracks),
        countries=list(row.countries),
        is_local=row.is_local,
        women_led=row.women_led,
        womens_rights_org=row.womens_rights_org,
        registered_at=_aware(row.registered_at),
        iati_org_id=row.iati_org_id,
        iati_org_type=IatiOrganisationType(row.iati_org_type) if row.iati_org_type else None,
        contact_people=[ContactPerson(**p) for p in row.contact_people],
    )


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
