"""A partnership: a partner organization takes a role in an engagement, from one day to another.

A partner can hold several roles on an engagement, and the same role again after an earlier
partnership ended, but never the same role twice at once. Ending records the last day; a
partnership ends once. A partnership belongs to its engagement's owner and is seen by whoever
may see the engagement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.partner import Partner
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.events.common import Visibility
from multitrack_shared.versioning import FIRST_VERSION


class PartnershipRole(StrEnum):
    co_facilitator = "co_facilitator"
    trainer = "trainer"
    host = "host"
    researcher = "researcher"
    funder = "funder"


@dataclass(frozen=True)
class Period:
    """From ``starts_on`` to ``ends_on``, both included; no end yet means open-ended."""

    starts_on: date
    ends_on: date | None = None

    def overlaps(self, other: Period) -> bool:
        starts_before_other_ends = other.ends_on is None or self.starts_on <= other.ends_on
        other_starts_before_end = self.ends_on is None or other.starts_on <= self.ends_on
        return starts_before_other_ends and other_starts_before_end

    def includes_or_follows(self, day: date) -> bool:
        """Still running on ``day``, or yet to start: not over by then."""
        return self.ends_on is None or self.ends_on >= day


@dataclass
class Partnership:
    id: str
    partner_id: str
    engagement_id: str
    owner_org: str
    role: PartnershipRole
    period: Period
    formed_at: datetime
    ended_at: datetime | None = None
    visibility: str = Visibility.owner.value
    """Its engagement's, read with it; owner-only while the engagement is not known."""
    version: int = field(default=FIRST_VERSION, compare=False)

    @classmethod
    def form(
        cls,
        *,
        partnership_id: str,
        partner: Partner | None,
        partner_id: str,
        engagement: KnownEngagement | None,
        engagement_id: str,
        role: PartnershipRole,
        period: Period,
        held: Iterable[Partnership],
        now: datetime,
    ) -> Partnership:
        """``partner`` and ``engagement`` are what is known by those ids (None: nothing);
        ``held`` are the partnerships the partner already has in this role on it."""
        if partner is None:
            raise DomainError(
                f"no partner {partner_id} is registered",
                field="partner_id",
                code="unknown_partner",
            )
        if engagement is None:
            raise DomainError(
                f"no engagement {engagement_id} is known from the engagements service",
                field="engagement_id",
                code="unknown_engagement",
            )
        _check_ends_after_start(period.starts_on, period.ends_on)
        for other in held:
            if other.role is role and other.period.overlaps(period):
                raise Conflict(
                    f"the partner already holds the role {role} on this engagement "
                    f"from {other.period.starts_on} (partnership {other.id})",
                    field="role",
                    code="role_already_held",
                )
        return cls(
            id=partnership_id,
            partner_id=partner.id,
            engagement_id=engagement.engagement_id,
            owner_org=engagement.owner_org,
            role=role,
            period=period,
            formed_at=now,
            visibility=engagement.visibility,
        )

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    def end(self, ends_on: date, at: datetime) -> None:
        if self.ended:
            raise Conflict(
                f"partnership {self.id} already ended on {self.period.ends_on}",
                field="ended_at",
                code="already_ended",
            )
        _check_ends_after_start(self.period.starts_on, ends_on)
        self.period = Period(self.period.starts_on, ends_on)
        self.ended_at = at


def _check_ends_after_start(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(
            f"a partnership cannot end ({ends_on}) before it starts ({starts_on})",
            field="ends_on",
            code="ends_before_start",
        )
