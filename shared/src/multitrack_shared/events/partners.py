"""Events published by the partners service (topic ``multitrack.partners.v1``).

Contact people are personal data and never travel in these events.
"""

from __future__ import annotations

from datetime import datetime
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
    registered_at: datetime = Field(description="When the partner was registered.")
