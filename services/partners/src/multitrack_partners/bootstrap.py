"""Composition root of the partners service."""

from __future__ import annotations

from pathlib import Path

from multitrack_partners.adapters.read_models import READ_MODELS
from multitrack_partners.adapters.tables import messaging, metadata
from multitrack_partners.adapters.uow import PartnersUnitOfWork
from multitrack_partners.entrypoints.consumers import subscription
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class PartnersSettings(ServiceSettings):
    service_name: str = "partners"


def bootstrap(settings: PartnersSettings) -> ServiceRuntime[PartnersUnitOfWork]:
    return ServiceRuntime(
        settings,
        metadata=metadata,
        tables=messaging,
        migrations_dir=MIGRATIONS,
        uow_class=PartnersUnitOfWork,
        subscription=subscription,
        read_models=READ_MODELS,
    )
