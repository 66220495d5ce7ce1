"""Bodies of /partnerships: a partner's role on an engagement, from one day to another."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from multitrack_partners.domain.partnership import Partnership, PartnershipRole
from multitrack_shared.validation import Day, RecordId, Strict


class PartnershipCreate(Strict):
    partner_id: RecordId = Field(
        description="A registered partner the caller may see (422 unknown_partner otherwise).",
        examples=["3f1c2b9e-5d4a-4c1e-9a7b-2e8f6d0c1a23"],
    )
    engagement_id: RecordId = Field(
        description="An engagement known from the engagements service's events that the "
        "caller may see (422 unknown_engagement otherwise) and that the caller's organization "
        "owns (403 not_owner otherwise).",
        examples=["9b7e3c1a-2f4d-5e6a-8b9c-0d1e2f3a4b5c"],
    )
    role: PartnershipRole = Field(
        description="The partner's role; a partner holds one role once at a time on an "
        "engagement (409 role_already_held otherwise).",
        examples=["co_facilitator"],
    )
    starts_on: Day = Field(description="First day of the partnership.", examples=["2026-04-01"])
    ends_on: Day | None = Field(
        default=None,
        description="Last day, if already known; not before starts_on.",
        examples=["2027-03-31"],
    )


class PartnershipEnd(Strict):
    ends_on: Day = Field(
        description="Last day of the partnership; not before it started.", examples=["2026-12-31"]
    )


class PartnershipPublic(BaseModel):
    id: str
    partner_id: str
    engagement_id: str
    owner_org: str = Field(description="Owner of the engagement, and so of the partnership.")
    visibility: str = Field(
        description="The engagement's: consortium (every member sees the partnership) or owner."
    )
    role: PartnershipRole
    starts_on: date
    ends_on: date | None
    formed_at: datetime
    ended_at: datetime | None = Field(description="When the end was recorded; null until then.")

    @classmethod
    def of(cls, partnership: Partnership) -> PartnershipPublic:
        return cls(
            id=partnership.id,
            partner_id=partnership.partner_id,
            engagement_id=partnership.engagement_id,
            owner_org=partnership.owner_org,
            visibility=partnership.visibility,
            role=partnership.role,
            starts_on=partnership.period.starts_on,
            ends_on=partnership.period.ends_on,
            formed_at=partnership.formed_at,
            ended_at=partnership.ended_at,
        )
