"""Bodies of the Do No Harm register.

Who is affected is told in counts by side and role, never by name. The place, what happened
and its mitigation may name people: only the owning organization's people see them; everyone
who may read the engagement sees the kind, category, severity, dates, counts and links.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.domain.do_no_harm import (
    Affected,
    HarmEntry,
    HarmKind,
    HarmStatus,
    Severity,
)
from multitrack_shared.auth.personal import MayNamePeople
from multitrack_shared.events.vocabulary import ParticipantRole
from multitrack_shared.validation import Count, Day, Name, RecordId, ShortCode, Strict, Text

WITHHELD = "Null for callers outside the owning organization."


class AffectedIn(Strict):
    role: ParticipantRole = Field(description="Their role in the work.", examples=["participant"])
    count: Count = Field(examples=[6])
    side: Name | None = Field(
        default=None, description="Side they stand on, if any.", examples=["land claimants"]
    )

    def affected(self) -> Affected:
        return Affected(self.role, self.count, self.side)


class HarmCreate(Strict):
    kind: HarmKind = Field(description="incident: it happened; risk: it may.", examples=["risk"])
    category: ShortCode = Field(
        description="Kind of harm, a code: security, stigmatization, retaliation, …",
        examples=["security"],
    )
    severity: Severity = Field(examples=["high"])
    noted_on: Day = Field(
        description="When it happened, or when the risk was seen.", examples=["2026-01-10"]
    )
    place: Annotated[Name | None, MayNamePeople] = Field(
        default=None,
        description="Where; an activity in the place of an open high-severity risk needs the "
        "risk's mitigation recorded first.",
        examples=["Carmen de Bolívar"],
    )
    description: Annotated[Text, MayNamePeople] = Field(
        description="What happened or may happen.",
        examples=["Armed men asked who attends the dialogues."],
    )
    affected: list[AffectedIn] = Field(
        default_factory=list, description="Who is affected, in counts by side and role."
    )
    activity_ids: list[RecordId] = Field(
        default_factory=list, description="Activities of the engagement it concerns.", examples=[[]]
    )
    dividers: list[Text] = Field(
        default_factory=list,
        description="Dividers of the latest conflict analysis it bears on, as written there.",
        examples=[["Competing land claims"]],
    )
    connectors: list[Text] = Field(
        default_factory=list,
        description="Connectors of the latest conflict analysis it bears on, as written there.",
        examples=[[]],
    )
    mitigation: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="How the harm is prevented or reduced.",
        examples=["Meet in the parish hall; no attendance lists."],
    )


class HarmReview(Strict):
    mitigation: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="How the harm is prevented or reduced (replaces any earlier one).",
        examples=["Meet in the parish hall; no attendance lists."],
    )
    status: HarmStatus | None = Field(
        default=None, description="open or closed; unchanged when left out.", examples=["open"]
    )


class AffectedOut(BaseModel):
    role: ParticipantRole
    count: int
    side: str | None


class HarmPublic(BaseModel):
    id: str
    engagement_id: str
    kind: HarmKind
    category: str
    severity: Severity
    noted_on: date
    place: Annotated[str | None, MayNamePeople] = Field(description=WITHHELD)
    description: Annotated[str | None, MayNamePeople] = Field(description=WITHHELD)
    affected: list[AffectedOut]
    activity_ids: list[str]
    dividers: Annotated[list[str] | None, MayNamePeople] = Field(description=WITHHELD)
    connectors: Annotated[list[str] | None, MayNamePeople] = Field(description=WITHHELD)
    mitigated: bool = Field(description="Whether a mitigation is recorded.")
    mitigation: Annotated[str | None, MayNamePeople] = Field(description=WITHHELD)
    status: HarmStatus
    recorded_at: datetime
    reviewed_at: datetime | None
    version: int

    @classmethod
    def of(cls, entry: HarmEntry) -> HarmPublic:
        return cls(
            id=entry.id,
            engagement_id=entry.engagement_id,
            kind=entry.kind,
            category=entry.category,
            severity=entry.severity,
            noted_on=entry.noted_on,
            place=entry.place,
            description=entry.description,
            affected=[AffectedOut(role=a.role, count=a.count, side=a.side) for a in entry.affected],
            activity_ids=list(entry.activity_ids),
            dividers=list(entry.dividers),
            connectors=list(entry.connectors),
            mitigated=entry.mitigated,
            mitigation=entry.mitigation,
            status=entry.status,
            recorded_at=entry.recorded_at,
            reviewed_at=entry.reviewed_at,
            version=entry.version,
        )
