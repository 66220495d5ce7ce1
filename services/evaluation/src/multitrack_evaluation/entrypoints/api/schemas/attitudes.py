"""Bodies of attitude instruments and measurements (standard 12, transformation).

An instrument's items and a measurement's figures are written to be shared: no one is named,
and nothing here is personal data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_evaluation.domain.attitudes import Administration, Instrument, Measurement
from multitrack_evaluation.entrypoints.api.schemas.common import Code, Id
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import Count, Day, JsonNumber, Name, Strict, Text

ScaleEnd = Annotated[int, Field(ge=-100, le=100, description="An end of the scale."), JsonNumber]
ItemMean = Annotated[
    float, Field(ge=-100, le=100, description="A group's mean rating of one item."), JsonNumber
]


class InstrumentCreate(Strict):
    code: Code = Field(examples=["acceptance_of_returnees"])
    label: Name = Field(examples=["Acceptance of returning families"])
    items: list[Text] = Field(
        min_length=1,
        max_length=100,
        description="The statements respondents rate, in order, each once; worded to name no "
        "one.",
        examples=[["I would buy from a returning family's shop.",
                   "I would let my children play with theirs."]],
    )  # fmt: skip
    scale_low: ScaleEnd = Field(examples=[1])
    scale_high: ScaleEnd = Field(
        description="Above scale_low: the most accepting answer.", examples=[5]
    )
    visibility: Visibility = Field(default=Visibility.consortium, examples=["consortium"])


class InstrumentPublic(BaseModel):
    code: str
    label: str
    items: list[str]
    scale_low: int
    scale_high: int
    owner_org: str
    visibility: str
    defined_at: datetime

    @classmethod
    def of(cls, i: Instrument) -> InstrumentPublic:
        return cls(
            code=i.code,
            label=i.label,
            items=list(i.items),
            scale_low=i.scale.low,
            scale_high=i.scale.high,
            owner_org=i.owner_org,
            visibility=i.visibility,
            defined_at=i.defined_at,
        )


class MeasurementCreate(Strict):
    engagement_id: Id = Field(description="An engagement known to the digest.")
    instrument: Code = Field(description="Code of the instrument administered.")
    side: Name = Field(
        description="The side the group stands on: one the engagement's analyses name, if any.",
        examples=["returning families"],
    )
    administered_on: Day = Field(
        description="Within the engagement's life, not in the future.", examples=["2025-09-15"]
    )
    respondents: Count = Field(examples=[24])
    item_means: list[ItemMean] = Field(
        max_length=100,
        description="The group's mean rating of each item, in the instrument's order, on its "
        "scale.",
        examples=[[3.4, 2.9]],
    )

    def administration(self) -> Administration:
        return Administration(
            engagement_id=self.engagement_id,
            instrument=self.instrument,
            side=self.side,
            administered_on=self.administered_on,
            respondents=self.respondents,
            item_means=tuple(self.item_means),
        )


class MeasurementPublic(BaseModel):
    id: str
    engagement_id: str
    owner_org: str = Field(description="The engagement's owner, which the measurement inherits.")
    visibility: str
    instrument: str
    side: str
    administered_on: date
    respondents: int
    item_means: list[float]
    score: float = Field(description="Mean of the item means on 0..1 (1: the most accepting).")
    recorded_at: datetime

    @classmethod
    def of(cls, m: Measurement) -> MeasurementPublic:
        return cls.model_validate({**m.__dict__, "item_means": list(m.item_means)})
