"""Inclusion figures (standards 6 and 11): how far an engagement, a member's engagements or
the whole consortium work with local partners and women, and let local people lead.

- Partners: every partner that has held a partnership on the engagements counted (ended ones
  too), once each, as its profile now reads: local, women-led, women's-rights organization.
- Participants: everyone counted in the engagements' activities; women are those counted as
  female. By role too, every role shown even when nobody took part in it.
- Activities: how many, and how many were led by local people.
A share is a part over its whole, rounded to three places; where the whole is zero there is
no share (None), not a share of zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from multitrack_partners.domain.activity import Tally
from multitrack_partners.domain.partner import PartnerProfile
from multitrack_shared.events.vocabulary import ParticipantRole, Sex

WOMEN = Sex.female.value


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclass(frozen=True)
class PartnerFigures:
    total: int
    local: int
    women_led: int
    womens_rights_orgs: int

    @property
    def local_share(self) -> float | None:
        return share(self.local, self.total)

    @property
    def women_led_share(self) -> float | None:
        return share(self.women_led, self.total)

    @property
    def womens_rights_orgs_share(self) -> float | None:
        return share(self.womens_rights_orgs, self.total)

    @classmethod
    def of(cls, profiles: Iterable[PartnerProfile]) -> PartnerFigures:
        every = list(profiles)
        return cls(
            total=len(every),
            local=sum(p.is_local for p in every),
            women_led=sum(p.women_led for p in every),
            womens_rights_orgs=sum(p.womens_rights_org for p in every),
        )


@dataclass(frozen=True)
class Headcount:
    total: int
    women: int

    @property
    def women_share(self) -> float | None:
        return share(self.women, self.total)


@dataclass(frozen=True)
class ParticipantFigures:
    total: int
    women: int
    by_role: dict[str, Headcount]

    @property
    def women_share(self) -> float | None:
        return share(self.women, self.total)

    @classmethod
    def of(cls, tallies: Iterable[Tally]) -> ParticipantFigures:
        every = list(tallies)
        by_role = {
            role.value: _headcount(t for t in every if t.role == role.value)
            for role in ParticipantRole
        }
        overall = _headcount(every)
        return cls(total=overall.total, women=overall.women, by_role=by_role)


@dataclass(frozen=True)
class ActivityFigures:
    total: int
    led_locally: int

    @property
    def led_locally_share(self) -> float | None:
        return share(self.led_locally, self.total)


@dataclass(frozen=True)
class Inclusion:
    partners: PartnerFigures
    participants: ParticipantFigures
    activities: ActivityFigures


def _headcount(tallies: Iterable[Tally]) -> Headcount:
    every = list(tallies)
    return Headcount(
        total=sum(t.count for t in every),
        women=sum(t.count for t in every if t.sex == WOMEN),
    )
