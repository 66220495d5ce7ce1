"""Bodies of /members: the organizations of the consortium and their roles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from multitrack_partners.domain.member import Member, MemberIdentity
from multitrack_partners.domain.partner import IatiOrganisationType
from multitrack_partners.entrypoints.api.schemas.partners import IatiOrgId, IatiOrgType
from multitrack_shared.validation import Day, Name, ShortCode, Strict, distinct


class MemberCreate(Strict):
    name: Name = Field(
        description="Name of the member organization; a member joins once.",
        examples=["Institute for Multi-Track Diplomacy"],
    )
    roles: Annotated[list[ShortCode], AfterValidator(distinct)] = Field(
        min_length=1,
        max_length=20,
        description="Its roles in the consortium, as short codes: lead, implementer, funder, "
        "research, or any other the consortium uses. At least one, none repeated.",
        examples=[["lead", "implementer"]],
    )
    joined_on: Day | None = Field(
        default=None,
        description="The day it joined; today when left out. Never a day still to come.",
        examples=["2025-09-01"],
    )
    organization: ShortCode | None = Field(
        default=None,
        description="The identity provider's alias of the organization, when it uses the "
        "platform: the owner its records name. One member per organization.",
        examples=["org-a"],
    )
    iati_org_id: IatiOrgId | None = None
    iati_org_type: IatiOrgType | None = None

    @property
    def identity(self) -> MemberIdentity:
        return MemberIdentity(self.organization, self.iati_org_id, self.iati_org_type)


class MemberPublic(BaseModel):
    id: str
    name: str
    roles: list[str]
    joined_on: date
    joined_at: datetime = Field(description="When it joined, as published in the event.")
    organization: str | None = Field(description="Its alias in the identity provider.")
    iati_org_id: str | None
    iati_org_type: IatiOrganisationType | None

    @classmethod
    def of(cls, member: Member) -> MemberPublic:
        return cls(
            id=member.id,
            name=member.name,
            roles=list(member.roles),
            joined_on=member.joined_on,
            joined_at=member.joined_at,
            organization=member.identity.organization,
            iati_org_id=member.identity.iati_org_id,
            iati_org_type=member.identity.iati_org_type,
        )
