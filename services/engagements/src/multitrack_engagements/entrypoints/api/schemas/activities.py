"""Bodies of activities.

Facilitators' names are personal; the Do No Harm check (its note, dividers and connectors) is
free text that may name people. Only the owning organization's people see them; everyone who
may read the engagement sees what was done, where, on which tracks, by which methods, whether
it was led locally and who took part in numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.domain.activities import (
    ACTIVITY_KINDS,
    PEACEBUILDING_KIND_CODES,
    Activity,
)
from multitrack_shared.auth.personal import MayNamePeople, Personal
from multitrack_shared.events.vocabulary import MethodOrigin, ParticipantRole, RppQuadrant, Sex
from multitrack_shared.validation import (
    Count,
    Day,
    Flag,
    Name,
    ShortCode,
    Strict,
    Text,
    TrackNumber,
)

WITHHELD = "Null for callers outside the owning organization."


class MethodIn(Strict):
    name: Name = Field(examples=["palabreo (community word circle)"])
    origin: MethodOrigin = Field(description="Local/indigenous or external.", examples=["local"])


class FacilitatorIn(Strict):
    name: Annotated[Name, Personal] = Field(
        description="Personal; never published.", examples=["Luis Mendoza"]
    )
    local: Flag = Field(description="Whether the facilitator is local.", examples=[True])


class ParticipantsIn(Strict):
    sex: Sex = Field(examples=["female"])
    role: ParticipantRole = Field(examples=["participant"])
    track: TrackNumber
    side: Name | None = Field(default=None, examples=["returning families"])
    count: Count = Field(examples=[12])


class DoNoHarmIn(Strict):
    note: Annotated[Text, MayNamePeople] = Field(
        description="The activity's details checked against the dividers and connectors.",
        examples=["Venue chosen on neutral ground; both sides' transport paid alike."],
    )
    dividers: Annotated[list[Text], MayNamePeople] = Field(
        default_factory=list, examples=[["Competing land claims"]]
    )
    connectors: Annotated[list[Text], MayNamePeople] = Field(
        default_factory=list, examples=[["Shared market town"]]
    )


class ActivityCreate(Strict):
    kind: ShortCode = Field(description=" | ".join(ACTIVITY_KINDS), examples=["dialogue"])
    held_on: Day = Field(examples=["2025-04-02"])
    place: Name = Field(examples=["Carmen de Bolívar"])
    tracks: list[TrackNumber] = Field(
        description="At least one track, each once.", examples=[[4, 7]]
    )
    peacebuilding_kind: ShortCode = Field(
        description=" | ".join(PEACEBUILDING_KIND_CODES), examples=["social"]
    )
    rpp_quadrant: RppQuadrant = Field(examples=["more_people_individual"])
    methods: list[MethodIn] = Field(
        default_factory=list,
        description="Methods used, local or external (standard 7).",
        examples=[[{"name": "Palabreo", "origin": "local"}]],
    )
    facilitators: list[FacilitatorIn] = Field(
        default_factory=list,
        description="Who facilitated; led locally when more are local than not.",
        examples=[[{"name": "Luis Mendoza", "local": True}]],
    )
    participants: list[ParticipantsIn] = Field(
        default_factory=list,
        description="Who took part, counted by sex × role × track × side.",
        examples=[[{"sex": "female", "role": "participant", "track": 4, "count": 12}]],
    )
    do_no_harm: DoNoHarmIn = Field(
        examples=[{"note": "Neutral venue; transport paid alike.", "dividers": [],
                   "connectors": []}]
    )  # fmt: skip


class FacilitatorOut(BaseModel):
    name: Annotated[str | None, Personal] = Field(description=f"The facilitator. {WITHHELD}")
    local: bool = Field(description="Whether the facilitator is local.")


class DoNoHarmOut(BaseModel):
    note: Annotated[str | None, MayNamePeople] = Field(
        description=f"The activity's details checked against the dividers and connectors. "
        f"{WITHHELD}"
    )
    dividers: Annotated[list[str] | None, MayNamePeople] = Field(description=WITHHELD)
    connectors: Annotated[list[str] | None, MayNamePeople] = Field(description=WITHHELD)


class ActivityPublic(BaseModel):
    id: str
    engagement_id: str
    kind: str
    held_on: date
    place: str
    tracks: list[int]
    peacebuilding_kind: str
    rpp_quadrant: RppQuadrant
    methods: list[MethodIn]
    facilitators: list[FacilitatorOut]
    participants: list[ParticipantsIn]
    do_no_harm: DoNoHarmOut
    local_facilitators: int
    external_facilitators: int
    led_locally: bool = Field(description="More local facilitators than external ones.")
    recorded_at: datetime

    @classmethod
    def of(cls, a: Activity) -> ActivityPublic:
        return cls(
            id=a.id,
            engagement_id=a.engagement_id,
            kind=a.kind,
            held_on=a.held_on,
            place=a.place,
            tracks=list(a.tracks),
            peacebuilding_kind=a.peacebuilding_kind,
            rpp_quadrant=a.rpp_quadrant,
            methods=[MethodIn.model_validate(m, from_attributes=True) for m in a.methods],
            facilitators=[
                FacilitatorOut.model_validate(f, from_attributes=True) for f in a.facilitators
            ],
            participants=[
                ParticipantsIn.model_validate(p, from_attributes=True) for p in a.participants
            ],
            do_no_harm=DoNoHarmOut(
                note=a.do_no_harm.note,
                dividers=list(a.do_no_harm.dividers),
                connectors=list(a.do_no_harm.connectors),
            ),
            local_facilitators=a.local_facilitators,
            external_facilitators=a.external_facilitators,
            led_locally=a.led_locally,
            recorded_at=a.recorded_at,
        )
