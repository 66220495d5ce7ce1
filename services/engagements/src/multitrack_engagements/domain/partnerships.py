"""Partnerships of an engagement, as the partners service reports them.

Formed and ended may arrive in either order (a replay, a late consumer): merging them is
commutative — the formation gives the partner and its tracks, the ending sets ``ended`` — so
the result never depends on the order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from multitrack_engagements.domain.facts import PartnerSource


@dataclass(frozen=True)
class Partnership:
    partnership_id: str
    engagement_id: str
    partner_id: str
    partner_name: str | None = None
    tracks: tuple[int, ...] = ()
    role: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    ended: bool = False

    def formed(
        self,
        *,
        partner_name: str,
        tracks: tuple[int, ...],
        role: str,
        starts_on: date,
        ends_on: date | None,
    ) -> Partnership:
        return replace(
            self,
            partner_name=partner_name,
            tracks=tracks,
            role=role,
            starts_on=starts_on,
            ends_on=self.ends_on if self.ended else ends_on,
        )

    def ending(self, ends_on: date) -> Partnership:
        return replace(self, ended=True, ends_on=ends_on)

    @property
    def source(self) -> PartnerSource:
        return PartnerSource(self.partnership_id, self.partner_name, self.tracks, self.ended)
