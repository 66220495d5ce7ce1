"""The Do No Harm register: incidents that harmed participants and risks to them.

Who is affected is counted by side and role, never named. An entry bears on activities of the
engagement and on the dividers and connectors of its latest conflict analysis, and names only
those that exist. An open high-severity risk in a place holds back any activity there until a
mitigation is recorded: the work must not add to the harm it exists to prevent.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.events.vocabulary import ParticipantRole
from multitrack_shared.versioning import FIRST_VERSION


class HarmKind(StrEnum):
    incident = "incident"
    """It happened."""
    risk = "risk"
    """It may happen."""


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class HarmStatus(StrEnum):
    open = "open"
    closed = "closed"


@dataclass(frozen=True)
class Affected:
    role: ParticipantRole
    count: int
    side: str | None = None


@dataclass
class HarmEntry:
    id: str
    engagement_id: str
    kind: HarmKind
    category: str
    severity: Severity
    noted_on: date
    place: str | None
    description: str
    affected: tuple[Affected, ...]
    activity_ids: tuple[str, ...]
    dividers: tuple[str, ...]
    connectors: tuple[str, ...]
    mitigation: str | None
    recorded_at: datetime
    status: HarmStatus = HarmStatus.open
    reviewed_at: datetime | None = None
    version: int = field(default=FIRST_VERSION, compare=False)

    @property
    def mitigated(self) -> bool:
        return self.mitigation is not None

    def holds_back_activity_at(self, place: str) -> bool:
        """An open high-severity risk in this place with no mitigation recorded."""
        return (
            self.kind is HarmKind.risk
            and self.severity is Severity.high
            and self.status is HarmStatus.open
            and not self.mitigated
            and self.place is not None
            and same_place(self.place, place)
        )

    def review(self, mitigation: str | None, status: HarmStatus | None, at: datetime) -> None:
        """Record a mitigation (a new one replaces the last) and/or close or reopen."""
        if mitigation is not None:
            self.mitigation = mitigation
        if status is not None:
            self.status = status
        self.reviewed_at = at


def same_place(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def require_known_links(
    entry: HarmEntry,
    activity_ids: Collection[str],
    dividers: Collection[str],
    connectors: Collection[str],
) -> None:
    """The activities, dividers and connectors an entry names are the engagement's own."""
    _require_among(entry.activity_ids, activity_ids, "activity_ids", "unknown_activity")
    _require_among(entry.dividers, dividers, "dividers", "unknown_divider")
    _require_among(entry.connectors, connectors, "connectors", "unknown_connector")


def _require_among(named: Iterable[str], known: Collection[str], field: str, code: str) -> None:
    unknown = [n for n in named if n not in known]
    if unknown:
        raise DomainError(
            f"not the engagement's (its activities, or its latest analysis): {', '.join(unknown)}",
            field=field,
            code=code,
        )


def require_no_unmitigated_risk(entries: Iterable[HarmEntry], place: str) -> None:
    held_back = [e.id for e in entries if e.holds_back_activity_at(place)]
    if held_back:
        raise Conflict(
            "an open high-severity risk in this place needs a recorded mitigation before any "
            f"activity there: {', '.join(held_back)}",
            field="place",
            code="mitigation_required",
        )


@dataclass(frozen=True)
class RiskElsewhere:
    """An open high-severity risk another engagement in the same country recorded with no
    mitigation: what the rule needs of it, and whom to ask. Its content stays its owner's."""

    place: str
    owner_org: str


def require_no_unmitigated_risk_of_others(risks: Iterable[RiskElsewhere], place: str) -> None:
    """A place is as dangerous for one engagement as for another: a risk another engagement
    recorded there holds back this one's activity too. The refusal says that a risk exists
    there and which organization to ask, and nothing of what it is (its place, description
    and mitigation are that organization's)."""
    owners = sorted({r.owner_org for r in risks if same_place(r.place, place)})
    if owners:
        raise Conflict(
            "another engagement recorded an open high-severity risk in this place with no "
            "mitigation yet: ask the coordinators of "
            f"{', '.join(owners)} before any activity there",
            field="place",
            code="risk_recorded_by_others",
        )
