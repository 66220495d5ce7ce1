"""The organizations an engagement's donor report names, as the partners service published
them: its partners (funders among them) and the consortium's members (the owner among them).
Organizations' names and identifiers only: their contact people never leave partners.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartnerSeen:
    partner_id: str
    name: str
    owner_org: str
    visibility: str
    iati_org_id: str | None = None
    iati_org_type: str | None = None


@dataclass(frozen=True)
class MemberSeen:
    member_id: str
    name: str
    organization: str | None = None
    """The identity provider's alias of the organization, the ``owner_org`` of its records."""
    iati_org_id: str | None = None
    iati_org_type: str | None = None
