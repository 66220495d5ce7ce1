"""Use cases on the catalogue of trainers: catalogue one, read one, list them.

A trainer trains in methods of the consortium's catalogue (``domain.methods``), by their codes.
A trainer belongs to the member organization whose coordinator catalogued it; who reads it
follows its visibility, and only that organization's people see its name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from multitrack_partners.application.ports import PartnersUoW
from multitrack_partners.domain.methods import require_catalogued
from multitrack_partners.domain.trainer import Trainer
from multitrack_shared.auth.policy import owner_of_new_record, readable, require_role, scope_of
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.events import partners as events
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class CatalogueTrainer:
    visibility: str
    name: str
    organization: str
    methods: tuple[str, ...]
    local: bool


async def catalogue_trainer(
    cmd: CatalogueTrainer, caller: Principal, uow: PartnersUoW, clock: Clock
) -> Trainer:
    require_role(caller, Role.coordinator)
    trainer = Trainer(
        id=str(uuid.uuid4()),
        owner_org=owner_of_new_record(caller),
        visibility=cmd.visibility,
        name=cmd.name,
        organization=cmd.organization,
        methods=cmd.methods,
        local=cmd.local,
        catalogued_at=clock(),
    )
    async with uow:
        require_catalogued(cmd.methods, await uow.methods.named(cmd.methods))
        await uow.trainers.add(trainer)
        uow.publish(_catalogued(trainer))
        await uow.commit()
    return trainer


async def get_trainer(trainer_id: str, caller: Principal, uow: PartnersUoW) -> Trainer:
    async with uow:
        trainer = await uow.trainers.get(trainer_id)
    return readable(trainer, caller, f"no trainer {trainer_id}", field="trainer_id")


async def list_trainers(
    caller: Principal, uow: PartnersUoW, limit: int = 50, offset: int = 0
) -> list[Trainer]:
    async with uow:
        return await uow.trainers.search(scope_of(caller), limit, offset)


def _catalogued(trainer: Trainer) -> events.TrainerCatalogued:
    """Everything but the name, which is personal."""
    return events.TrainerCatalogued(
        trainer_id=trainer.id,
        ownership=Ownership(owner_org=trainer.owner_org, visibility=Visibility(trainer.visibility)),
        organization=trainer.organization,
        methods=list(trainer.methods),
        local=trainer.local,
        catalogued_at=trainer.catalogued_at,
    )
