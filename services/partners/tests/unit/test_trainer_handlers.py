"""The catalogue of trainers on in-memory fakes: a coordinator catalogues a trainer for its
organization and the event leaves the name out; who reads it follows its visibility."""

from __future__ import annotations

import pytest

from multitrack_partners.application.trainers import (
    CatalogueTrainer,
    catalogue_trainer,
    get_trainer,
    list_trainers,
)
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import Forbidden, NotFound
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.partners import TrainerCatalogued

from ..fakes import FakePartnersUnitOfWork
from .samples import COORDINATOR, NOW, OTHER_COORDINATOR, TOO_WEAK, clock

pytestmark = pytest.mark.unit

LUZ = CatalogueTrainer(
    visibility="consortium",
    name="Luz Mery Díaz",
    organization="Tejiendo Paz",
    methods=("palabrero_circle",),
    local=True,
)


async def test_a_trainer_is_catalogued_for_the_callers_organization_published_without_name() -> (
    None
):
    uow = FakePartnersUnitOfWork()

    trainer = await catalogue_trainer(LUZ, COORDINATOR, uow, clock)

    assert await uow.trainers.get(trainer.id) == trainer
    assert (trainer.owner_org, trainer.name, trainer.catalogued_at) == ("imtd", LUZ.name, NOW)
    assert uow.published == [
        TrainerCatalogued(
            trainer_id=trainer.id,
            ownership=Ownership(owner_org="imtd", visibility=Visibility.consortium),
            organization="Tejiendo Paz",
            methods=["palabrero_circle"],
            local=True,
            catalogued_at=NOW,
        )
    ]
    assert LUZ.name not in uow.published[0].model_dump_json()


@pytest.mark.parametrize("caller", TOO_WEAK)
async def test_only_a_coordinator_catalogues_a_trainer(caller: Principal) -> None:
    uow = FakePartnersUnitOfWork()

    with pytest.raises(Forbidden):
        await catalogue_trainer(LUZ, caller, uow, clock)

    assert (list(uow.trainers.trainers.values()), uow.published) == ([], [])


async def test_an_owner_only_trainer_is_hidden_from_other_organizations() -> None:
    uow = FakePartnersUnitOfWork()
    shared = await catalogue_trainer(LUZ, COORDINATOR, uow, clock)
    own = await catalogue_trainer(
        CatalogueTrainer("owner", "Tom Reyes", "Alder", ("minga",), False), COORDINATOR, uow, clock
    )

    # catalogued at the same instant: listed by id then
    assert await list_trainers(COORDINATOR, uow) == sorted([shared, own], key=lambda t: t.id)
    assert await list_trainers(OTHER_COORDINATOR, uow) == [shared]
    assert await get_trainer(shared.id, OTHER_COORDINATOR, uow) == shared
    with pytest.raises(NotFound):
        await get_trainer(own.id, OTHER_COORDINATOR, uow)
