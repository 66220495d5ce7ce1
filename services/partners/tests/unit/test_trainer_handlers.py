"""The catalogue of trainers on in-memory fakes: a coordinator catalogues a trainer for its
organization and the event leaves the name out; who reads it follows its visibility."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from multitrack_partners.application.projections import on_reference_changed
from multitrack_partners.application.trainers import (
    CatalogueTrainer,
    catalogue_trainer,
    get_trainer,
    list_trainers,
)
from multitrack_partners.domain.methods import CataloguedMethod
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import DomainError, Forbidden, NotFound
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.evaluation import ReferenceChanged
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


async def with_the_catalogue() -> FakePartnersUnitOfWork:
    """The catalogue of methods as evaluation's events told it: palabrero_circle and minga in
    use, lecture retired."""
    uow = FakePartnersUnitOfWork()
    for code in ("palabrero_circle", "minga", "lecture"):
        await uow.consume(on_reference_changed, changed(code))
    await uow.consume(on_reference_changed, changed("lecture", active=False, days=1))
    return uow


def changed(code: str, *, active: bool = True, days: int = 0) -> ReferenceChanged:
    return ReferenceChanged(
        key=f"method:{code}",
        kind="method",
        code=code,
        label=code,
        description="A method.",
        origin="local",
        active=active,
        changed_at=NOW + timedelta(days=days),
    )


async def test_a_trainer_is_catalogued_for_the_callers_organization_published_without_name() -> (
    None
):
    uow = await with_the_catalogue()

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
    uow = await with_the_catalogue()

    with pytest.raises(Forbidden):
        await catalogue_trainer(LUZ, caller, uow, clock)

    assert (list(uow.trainers.trainers.values()), uow.published) == ([], [])


async def test_an_owner_only_trainer_is_hidden_from_other_organizations() -> None:
    uow = await with_the_catalogue()
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


@pytest.mark.parametrize(
    ("methods", "field"),
    [
        (("palabrero_circle", "dance_therapy"), "methods.1"),  # the catalogue never had it
        (("lecture", "minga"), "methods.0"),  # retired since
    ],
)
async def test_a_trainer_naming_a_method_not_in_the_catalogue_is_refused(
    methods: tuple[str, ...], field: str
) -> None:
    uow = await with_the_catalogue()

    with pytest.raises(DomainError) as refused:
        await catalogue_trainer(replace(LUZ, methods=methods), COORDINATOR, uow, clock)

    assert (refused.value.status_code, refused.value.code, refused.value.field) == (
        422,
        "unknown_method",
        field,
    )
    assert uow.trainers.trainers.values() == []
    assert uow.published == []


async def test_the_catalogue_keeps_the_latest_change_of_a_method_whatever_their_order() -> None:
    uow = FakePartnersUnitOfWork()
    await uow.consume(on_reference_changed, changed("minga", active=False, days=2))
    await uow.consume(on_reference_changed, changed("minga", days=1))  # older, arrives later
    await uow.consume(
        on_reference_changed, changed("land", days=3).model_copy(update={"kind": "track"})
    )

    assert await uow.methods.named(["minga", "land"]) == {
        "minga": CataloguedMethod("minga", active=False, changed_at=NOW + timedelta(days=2))
    }
