"""Every SQL query on partner organizations."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_partners.adapters.tables import PartnerCountryRow, PartnerRow, PartnerTrackRow
from multitrack_partners.application.ports import PartnerFilter
from multitrack_partners.domain.partner import (
    ContactPerson,
    IatiOrganisationType,
    Partner,
    PartnerProfile,
)
from multitrack_shared.auth.policy import Scope
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlPartnerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, partner: Partner) -> None:
        self._session.add(PartnerRow(id=partner.id, **_row_fields(partner)))
        # The index rows point at the partner row: it must be written first.
        await self._session.flush()
        self._add_index_rows(partner)

    async def save(self, partner: Partner) -> None:
        fields = _row_fields(partner)
        await save_versioned(self._session, PartnerRow, partner.id, partner, fields)
        for index in (PartnerCountryRow, PartnerTrackRow):
            await self._session.exec(delete(index).where(col(index.partner_id) == partner.id))
        self._add_index_rows(partner)

    async def get(self, partner_id: str) -> Partner | None:
        row = await self._session.get(PartnerRow, partner_id)
        return _to_domain(row) if row else None

    async def get_many(self, partner_ids: set[str], scope: Scope) -> list[Partner]:
        query = select(PartnerRow).where(col(PartnerRow.id).in_(partner_ids), _seen_by(scope))
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    async def search(self, where: PartnerFilter) -> list[Partner]:
        query = select(PartnerRow).where(_seen_by(where.scope))
        if where.also_seen_by is not None:
            query = query.where(_seen_by(where.also_seen_by))
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
        query = query.order_by(col(PartnerRow.registered_at).desc(), col(PartnerRow.id))
        if where.limit is not None:
            query = query.offset(where.offset).limit(where.limit)
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]

    def _add_index_rows(self, partner: Partner) -> None:
        profile = partner.profile
        self._session.add_all(
            [PartnerCountryRow(partner_id=partner.id, country=c) for c in profile.countries]
            + [PartnerTrackRow(partner_id=partner.id, track=t) for t in profile.tracks]
        )


def _seen_by(scope: Scope) -> ColumnElement[bool]:
    return visible_to(scope, col(PartnerRow.owner_org), col(PartnerRow.visibility))


def _row_fields(partner: Partner) -> dict[str, Any]:
    profile = partner.profile
    return {
        "owner_org": partner.owner_org,
        "visibility": partner.visibility,
        "name": profile.name,
        "kind": profile.kind,
        "tracks": list(profile.tracks),
        "countries": list(profile.countries),
        "is_local": profile.is_local,
        "women_led": profile.women_led,
        "womens_rights_org": profile.womens_rights_org,
        "iati_org_id": profile.iati_org_id,
        "iati_org_type": profile.iati_org_type.value if profile.iati_org_type else None,
        "contact_people": [asdict(p) for p in partner.contact_people],
        "registered_at": partner.registered_at,
        "updated_at": partner.updated_at,
    }


def _to_domain(row: PartnerRow) -> Partner:
    return Partner(
        id=row.id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        profile=PartnerProfile(
            name=row.name,
            kind=row.kind,
            tracks=tuple(row.tracks),
            countries=tuple(row.countries),
            is_local=row.is_local,
            women_led=row.women_led,
            womens_rights_org=row.womens_rights_org,
            iati_org_id=row.iati_org_id,
            iati_org_type=IatiOrganisationType(row.iati_org_type) if row.iati_org_type else None,
        ),
        registered_at=utc(row.registered_at),
        contact_people=[ContactPerson(**p) for p in row.contact_people],
        updated_at=utc(row.updated_at),
        version=row.version,
    )
