"""Request and response bodies of the partners API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from datetime import datetime
from typing import Annotated, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from multitrack_partners.domain.model import IatiOrganisationType, Partner
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import CountryCode, Name, ShortCode, TrackNumber

H = TypeVar("H", bound=Hashable)


def _distinct(values: list[H]) -> list[H]:
    repeated = [str(v) for v, n in Counter(values).items() if n > 1]
    if repeated:
        raise PydanticCustomError(
            "duplicate", "values must not repeat: {repeated}", {"repeated": ", ".join(repeated)}
        )
    return values


def _code_as_text(value: object) -> object:
    # IATI publishes the codes as numbers in its codelists; accept 21 as well as "21".
    is_number = isinstance(value, int) and not isinstance(value, bool)
    return str(value) if is_number else value


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
IatiOrgId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[A-Z]{2}(-[A-Za-z0-9]+)+$"),
    Field(
        description="IATI organisation identifier: registration agency prefix, then the "
        "organization's number in that registry.",
        examples=["XM-DAC-41114", "GB-CHC-123456"],
    ),
]
IatiOrgType = Annotated[
    IatiOrganisationType,
    BeforeValidator(_code_as_text),
    Field(
        description="IATI OrganisationType code, as a string or a number.",
        examples=["22"],
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactPersonIn(Strict):
    """Personal data: stored and served here, never published in an event."""

    name: Name = Field(examples=["Ana María Torres"])
    email: Email | None = Field(default=None, examples=["ana.torres@example.org"])
    role: Name | None = Field(default=None, examples=["programme coordinator"])


class PartnerCreate(Strict):
    owner_org: Name = Field(
        description="Consortium member that registers the partner.", examples=["imtd"]
    )
    visibility: Visibility = Visibility.consortium
    name: Name = Field(
        description="Name of the partner organization.",
        examples=["Red de Mujeres del Caribe"],
    )
    kind: ShortCode = Field(
        description="Kind of organization, e.g. conflict-resolution professionals, local civil "
        "society, women's organization, religious body, academic, business, media, funder.",
        examples=["women's organization"],
    )
    tracks: Annotated[list[TrackNumber], AfterValidator(_distinct)] = Field(
        min_length=1,
        max_length=9,
        description="Tracks of multi-track diplomacy it works in; at least one, none repeated.",
        examples=[[4, 6]],
    )
    countries: Annotated[list[CountryCode], AfterValidator(_distinct)] = Field(
        min_length=1,
        max_length=250,
        description="Where it works: ISO 3166-1 alpha-2 codes; at least one, none repeated.",
        examples=[["CO"]],
    )
    is_local: bool = Field(
        description="Local to the conflict, as opposed to international.", examples=[True]
    )
    women_led: bool = Field(description="Whether the organization is led by women.")
    womens_rights_org: bool = Field(description="Whether it is a women's-rights organization.")
    iati_org_id: IatiOrgId | None = None
    iati_org_type: IatiOrgType | None = None
    contact_people: list[ContactPersonIn] = Field(
        default_factory=list,
        max_length=50,
        description="People to reach at the partner. Personal data: private to this service.",
    )


class PartnerPublic(BaseModel):
    id: str
    owner_org: str
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
    contact_people: list[ContactPersonIn]
    registered_at: datetime

    @classmethod
    def of(cls, partner: Partner) -> PartnerPublic:
        return cls(
            id=partner.id,
            owner_org=partner.owner_org,
            visibility=partner.visibility,
            name=partner.name,
            kind=partner.kind,
            tracks=partner.tracks,
            countries=partner.countries,
            is_local=partner.is_local,
            women_led=partner.women_led,
            womens_rights_org=partner.womens_rights_org,
            iati_org_id=partner.iati_org_id,
            iati_org_type=partner.iati_org_type,
            contact_people=[
                ContactPersonIn.model_validate(p, from_attributes=True)
                for p in partner.contact_people
            ],
            registered_at=partner.registered_at,
        )
