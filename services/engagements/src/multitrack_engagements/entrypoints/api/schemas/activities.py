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

from multitrack_engagements.application.lookup import Shown
from multitrack_engagements.domain.activities import (
    ACTIVITY_KINDS,
    PEACEBUILDING_KIND_CODES,
    Activity,
)
from multitrack_engagements.domain.training import Training
from multitrack_shared.auth.personal import MayNamePeople, Personal, withhold_personal
from multitrack_shared.events.vocabulary import MethodOrigin, ParticipantRole, RppQuadrant, Sex
from multitrack_shared.validation import (
    Count,
    Day,
    Flag,
    Name,
    RecordId,
    ShortCode,
    Strict,
    Text,
    TrackNumber,
)

WITHHELD = "Null for callers outside the owning organization."


class MethodIn(Strict):
    code: ShortCode = Field(
        description="The method's code in the consortium's catalogue (reference data of kind "
        "method).",
        examples=["palabreo"],
    )


class MethodOut(BaseModel):
    code: str | None = Field(
        description="The method's code in the catalogue; null for activities recorded before it."
    )
    name: str = Field(description="The catalogue's label when the activity was recorded.")
    origin: MethodOrigin = Field(description="Local (indigenous included) or external.")


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


class TrainingIn(Strict):
    curriculum: list[Name] = Field(
        description="The topics taught, in order; at least one.",
        examples=[["Active listening", "Mediating boundary disputes"]],
    )
    trainers: list[RecordId] = Field(
        default_factory=list,
        description="Ids of the trainers of the consortium's catalogue who trained, each once.",
        examples=[["9b2f7c1e-3a4d-4c55-8f0e-1d2c3b4a5f60"]],
    )
    follow_up_months: list[Count] = Field(
        description="The set intervals, in months after the training (1 to 120), at which its "
        "trainees are followed up: each once, shortest first.",
        examples=[[3, 6, 12]],
    )

    def to_training(self) -> Training:
        return Training(tuple(self.curriculum), tuple(self.trainers), tuple(self.follow_up_months))


class TraineesOut(BaseModel):
    sex: Sex
    role: ParticipantRole
    count: int = Field(description="Trainees of this sex and role, across tracks and sides.")


class TrainingOut(BaseModel):
    curriculum: list[str]
    trainers: list[str] = Field(description="Ids of the catalogue's trainers who trained.")
    follow_up_months: list[int]
    trainees: list[TraineesOut] = Field(description="The participants, by sex and role.")

    @classmethod
    def of(cls, activity: Activity) -> TrainingOut | None:
        training = activity.training
        if training is None:
            return None
        return cls(
            curriculum=list(training.curriculum),
            trainers=list(training.trainers),
            follow_up_months=list(training.follow_up_months),
            trainees=[
                TraineesOut(sex=sex, role=role, count=count)
                for (sex, role), count in activity.counted_by_sex_and_role().items()
            ],
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
        description="Methods used (standard 7), by their codes in the consortium's catalogue, "
        "each once.",
        examples=[[{"code": "palabreo"}]],
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
    designed_locally: Flag | None = Field(
        default=None,
        description="Whether local people designed the activity (standard 11, empowerment).",
        examples=[True],
    )
    training: TrainingIn | None = Field(
        default=None,
        description="Required for a training (kind training), refused for other kinds.",
        examples=[None],
    )


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
    methods: list[MethodOut]
    facilitators: list[FacilitatorOut]
    participants: list[ParticipantsIn]
    do_no_harm: DoNoHarmOut
    local_facilitators: int
    external_facilitators: int
    led_locally: bool = Field(description="More local facilitators than external ones.")
    designed_locally: bool | None = Field(
        description="Designed by local people; null when not recorded."
    )
    training: TrainingOut | None = Field(description="A training's details; null otherwise.")
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
            methods=[MethodOut.model_validate(m, from_attributes=True) for m in a.methods],
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
            designed_locally=a.designed_locally,
            training=TrainingOut.of(a),
            recorded_at=a.recorded_at,
        )


def activities_shown(shown: Shown[list[Activity]]) -> list[ActivityPublic]:
    """The activities as their caller may see them: personal data only to its organization."""
    return [
        withhold_personal(ActivityPublic.of(a), may_see_personal=shown.personal)
        for a in shown.records
    ]
