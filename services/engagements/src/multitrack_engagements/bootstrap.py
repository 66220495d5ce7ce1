"""Composition root of the engagements service."""

from __future__ import annotations

from pathlib import Path

from multitrack_engagements.adapters.tables import READ_MODELS, messaging, metadata
from multitrack_engagements.adapters.uow import EngagementsUnitOfWork
from multitrack_engagements.entrypoints.consumers import subscription
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class EngagementsSettings(ServiceSettings):
    service_name: str = "engagements"


def bootstrap(settings: EngagementsSettings) -> ServiceRuntime[EngagementsUnitOfWork]:
    return ServiceRuntime(
        settings,
        metadata=metadata,
        tables=messaging,
        migrations_dir=MIGRATIONS,
        uow_class=EngagementsUnitOfWork,
        subscription=subscription,
        read_models=READ_MODELS,
    )
