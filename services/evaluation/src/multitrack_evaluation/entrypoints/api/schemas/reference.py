"""Bodies of the consortium's reference data."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind
from multitrack_evaluation.entrypoints.api.schemas.common import Code
from multitrack_shared.events.vocabulary import CatalogueOrigin
from multitrack_shared.validation import Flag, Name, Strict, Text


class ReferenceItemUpdate(Strict):
    label: Name = Field(description="Label as the consortium words it.", examples=["Do no harm"])
    description: Text = Field(
        description="Longer wording.",
        examples=["Dividers and connectors checked against each activity's details."],
    )
    active: Flag = Field(
        description="False once the consortium no longer uses the item (procedures and "
        "assessment criteria only).",
        examples=[True],
    )
    procedure: Code | None = Field(
        default=None,
        description="Assessment criteria only: the standard procedure it bears on; "
        "absent keeps the one it has.",
        examples=["long_term_commitment"],
    )
    essential: Flag | None = Field(
        default=None,
        description="Assessment criteria only: whether an unknown verdict needs an override "
        "reason to accept, as an unmet one does; absent keeps what it is.",
        examples=[True],
    )
    origin: CatalogueOrigin | None = Field(
        default=None,
        description="Methods only: local, indigenous or external; absent keeps the one it has.",
        examples=["indigenous"],
    )


class ReferenceItemCreate(Strict):
    code: Code
    label: Name = Field(description="Label as the consortium words it.", examples=["Do no harm"])
    description: Text = Field(
        description="Longer wording.",
        examples=["Dividers and connectors checked against each activity's details."],
    )
    procedure: Code | None = Field(
        default=None,
        description="Assessment criteria only: the standard procedure it bears on, if any.",
        examples=["partnership"],
    )
    essential: Flag = Field(
        default=False,
        description="Assessment criteria only: whether an unknown verdict needs an override "
        "reason to accept, as an unmet one does.",
        examples=[False],
    )
    origin: CatalogueOrigin | None = Field(
        default=None,
        description="Methods only, and required for them: local, indigenous or external.",
        examples=["indigenous"],
    )


class ReferenceItemPublic(BaseModel):
    kind: ReferenceKind
    code: str
    label: str
    description: str
    active: bool
    position: int
    procedure: str | None = Field(
        description="Assessment criteria: the standard procedure it bears on, if any."
    )
    essential: bool = Field(
        description="Assessment criteria: an unknown verdict needs an override reason."
    )
    origin: CatalogueOrigin | None = Field(
        description="Methods: local, indigenous or external; null for the other kinds."
    )

    @classmethod
    def of(cls, entry: ReferenceEntry) -> ReferenceItemPublic:
        return cls(
            kind=entry.kind,
            code=entry.code,
            label=entry.label,
            description=entry.description,
            active=entry.active,
            position=entry.position,
            procedure=entry.procedure,
            essential=entry.essential,
            origin=entry.origin,
        )
