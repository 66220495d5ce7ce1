"""Bodies of the consortium's reference data."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind
from multitrack_evaluation.entrypoints.api.schemas.common import Code
from multitrack_shared.validation import Flag, Name, Strict, Text


class ReferenceItemUpdate(Strict):
    label: Name = Field(description="Label as the consortium words it.", examples=["Do no harm"])
    description: Text = Field(
        description="Longer wording.",
        examples=["Dividers and connectors checked against each activity's details."],
    )
    active: Flag = Field(
        description="False once the consortium no longer uses the item (procedures only).",
        examples=[True],
    )


class ReferenceItemCreate(Strict):
    code: Code
    label: Name = Field(description="Label as the consortium words it.", examples=["Do no harm"])
    description: Text = Field(
        description="Longer wording.",
        examples=["Dividers and connectors checked against each activity's details."],
    )


class ReferenceItemPublic(BaseModel):
    kind: ReferenceKind
    code: str
    label: str
    description: str
    active: bool
    position: int

    @classmethod
    def of(cls, entry: ReferenceEntry) -> ReferenceItemPublic:
        return cls(
            kind=entry.kind,
            code=entry.code,
            label=entry.label,
            description=entry.description,
            active=entry.active,
            position=entry.position,
        )
