"""Subscriptions of partner systems to the platform's events, delivered as signed webhooks.

Shaped after the CloudEvents Subscriptions API: a subscription names a ``sink`` (where events
are POSTed), the ``protocol`` (HTTP), the event ``types`` it wants (none: every type) and
``filters`` on the event's ``type`` and ``subject``, each ``prefix`` or ``exact``; an event
must pass every filter. A subscription belongs to the organization that created it and is
seen by that organization alone; it receives only events about records that organization may
read: consortium-visible ones, its own owner-only ones and consortium-wide events (membership,
reference data). An event whose record's owner is not known is delivered to nobody.

Sinks are https URLs. Plain http is accepted only for a loopback host, and only where the
platform runs locally (``allow_loopback_http``): a partner's test receiver on the same machine.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from multitrack_shared.auth.policy import Scope
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.events.common import Visibility
from multitrack_shared.versioning import FIRST_VERSION

PROTOCOL = "HTTP"
LOOPBACK_NAMES = frozenset({"localhost"})


class FilterDialect(StrEnum):
    prefix = "prefix"
    exact = "exact"


class FilteredAttribute(StrEnum):
    type = "type"
    subject = "subject"


class SubscriptionStatus(StrEnum):
    active = "active"
    disabled = "disabled"


@dataclass(frozen=True)
class EventFilter:
    """``prefix`` or ``exact`` on one attribute of the event."""

    dialect: FilterDialect
    attribute: FilteredAttribute
    value: str

    def admits(self, event: ForwardedEvent) -> bool:
        actual = event.type if self.attribute is FilteredAttribute.type else event.subject
        if self.dialect is FilterDialect.prefix:
            return actual.startswith(self.value)
        return actual == self.value

    def as_json(self) -> dict[str, dict[str, str]]:
        """The CloudEvents Subscriptions API's shape: ``{"prefix": {"type": "…"}}``."""
        return {self.dialect.value: {self.attribute.value: self.value}}


@dataclass(frozen=True)
class ForwardedEvent:
    """A consumed event as it is delivered: its CloudEvents attributes and data, and whose
    record it is about (None: nobody's, a consortium-wide event; or not known)."""

    id: str
    type: str
    source: str
    subject: str
    time: datetime
    data: dict[str, Any]
    owner_org: str | None
    visibility: str
    seq: int = 0
    """Order of arrival; deliveries to one subscription follow it."""

    @property
    def consortium_visible(self) -> bool:
        return self.visibility == Visibility.consortium.value

    def readable_by(self, organization: str) -> bool:
        return Scope(organization).admits(self.owner_org, self.visibility)


@dataclass
class Subscription:
    id: str
    owner_org: str
    sink: str
    types: tuple[str, ...]
    filters: tuple[EventFilter, ...]
    sealed_secret: str
    """The signing secret as stored (``SecretSeal.seal``); never shown again after creation."""
    created_at: datetime
    status: SubscriptionStatus = SubscriptionStatus.active
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    protocol: str = PROTOCOL
    version: int = field(default=FIRST_VERSION, compare=False)

    @property
    def visibility(self) -> str:
        """A subscription is its organization's alone (the access policy reads this)."""
        return Visibility.owner.value

    @property
    def active(self) -> bool:
        return self.status is SubscriptionStatus.active

    def wants(self, event: ForwardedEvent) -> bool:
        """Whether ``event`` is for this subscription: visible to its organization, of a type
        it names (or any) and passing every filter."""
        return (
            event.readable_by(self.owner_org)
            and (not self.types or event.type in self.types)
            and all(f.admits(event) for f in self.filters)
        )

    def disable(self, reason: str, at: datetime) -> None:
        self.status = SubscriptionStatus.disabled
        self.disabled_reason = reason
        self.disabled_at = at

    def enable(self) -> None:
        if self.active:
            raise Conflict("The subscription is active already.", code="already_active")
        self.status = SubscriptionStatus.active
        self.disabled_reason = None
        self.disabled_at = None


def checked_sink(url: str, *, allow_loopback_http: bool) -> str:
    """``url`` if events may be sent there; a broken rule on ``sink`` otherwise."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks it: a port out of range raises)
    except ValueError as malformed:
        raise DomainError(f"The sink is not a URL: {malformed}.", field="sink") from malformed
    if not parts.hostname:
        raise DomainError("The sink must be an absolute URL with a host.", field="sink")
    if parts.username or parts.password:
        raise DomainError("The sink must not carry credentials.", field="sink")
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and allow_loopback_http and _loopback(parts.hostname):
        return url
    raise DomainError(
        "The sink must be an https URL"
        + (" (or http to a loopback host)." if allow_loopback_http else "."),
        field="sink",
        code="sink_not_allowed",
    )


def _loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
