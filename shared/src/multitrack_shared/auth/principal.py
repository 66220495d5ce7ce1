"""The caller of an operation, as the identity provider vouches for it; framework-free."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The platform's roles: the realm roles a token carries in its ``roles`` claim."""

    consortium_admin = "consortium-admin"
    """Administers reference data and membership and reads the audit; owns no records."""
    coordinator = "coordinator"
    """Coordinates a member organization's invitations, engagements and partners."""
    evaluator = "evaluator"
    """Evaluates engagements and records lessons learned for a member organization."""
    partner_system = "partner-system"
    """A partner organization's system: reads what its organization may read, changes nothing."""
    observer = "observer"
    """Reads what the platform shows, changes nothing."""


class PrincipalKind(StrEnum):
    person = "person"
    """Someone who signed in (a token of the console client)."""
    client = "client"
    """A system holding client credentials (a partner system, an integration)."""
    service = "service"
    """A platform service itself, applying the events it consumes."""


@dataclass(frozen=True)
class Principal:
    subject: str
    """The token's ``sub``: a stable, opaque id of the person or the client's service account."""
    organization: str | None
    """Alias of the member organization acted for; None for consortium-wide actors."""
    roles: frozenset[Role]
    kind: PrincipalKind
    client_id: str | None = None
    """The client the token was issued to (``client_id`` or ``azp``)."""
    username: str | None = None
    """A person's username: personal data, for display only, never logged or audited."""

    def has(self, role: Role) -> bool:
        return role in self.roles

    def has_any(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_consortium_admin(self) -> bool:
        return self.has(Role.consortium_admin)

    @property
    def is_system(self) -> bool:
        """The service itself: trusted with every record it holds, as its own code is."""
        return self.kind is PrincipalKind.service


def system_principal(service_name: str) -> Principal:
    """The actor of changes a service's consumer applies from events it receives."""
    return Principal(
        subject=f"service:{service_name}",
        organization=None,
        roles=frozenset(),
        kind=PrincipalKind.service,
        client_id=service_name,
    )
