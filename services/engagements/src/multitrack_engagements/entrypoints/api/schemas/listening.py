"""Bodies of the listening ledger."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from multitrack_engagements.application.listening import ListeningLedger
from multitrack_engagements.domain.listening import HeardParty
from multitrack_shared.validation import Day, Name, Strict, Text, TrackNumber


class HeardCreate(Strict):
    who: Name = Field(
        description="Who was heard (personal; never published).", examples=["Rosa Villa"]
    )
    side: Name = Field(examples=["returning families"])
    track: TrackNumber
    needs: list[Text] = Field(
        description="Needs the party expressed.", examples=[["Safe return to the farms"]]
    )
    heard_by: Name = Field(description="Who listened.", examples=["IMTD field team"])
    heard_on: Day = Field(examples=["2025-03-12"])


class HeardPublic(BaseModel):
    id: str
    who: str
    side: str
    track: int
    needs: list[str]
    heard_by: str
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
