"""Composition root of the invitations service."""

from __future__ import annotations

from pathlib import Path

from multitrack_invitations.adapters.tables import LessonRow, messaging, metadata
from multitrack_invitations.adapters.uow import InvitationsUnitOfWork
from multitrack_invitations.entrypoints.consumers import subscription
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class InvitationsSettings(ServiceSettings):
    service_name: str = "invitations"


def bootstrap(settings: InvitationsSettings) -> ServiceRuntime[InvitationsUnitOfWork]:
    return ServiceRuntime(
        settings,
        metadata=metadata,
        tables=messaging,
        migrations_dir=MIGRATIONS,
        uow_class=InvitationsUnitOfWork,
        subscription=subscription,
        read_models=[LessonRow.__table__],  # type: ignore[attr-defined]  # SQLModel sets it
    )
