"""Value shapes that several services' events carry."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

Track = int
"""A track of multi-track diplomacy, 1 (government) to 9 (public opinion / communication)."""


class Visibility(StrEnum):
    consortium = "consortium"
    owner = "owner"


class Ownership(BaseModel):
    """Every record belongs to one member organization and says who else may see it."""

    model_config = ConfigDict(frozen=True)

    owner_org: str = Field(description="Consortium member organization that owns the record.")
    visibility: Visibility = Field(
        default=Visibility.consortium,
        description="consortium: every member may read it; owner: only the owning organization.",
    )


class ConflictContext(BaseModel):
    """Where and what the conflict is; lessons are matched against this."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(
        description="Name by which the conflict is known, e.g. a place and what is disputed."
    )
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country.")
    region: str | None = Field(default=None, description="Region within or across countries.")
    conflict_type: str | None = Field(
        default=None, description="Kind of conflict, e.g. ethno-political, land, resource."
    )
    phase: str | None = Field(
        default=None, description="Phase of the conflict, e.g. latent, escalation, post-agreement."
    )
    # Added after the first records were published: those name no shared conflict record.
    conflict_id: str | None = Field(
        default=None,
        description="The consortium's shared record of this conflict (the engagements "
        "service's /conflicts), when the work was linked to one; null otherwise.",
    )
