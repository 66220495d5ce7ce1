"""The assessment criteria as read: reference data, nothing personal."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_invitations.domain.criteria import AssessmentCriterion


class CriterionPublic(BaseModel):
    code: str = Field(description="Stable code: the key of its verdict in an assessment.")
    label: str = Field(description="Label as the consortium words it.")
    description: str = Field(description="Longer wording.")
    procedure: str | None = Field(
        description="The standard procedure (its code) it bears on, if any."
    )
    essential: bool = Field(
        description="An unknown verdict on it needs an override reason to accept, as an "
        "unmet one does."
    )

    @classmethod
    def of(cls, criterion: AssessmentCriterion) -> CriterionPublic:
        return cls(
            code=criterion.code,
            label=criterion.label,
            description=criterion.description,
            procedure=criterion.procedure,
            essential=criterion.essential,
        )
