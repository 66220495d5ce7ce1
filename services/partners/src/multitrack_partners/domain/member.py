"""Consortium members: the organizations that use the platform, and their roles in it.

Roles are short codes a consortium chooses (lead, implementer, funder, research, …), not a
closed list. A member cannot join the consortium twice, nor on a day still to come. A member
that uses the platform names its organization in the identity provider (the ``owner_org`` of
its records); one that reports to donors, its IATI identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from multitrack_partners.domain.partner import IatiOrganisationType
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.versioning import FIRST_VERSION


@dataclass(frozen=True)
class MemberIdentity:
    organization: str | None = None
    """The identity provider's alias of the organization: its records' ``owner_org``."""
    iati_org_id: str | None = None
    iati_org_type: IatiOrganisationType | None = None


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    roles: tuple[str, ...]
    joined_on: date
    joined_at: datetime
    identity: MemberIdentity = field(default_factory=MemberIdentity)
    version: int = field(default=FIRST_VERSION, compare=False)

    @classmethod
    def join(
        cls,
        *,
        member_id: str,
        name: str,
        roles: tuple[str, ...],
        joined_on: date | None,
        now: datetime,
        namesake: Member | None,
        identity: MemberIdentity | None = None,
    ) -> Member:
        """A new member, joining today unless it says when; ``namesake`` is any member
        already known by the same name."""
        if namesake is not None:
            raise Conflict(
                f"{namesake.name} is already a member ({namesake.id})",
                field="name",
                code="member_exists",
            )
        identity = identity or MemberIdentity()
        if joined_on is None:
            return cls(member_id, name, roles, now.date(), now, identity)
        if joined_on > now.date():
            raise DomainError(
                f"a member cannot join on a day still to come ({joined_on})",
                field="joined_on",
                code="joined_in_future",
            )
        joined_at = datetime.combine(joined_on, time.min, tzinfo=UTC)
        return cls(member_id, name, roles, joined_on, joined_at, identity)
