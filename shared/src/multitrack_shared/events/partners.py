"""Events published by the partners service (topic ``multitrack.partners.v1``).

Contact people are personal data and never travel in these events: the names that do are
organizations' (partners, members), never a person's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from multitrack_shared.events.common import Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import PARTNERS, TopicSpec


class PartnerEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = PARTNERS
    key_field: ClassVar[str] = "partner_id"

    partner_id: str = Field(description="Id of the partner organization; the Kafka key.")


class PartnerRegistered(PartnerEvent):
    event_type: ClassVar[str] = "multitrack.partner.registered.v1"

    ownership: Ownership = Field(description="Which member registered the partner.")
    name: str = Field(description="Name of the partner organization.")
    kind: str = Field(description="Kind of organization, e.g. local civil society, academic.")
    tracks: list[int] = Field(description="Tracks of multi-track diplomacy it works in (1-9).")
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes of where it works.")
    is_local: bool = Field(description="Local to the conflict, as opposed to international.")
    women_led: bool = Field(description="Whether the organization is led by women.")
    womens_rights_org: bool = Field(description="Whether it is a women's-rights organization.")
    iati_org_id: str | None = Field(default=None, description="IATI organisation identifier.")
    iati_org_type: str | None = Field(default=None, description="IATI OrganisationType code.")
    registered_at: datetime = Field(description="When the partner was registered.")


class PartnerUpdated(PartnerEvent):
    """The partner's public profile changed; the payload is the whole profile as it now is."""

    event_type: ClassVar[str] = "multitrack.partner.updated.v1"

    name: str = Field(description="Name of the partner organization.")
    kind: str = Field(description="Kind of organization.")
    tracks: list[int] = Field(description="Tracks it works in (1-9).")
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes.")
    is_local: bool = Field(description="Local to the conflict.")
    women_led: bool = Field(description="Led by women.")
    womens_rights_org: bool = Field(description="A women's-rights organization.")
    iati_org_id: str | None = Field(default=None, description="IATI organisation identifier.")
    iati_org_type: str | None = Field(default=None, description="IATI OrganisationType code.")
    updated_at: datetime = Field(description="When it changed.")


class TrainerCatalogued(IntegrationEvent):
    """A trainer joined the consortium's catalogue of trainers (standards 8 and 10). The
    trainer's name is personal and never travels: a training names its trainers by id."""

    event_type: ClassVar[str] = "multitrack.trainer.catalogued.v1"
    topic: ClassVar[TopicSpec] = PARTNERS
    key_field: ClassVar[str] = "trainer_id"

    trainer_id: str = Field(description="Id of the trainer; the Kafka key.")
    ownership: Ownership = Field(description="Which member catalogued the trainer.")
    organization: str = Field(description="The organization the trainer works with.")
    methods: list[str] = Field(
        description="Codes of the catalogue's methods (reference data of kind method) the "
        "trainer trains in."
    )
    local: bool = Field(description="Local to the conflict, as opposed to external.")
    catalogued_at: datetime = Field(description="When the trainer was catalogued.")


class PartnershipEvent(IntegrationEvent):
    topic: ClassVar[TopicSpec] = PARTNERS
    key_field: ClassVar[str] = "engagement_id"

    partnership_id: str = Field(description="Id of the partnership.")
    engagement_id: str = Field(
        description="The engagement; the Kafka key, so that an "
        "engagement's partnerships stay in order."
    )
    partner_id: str = Field(description="The partner organization.")


class PartnershipFormed(PartnershipEvent):
    event_type: ClassVar[str] = "multitrack.partnership.formed.v1"

    role: str = Field(description="co_facilitator, trainer, host, researcher or funder.")
    starts_on: date = Field(description="First day of the partnership.")
    ends_on: date | None = Field(default=None, description="Last day, if already known.")
    partner_name: str = Field(description="Name of the partner organization.")
    partner_tracks: list[int] = Field(description="Tracks the partner works in.")
    partner_is_local: bool = Field(description="Whether the partner is local.")
    partner_women_led: bool = Field(description="Whether the partner is women-led.")
    formed_at: datetime = Field(description="When it was recorded.")


class PartnershipEnded(PartnershipEvent):
    event_type: ClassVar[str] = "multitrack.partnership.ended.v1"

    ends_on: date = Field(description="Last day of the partnership.")
    ended_at: datetime = Field(description="When it was recorded.")


class MemberJoined(IntegrationEvent):
    """An organization joined the consortium (a member that uses the platform)."""

    event_type: ClassVar[str] = "multitrack.member.joined.v1"
    topic: ClassVar[TopicSpec] = PARTNERS
    key_field: ClassVar[str] = "member_id"

    member_id: str = Field(description="Id of the member organization; the Kafka key.")
    name: str = Field(description="Name of the organization.")
    roles: list[str] = Field(description="Its roles in the consortium, e.g. lead, implementer.")
    joined_at: datetime = Field(description="When it joined.")
    organization: str | None = Field(
        default=None,
        description="The identity provider's alias of the organization: the owner named by "
        "its records (their owner_org), when it uses the platform.",
    )
    iati_org_id: str | None = Field(default=None, description="IATI organisation identifier.")
    iati_org_type: str | None = Field(default=None, description="IATI OrganisationType code.")
