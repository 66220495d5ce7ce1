"""Bodies of the conflict analysis and the listening ledger."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from multitrack_engagements.application.listening import ListeningLedger
from multitrack_engagements.domain.analysis import ActorRole, ConflictAnalysis
from multitrack_engagements.domain.listening import HeardParty
from multitrack_shared.validation import Name, Strict, Text, TrackNumber


class ActorIn(Strict):
    name: Name = Field(description="Who the actor is.", examples=["Asociación de Campesinos"])
    side: Name = Field(
        description="Side of the conflict; sides compare case-insensitively.",
        examples=["land claimants"],
    )
    track: TrackNumber
    role: ActorRole = Field(examples=["party"])


class AnalysisCreate(Strict):
    analysed_on: date = Field(examples=["2025-03-10"])
    participants: list[Name] = Field(
        description="Who took part (personal; never published). At least one.",
        examples=[["María Pérez", "Jorge Díaz"]],
    )
    actors: list[ActorIn] = Field(
        description="At least one actor, with its side.",
        examples=[
            [
                {"name": "Asociación de Campesinos", "side": "land claimants", "track": 4,
                 "role": "party"},
                {"name": "Familias retornadas", "side": "returning families", "track": 4,
                 "role": "party"},
            ]
        ],
    )  # fmt: skip
    causes: list[Text] = Field(default_factory=list, examples=[["Unresolved land titles"]])
    dividers: list[Text] = Field(default_factory=list, examples=[["Competing land claims"]])
    connectors: list[Text] = Field(default_factory=list, examples=[["Shared market town"]])


class ActorOut(BaseModel):
    name: str
    side: str
    track: int
    role: ActorRole


class AnalysisPublic(BaseModel):
    engagement_id: str
    version: int = Field(description="1 for the first analysis, then one more each time.")
    analysed_on: date
    participants: list[str]
    actors: list[ActorOut]
    sides: list[str] = Field(description="The distinct sides of the actors.")
    causes: list[str]
    dividers: list[str]
    connectors: list[str]
    recorded_at: datetime

    @classmethod
    def of(cls, a: ConflictAnalysis) -> AnalysisPublic:
        return cls(
            engagement_id=a.engagement_id,
            version=a.version,
            analysed_on=a.analysed_on,
            participants=list(a.participants),
            actors=[ActorOut.model_validate(x, from_attributes=True) for x in a.actors],
            sides=a.sides,
            causes=list(a.causes),
            dividers=list(a.dividers),
            connectors=list(a.connectors),
            recorded_at=a.recorded_at,
        )


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
    heard_on: date = Field(examples=["2025-03-12"])


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
