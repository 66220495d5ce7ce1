"""An engagement as an IATI 2.03 activity: what a donor report says of it, in the standard's
codes. Everything here is public by construction: organizations, codes, dates, sums and
counts; never a person, a place of an activity or a note.

The owning member reports and is accountable and extending; its partners in the work
implement with it; funders (of a funding source, or partners in the role ``funder``) fund.
Participants are counted per year of activities, by sex.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from multitrack_engagements.domain.activities import Activity
from multitrack_engagements.domain.engagement import Engagement, Status
from multitrack_engagements.domain.funding import BudgetLine, FundingSource
from multitrack_engagements.domain.organizations import MemberSeen, PartnerSeen
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_shared.errors import Conflict
from multitrack_shared.events.vocabulary import Sex

FUNDER_ROLE = "funder"


class OrganisationRole(StrEnum):
    """IATI's OrganisationRole codelist."""

    funding = "1"
    accountable = "2"
    extending = "3"
    implementing = "4"


ACTIVITY_STATUS = {
    Status.listening: "2",  # implementation: listening is the work's first step
    Status.active: "2",
    Status.paused: "6",  # suspended
    Status.closing: "3",  # finalisation
    Status.closed: "4",
}
"""IATI's ActivityStatus code of each engagement status."""


@dataclass(frozen=True)
class IatiOrganisation:
    name: str
    ref: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class Participation:
    organisation: IatiOrganisation
    role: OrganisationRole


@dataclass(frozen=True)
class Funding:
    source: FundingSource
    funder: IatiOrganisation


@dataclass(frozen=True)
class ParticipantsInYear:
    """Participants of the year's activities, per sex (a person in two activities counts
    twice: activities count attendances, not people)."""

    year: int
    start: date
    end: date
    by_sex: tuple[tuple[Sex, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.by_sex)


@dataclass(frozen=True)
class IatiActivity:
    identifier: str
    reporting_org: IatiOrganisation
    title: str
    description: str
    participations: tuple[Participation, ...]
    status: str
    start: date
    planned_end: date
    actual_end: date | None
    country: str
    region: str | None
    tracks: tuple[tuple[int, str], ...]
    budgets: tuple[BudgetLine, ...]
    funding: tuple[Funding, ...]
    participants: tuple[ParticipantsInYear, ...]
    last_updated: datetime


@dataclass(frozen=True)
class ActivitySources:
    """What is known of an engagement that its IATI activity reports."""

    engagement: Engagement
    owner: MemberSeen | None
    funding: tuple[FundingSource, ...]
    budgets: tuple[BudgetLine, ...]
    partnerships: tuple[Partnership, ...]
    partners: Mapping[str, PartnerSeen]
    tracks: tuple[tuple[int, str], ...]
    """The tracks the engagement covers, with their labels."""
    activities: tuple[Activity, ...]


def iati_activity(sources: ActivitySources) -> IatiActivity:
    engagement = sources.engagement
    reporter = reporting_org(engagement.owner_org, sources.owner)
    conflict = engagement.conflict
    return IatiActivity(
        identifier=f"{reporter.ref}-{engagement.id}",
        reporting_org=reporter,
        title=f"{conflict.name}: multi-track peacebuilding engagement",
        description=engagement.purpose or conflict.name,
        participations=_participations(reporter, sources),
        status=ACTIVITY_STATUS[engagement.status],
        start=engagement.start_date,
        planned_end=engagement.committed_until,
        actual_end=engagement.closed_on,
        country=conflict.country,
        region=conflict.region,
        tracks=sources.tracks,
        budgets=tuple(sorted(sources.budgets, key=lambda b: b.period.start)),
        funding=tuple(
            Funding(s, _organisation(sources.partners.get(s.funder_id), s.funder_id))
            for s in sorted(sources.funding, key=lambda s: (s.period.start, s.recorded_at))
        ),
        participants=participants_per_year(sources.activities),
        last_updated=last_change(
            engagement,
            [s.recorded_at for s in sources.funding] + [b.recorded_at for b in sources.budgets],
        ),
    )


def reporting_org(owner_org: str, owner: MemberSeen | None) -> IatiOrganisation:
    """The owning member, which must have an IATI organisation identifier to report."""
    if owner is None or owner.iati_org_id is None or owner.iati_org_type is None:
        raise Conflict(
            f"the owning organization {owner_org} has no IATI organisation identifier and "
            "type recorded with its membership: it cannot report in IATI",
            field="engagement_id",
            code="reporting_org_unknown",
        )
    return IatiOrganisation(owner.name, owner.iati_org_id, owner.iati_org_type)


def _participations(
    reporter: IatiOrganisation, sources: ActivitySources
) -> tuple[Participation, ...]:
    funders = [
        _organisation(sources.partners.get(s.funder_id), s.funder_id) for s in sources.funding
    ]
    implementers: list[IatiOrganisation] = [reporter]
    for partnership in sources.partnerships:
        partner = _organisation(
            sources.partners.get(partnership.partner_id),
            partnership.partner_name or partnership.partner_id,
        )
        (funders if partnership.role == FUNDER_ROLE else implementers).append(partner)
    return (
        *(Participation(o, OrganisationRole.funding) for o in _once(funders)),
        Participation(reporter, OrganisationRole.accountable),
        Participation(reporter, OrganisationRole.extending),
        *(Participation(o, OrganisationRole.implementing) for o in _once(implementers)),
    )


def _organisation(partner: PartnerSeen | None, fallback_name: str) -> IatiOrganisation:
    if partner is None:
        return IatiOrganisation(fallback_name)
    return IatiOrganisation(partner.name, partner.iati_org_id, partner.iati_org_type)


def _once(organisations: Iterable[IatiOrganisation]) -> list[IatiOrganisation]:
    return list(dict.fromkeys(organisations))


def participants_per_year(activities: Iterable[Activity]) -> tuple[ParticipantsInYear, ...]:
    per_year: dict[int, Counter[Sex]] = {}
    for activity in activities:
        tally = per_year.setdefault(activity.held_on.year, Counter())
        for group in activity.participants:
            tally[group.sex] += group.count
    return tuple(
        ParticipantsInYear(
            year=year,
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            by_sex=tuple((sex, tally[sex]) for sex in Sex if tally[sex]),
        )
        for year, tally in sorted(per_year.items())
    )


def last_change(engagement: Engagement, recorded: Iterable[datetime]) -> datetime:
    """When the activity last changed, as far as the report shows: its opening, a status
    change, a funding or budget line."""
    moments = [engagement.opened_at, *(c.at for c in engagement.history), *recorded]
    return max(moments)
