"""Consortium members: the organizations that use the platform, and their roles in it.

Roles are short codes a consortium chooses (lead, implementer, funder, research, …), not a
closed list. A member cannot join the consortium twice, nor on a day still to come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.versioning import FIRST_VERSION


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    roles: tuple[str, ...]
    joined_on: date
    joined_at: datetime
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
    ) -> Member:
        """A new member, joining today unless it says when; ``namesake`` is any member
        already known by the same name."""
        if namesake is not None:
            raise Conflict(
                f"{namesake.name} is already a member ({namesake.id})",
                field="name",
                code="member_exists",
            )
        if joined_on is None:
            return cls(member_id, name, roles, now.date(), now)
        if joined_on > now.date():
            raise DomainError(
                f"a member cannot join on a day still to come ({joined_on})",
                field="joined_on",
                code="joined_in_future",
            )
        return cls(
            member_id, name, roles, joined_on, datetime.combine(joined_on, time.min, tzinfo=UTC)
        )
