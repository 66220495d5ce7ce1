"""Bodies of /partners: the public profile, with contact people kept private to this API.

Contact people are personal data: the owning organization's people see them, everyone else
gets ``contact_people: null``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StringConstraints

from multitrack_partners.domain.partner import (
    ContactPerson,
    IatiOrganisationType,
    Partner,
    PartnerProfile,
)
from multitrack_shared.auth.personal import Personal, withhold_personal
from multitrack_shared.auth.policy import may_see_personal
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import (
    CountryCode,
    Email,
    Flag,
    Name,
    ShortCode,
    Strict,
    TrackNumber,
    distinct,
)


def _code_as_text(value: object) -> object:
    # IATI publishes the codes as numbers in its codelists; accept 21 (or 21.0, JSON's same
    # number) as well as "21".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    is_number = isinstance(value, int) and not isinstance(value, bool)
    return str(value) if is_number else value


IATI_CODES_AS_NUMBERS = Literal[tuple(int(code) for code in IatiOrganisationType)]  # type: ignore[valid-type]  # built from the codelist
IatiOrgId = Annotated[
    str,
    # The pattern has no room for spaces: nothing to strip, what it accepts is what is stored.
    StringConstraints(max_length=100, pattern=r"^[A-Z]{2}(-[A-Za-z0-9]+)+$"),
    Field(
        description="IATI organisation identifier: registration agency prefix, then the "
        "organization's number in that registry.",
        examples=["XM-DAC-41114", "GB-CHC-123456"],
    ),
]
IatiOrgType = Annotated[
    IatiOrganisationType,
    BeforeValidator(
        _code_as_text, json_schema_input_type=IatiOrganisationType | IATI_CODES_AS_NUMBERS
    ),
    Field(
        description="IATI OrganisationType code, as a string or a number.",
        examples=["22"],
    ),
]


class ContactPersonIn(Strict):
    """Personal data: stored and served here, never published in an event."""

    name: Annotated[Name, Personal] = Field(examples=["Ana María Torres"])
    email: Annotated[Email | None, Personal] = Field(
        default=None, examples=["ana.torres@example.org"]
    )
    role: Name | None = Field(default=None, examples=["programme coordinator"])


class ContactPersonPublic(BaseModel):
    name: str = Field(description="Full name.", examples=["Ana María Torres"])
    email: str | None = Field(description="E-mail address.", examples=["ana.torres@example.org"])
    role: str | None = Field(description="Role at the partner.", examples=["programme coordinator"])


class PartnerUpdate(Strict):
    """The whole public profile and the contact people, as they are to be from now on."""

    name: Name = Field(
        description="Name of the partner organization.",
        examples=["Red de Mujeres del Caribe"],
    )
    kind: ShortCode = Field(
        description="Kind of organization, e.g. conflict-resolution professionals, local civil "
        "society, women's organization, religious body, academic, business, media, funder.",
        examples=["women's organization"],
    )
    tracks: Annotated[list[TrackNumber], AfterValidator(distinct)] = Field(
        min_length=1,
        max_length=9,
        description="Tracks of multi-track diplomacy it works in; at least one, none repeated.",
        examples=[[4, 6]],
    )
    countries: Annotated[list[CountryCode], AfterValidator(distinct)] = Field(
        min_length=1,
        max_length=250,
        description="Where it works: ISO 3166-1 alpha-2 codes; at least one, none repeated.",
        examples=[["CO"]],
    )
    is_local: Flag = Field(
        description="Local to the conflict, as opposed to international.", examples=[True]
    )
    women_led: Flag = Field(description="Whether the organization is led by women.")
    womens_rights_org: Flag = Field(description="Whether it is a women's-rights organization.")
    iati_org_id: IatiOrgId | None = None
    iati_org_type: IatiOrgType | None = None
    contact_people: Annotated[list[ContactPersonIn], Personal] = Field(
        default_factory=list,
        max_length=50,
        description="People to reach at the partner. Personal data: private to this service, "
        "shown to the owning organization's people only.",
    )

    def profile(self) -> PartnerProfile:
        return PartnerProfile(
            name=self.name,
            kind=self.kind,
            tracks=tuple(self.tracks),
            countries=tuple(self.countries),
            is_local=self.is_local,
            women_led=self.women_led,
            womens_rights_org=self.womens_rights_org,
            iati_org_id=self.iati_org_id,
            iati_org_type=self.iati_org_type,
        )

    def contacts(self) -> list[ContactPerson]:
        return [ContactPerson(**p.model_dump()) for p in self.contact_people]


class PartnerCreate(PartnerUpdate):
    """The partner belongs to the caller's organization: no owner is sent (one is refused)."""

    visibility: Visibility = Field(
        default=Visibility.consortium,
        description="consortium: every member may read the partner and it may be suggested for "
        "any member's engagements; owner: only the caller's organization sees it.",
        examples=["consortium"],
    )


class PartnerPublic(BaseModel):
    id: str
    owner_org: str = Field(description="The member organization that registered the partner.")
    visibility: str
    name: str
    kind: str
    tracks: list[int]
    countries: list[str]
    is_local: bool
    women_led: bool
    womens_rights_org: bool
    iati_org_id: str | None
    iati_org_type: IatiOrganisationType | None
    contact_people: Annotated[list[ContactPersonPublic] | None, Personal] = Field(
        description="People to reach at the partner; null unless the caller is one of the "
        "owning organization's people (personal data)."
    )
    registered_at: datetime
    updated_at: datetime | None = Field(
        description="When the public profile last changed; null if it never has."
    )

    @classmethod
    def of(cls, partner: Partner, caller: Principal) -> PartnerPublic:
        """The partner as ``caller`` may see it: without contact people unless it may."""
        shown = cls._whole(partner)
        return withhold_personal(
            shown, may_see_personal=may_see_personal(caller, partner.owner_org)
        )

    @classmethod
    def _whole(cls, partner: Partner) -> PartnerPublic:
        p = partner.profile
        return cls(
            id=partner.id,
            owner_org=partner.owner_org,
            visibility=partner.visibility,
            name=p.name,
            kind=p.kind,
            tracks=list(p.tracks),
            countries=list(p.countries),
            is_local=p.is_local,
            women_led=p.women_led,
            womens_rights_org=p.womens_rights_org,
            iati_org_id=p.iati_org_id,
            iati_org_type=p.iati_org_type,
            contact_people=[
                ContactPersonPublic.model_validate(c, from_attributes=True)
                for c in partner.contact_people
            ],
            registered_at=partner.registered_at,
            updated_at=partner.updated_at,
        )
