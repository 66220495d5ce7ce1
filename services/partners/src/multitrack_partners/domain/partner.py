"""The partner organization: standard procedure 6, "partnership".

A consortium works with conflict professionals, local partners and women; the registry says
which organizations, in which tracks and countries, so that inclusion can be counted and
partners suggested. Contact people are personal data: they stay in this service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from multitrack_shared.versioning import FIRST_VERSION


class IatiOrganisationType(StrEnum):
    """IATI's OrganisationType codelist (v2.03), the codes donors' reports carry."""

    government = "10"
    local_government = "11"
    other_public_sector = "15"
    international_ngo = "21"
    national_ngo = "22"
    regional_ngo = "23"
    partner_country_based_ngo = "24"
    public_private_partnership = "30"
    multilateral = "40"
    foundation = "60"
    private_sector = "70"
    private_sector_in_provider_country = "71"
    private_sector_in_aid_recipient_country = "72"
    private_sector_in_third_country = "73"
    academic_training_and_research = "80"
    other = "90"


@dataclass(frozen=True)
class ContactPerson:
    """Someone to reach at the partner. Personal data: never published in an event."""

    name: str
    email: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class PartnerProfile:
    """What the consortium and partner systems may know of a partner: everything but people."""

    name: str
    kind: str
    tracks: tuple[int, ...]
    countries: tuple[str, ...]
    is_local: bool
    women_led: bool
    womens_rights_org: bool
    iati_org_id: str | None = None
    iati_org_type: IatiOrganisationType | None = None


@dataclass
class Partner:
    id: str
    owner_org: str
    visibility: str
    profile: PartnerProfile
    registered_at: datetime
    contact_people: list[ContactPerson] = field(default_factory=list)
    updated_at: datetime | None = None
    version: int = field(default=FIRST_VERSION, compare=False)

    def revise(
        self, profile: PartnerProfile, contact_people: list[ContactPerson], at: datetime
    ) -> bool:
        """Replace the profile and the contact people; True when the public profile changed.

        Only a change of the public profile is news for partner systems: a change of contact
        people alone is private and publishes nothing.
        """
        changed = profile != self.profile
        self.profile = profile
        self.contact_people = list(contact_people)
        if changed:
            self.updated_at = at
        return changed
