"""Callers for unit tests, which run use cases on fakes with no identity provider."""

from __future__ import annotations

from multitrack_shared.auth.principal import Principal, PrincipalKind, Role


def acting_for(
    organization: str | None = "org-a",
    *roles: Role,
    kind: PrincipalKind = PrincipalKind.client,
) -> Principal:
    """A caller acting for ``organization`` with ``roles`` (a coordinator when none are given)."""
    held = frozenset(roles or (Role.coordinator,))
    subject = f"{organization or 'consortium'}-{'-'.join(sorted(held))}"
    return Principal(subject, organization, held, kind, client_id=subject)
