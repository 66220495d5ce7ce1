"""Bodies of the listening ledger.

Who was heard and who listened are personal; the needs expressed may name people. Only the
owning organization's people see them; everyone who may read the engagement sees the sides,
tracks, dates and the summary.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.application.listening import ListeningLedger
from multitrack_engagements.application.lookup import Shown
from multitrack_engagements.domain.listening import HeardParty
from multitrack_shared.auth.personal import MayNamePeople, Personal, withhold_personal
from multitrack_shared.validation import Day, Name, Strict, Text, TrackNumber

WITHHELD = "Null for callers outside the owning organization."


class HeardCreate(Strict):
    who: Annotated[Name, Personal] = Field(
        description="Who was heard (personal; never published).", examples=["Rosa Villa"]
    )
    side: Name = Field(examples=["returning families"])
    track: TrackNumber
    needs: Annotated[list[Text], MayNamePeople] = Field(
        description="Needs the party expressed.", examples=[["Safe return to the farms"]]
    )
    heard_by: Annotated[Name, Personal] = Field(
        description="Who listened (personal).", examples=["IMTD field team"]
    )
    heard_on: Day = Field(examples=["2025-03-12"])


class HeardPublic(BaseModel):
    id: str
    who: Annotated[str | None, Personal] = Field(description=f"Who was heard. {WITHHELD}")
    side: str
    track: int
    needs: Annotated[list[str] | None, MayNamePeople] = Field(
        description=f"Needs the party expressed. {WITHHELD}"
    )
    heard_by: Annotated[str | None, Personal] = Field(description=f"Who listened. {WITHHELD}")
    heard_on: date
    recorded_at: datetime

    @classmethod
    def of(cls, h: HeardParty) -> HeardPublic:
        return cls.model_validate({**h.__dict__, "needs": list(h.needs)})


class ListeningSummaryOut(BaseModel):
    heard_per_side: dict[str, int] = Field(description="Entries per side, analysis sides first.")
    complete: bool = Field(
        description="Every side of the latest analysis heard at least once; "
        "false without an analysis."
    )
    missing_sides: list[str] = Field(description="Sides of the latest analysis never heard.")
    imbalanced: bool = Field(
        description="The most-heard side of the analysis has at least three times the entries "
        "of the least-heard (a never-heard side counts 0)."
    )


class ListeningPublic(BaseModel):
    entries: list[HeardPublic]
    summary: ListeningSummaryOut

    @classmethod
    def of(cls, ledger: ListeningLedger) -> ListeningPublic:
        return cls(
            entries=[HeardPublic.of(e) for e in ledger.entries],
            summary=ListeningSummaryOut.model_validate(ledger.summary, from_attributes=True),
        )


def ledger_shown(shown: Shown[ListeningLedger]) -> ListeningPublic:
    """The ledger as its caller may see it: personal data only to its organization."""
    return withhold_personal(ListeningPublic.of(shown.records), may_see_personal=shown.personal)
