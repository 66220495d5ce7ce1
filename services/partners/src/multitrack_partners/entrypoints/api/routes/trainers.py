"""HTTP routes of /trainers: parse, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from multitrack_partners.application import trainers as handlers
from multitrack_partners.entrypoints.api.deps import ReaderDep, UowDep
from multitrack_partners.entrypoints.api.schemas.trainers import TrainerCreate, TrainerPublic
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.deps import ClockDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.params import Limit, Offset
from multitrack_shared.http.versions import TAGGED, tag, tagged
from multitrack_shared.validation import RecordId
from multitrack_shared.versioning import FIRST_VERSION

router = APIRouter(prefix="/trainers", tags=["trainers"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Catalogue a trainer",
    description="Coordinators only; the trainer belongs to the caller's organization. "
    "Publishes `multitrack.trainer.catalogued.v1`, without the trainer's name.",
    responses=tagged(status.HTTP_201_CREATED),
)
async def catalogue(
    body: TrainerCreate, caller: CallerDep, uow: UowDep, clock: ClockDep, response: Response
) -> TrainerPublic:
    cmd = handlers.CatalogueTrainer(
        visibility=body.visibility.value,
        name=body.name,
        organization=body.organization,
        methods=tuple(body.methods),
        local=body.local,
    )
    trainer = await handlers.catalogue_trainer(cmd, caller, uow, clock)
    tag(response, trainer.id, FIRST_VERSION)
    return TrainerPublic.of(trainer, caller)


@router.get(
    "",
    summary="The catalogue of trainers",
    description="Consortium-visible trainers and the caller's organization's own, in the "
    "order they were catalogued.",
)
async def list_all(
    caller: ReaderDep, uow: UowDep, limit: Limit = 50, offset: Offset = 0
) -> list[TrainerPublic]:
    found = await handlers.list_trainers(caller, uow, limit, offset)
    return [TrainerPublic.of(t, caller) for t in found]


@router.get(
    "/{trainer_id}",
    summary="Read one trainer",
    description="404 for a trainer that does not exist and for another organization's "
    "owner-only trainer alike. A trainer is never changed: its tag stays the first.",
    responses=TAGGED,
)
async def read(
    trainer_id: RecordId, caller: ReaderDep, uow: UowDep, response: Response
) -> TrainerPublic:
    trainer = await handlers.get_trainer(trainer_id, caller, uow)
    tag(response, trainer.id, FIRST_VERSION)
    return TrainerPublic.of(trainer, caller)
