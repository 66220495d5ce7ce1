"""The one access policy: who may read, list, create and change which records; framework-free.

Every record has an owning organization and a visibility (``Visibility``: ``consortium``, every
member may read it; ``owner``, only the owning organization). The rules:

- **read**: a record is readable when it is consortium-visible or the caller's organization
  owns it. An owner-only record of another organization is *not found* (404), exactly as a
  record that does not exist, so that its existence is not revealed.
- **list, count, search**: the same rule as a database filter, from ``scope_of(caller)``
  (``db.visibility.visible_to`` on SQL, ``Scope.admits`` in memory), so no list, count or
  search shows what a read would hide.
- **create**: the operation names the roles that may (``require_role``); the owner of the new
  record is the caller's organization (``owner_of_new_record``), never a field of the request.
- **change**: only the owning organization, with a role the operation allows (``changeable``):
  404 for a record the caller may not read, 403 for a readable record of another organization
  or a role too weak.
- **personal data** in a record (fields marked ``Personal`` or ``MayNamePeople``) is shown to
  the owning organization's people and the service itself only (``may_see_personal``).

Consortium admins act for no organization: they administer reference data and membership and
read the audit, and see other organizations' owner-only records no more than anyone else does
(least privilege; nothing in their work needs them). Observers and partner systems read only.
The service itself (``system_principal``), applying events it consumes, passes every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.errors import Forbidden, NotFound
from multitrack_shared.events.common import Visibility


class Owned(Protocol):
    """A record the policy decides on: domain aggregates and rows alike have these two."""

    @property
    def owner_org(self) -> str | None: ...

    @property
    def visibility(self) -> str: ...


R = TypeVar("R", bound=Owned)

PERSONAL_DATA_ROLES = frozenset({Role.coordinator, Role.evaluator, Role.observer})
"""Roles whose holders, people of the owning organization, see its records' personal data.
Partner systems do not: personal data stays inside the platform."""


def can_read(principal: Principal, owner_org: str | None, visibility: str) -> bool:
    if principal.is_system or Visibility(visibility) is Visibility.consortium:
        return True
    return _owns(principal, owner_org)


def readable(
    record: R | None, principal: Principal, message: str, *, field: str | None = None
) -> R:
    """``record`` if it exists and the caller may read it; otherwise ``NotFound(message)``."""
    if record is None or not can_read(principal, record.owner_org, record.visibility):
        raise NotFound(message, field=field)
    return record


def changeable(
    record: R | None,
    principal: Principal,
    role: Role,
    *more: Role,
    message: str,
    field: str | None = None,
) -> R:
    """``record`` if the caller may change it: its organization owns it and holds one of the roles.

    ``message`` is the not-found message, the same for a missing and for a hidden record.
    """
    found = readable(record, principal, message, field=field)
    if not principal.is_system and not _owns(principal, found.owner_org):
        raise Forbidden("Only the owning organization may change this record.", code="not_owner")
    require_role(principal, role, *more)
    return found


def require_role(principal: Principal, role: Role, *more: Role) -> None:
    """Refuses (403 ``role_required``) a caller holding none of the roles."""
    if principal.is_system or principal.has_any(role, *more):
        return
    needed = " or ".join(r.value for r in (role, *more))
    held = ", ".join(sorted(r.value for r in principal.roles)) or "no platform role"
    raise Forbidden(f"This needs the role {needed}; the caller has {held}.", code="role_required")


def owner_of_new_record(principal: Principal) -> str:
    """The caller's organization, which owns what the caller creates."""
    if principal.organization is None:
        raise Forbidden(
            "The caller acts for no single member organization, so it cannot own a record.",
            code="no_organization",
        )
    return principal.organization


def may_see_personal(principal: Principal, owner_org: str | None) -> bool:
    """Whether the caller sees the personal data of a record ``owner_org`` owns."""
    if principal.is_system:
        return True
    return _owns(principal, owner_org) and principal.has_any(*PERSONAL_DATA_ROLES)


@dataclass(frozen=True)
class Scope:
    """Which records a caller sees in lists, counts and searches."""

    organization: str | None
    """Owner-only records of this organization are seen too; consortium-visible ones always."""
    everything: bool = False
    """The service itself: every record."""

    def admits(self, owner_org: str | None, visibility: str) -> bool:
        """The rule in memory (fakes, checks), as ``db.visibility.visible_to`` is in SQL."""
        if self.everything or Visibility(visibility) is Visibility.consortium:
            return True
        return self.organization is not None and self.organization == owner_org


def scope_of(principal: Principal) -> Scope:
    if principal.is_system:
        return Scope(None, everything=True)
    return Scope(principal.organization)


def _owns(principal: Principal, owner_org: str | None) -> bool:
    return principal.organization is not None and principal.organization == owner_org
