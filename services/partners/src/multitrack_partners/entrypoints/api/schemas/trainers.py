"""Bodies of /trainers: a trainer's name is personal, shown to the owning organization's
people only (``trainer.name: null`` for everyone else)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from multitrack_partners.domain.trainer import Trainer
from multitrack_shared.auth.personal import Personal, withhold_personal
from multitrack_shared.auth.policy import may_see_personal
from multitrack_shared.auth.principal import Principal
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import Flag, Name, ShortCode, Strict, distinct


class TrainerCreate(Strict):
    """The trainer belongs to the caller's organization: no owner is sent."""

    name: Annotated[Name, Personal] = Field(
        description="Personal; never published.", examples=["Luz Mery Díaz"]
    )
    organization: Name = Field(
        description="The organization the trainer works with.", examples=["Tejiendo Paz"]
    )
    methods: Annotated[list[ShortCode], AfterValidator(distinct)] = Field(
        min_length=1,
        max_length=50,
        description="Codes of the catalogue's methods the trainer trains in: reference data of "
        "kind `method` in the evaluation service, not retired (`unknown_method`); none repeated.",
        examples=[["palabrero_circle"]],
    )
    local: Flag = Field(
        description="Local to the conflict, as opposed to external.", examples=[True]
    )
    visibility: Visibility = Field(
        default=Visibility.consortium,
        description="consortium: every member may name the trainer in its trainings; owner: "
        "only the caller's organization sees it.",
        examples=["consortium"],
    )


class TrainerPublic(BaseModel):
    id: str
    owner_org: str = Field(description="The member organization that catalogued the trainer.")
    visibility: str
    name: Annotated[str | None, Personal] = Field(
        description="Null unless the caller is one of the owning organization's people "
        "(personal data)."
    )
    organization: str
    methods: list[str]
    local: bool
    catalogued_at: datetime

    @classmethod
    def of(cls, trainer: Trainer, caller: Principal) -> TrainerPublic:
        shown = cls(
            id=trainer.id,
            owner_org=trainer.owner_org,
            visibility=trainer.visibility,
            name=trainer.name,
            organization=trainer.organization,
            methods=list(trainer.methods),
            local=trainer.local,
            catalogued_at=trainer.catalogued_at,
        )
        return withhold_personal(
            shown, may_see_personal=may_see_personal(caller, trainer.owner_org)
        )
