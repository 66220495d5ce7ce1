"""Composition root of the invitations service."""

from __future__ import annotations

from multitrack_invitations.adapters.tables import AUDIT_LOG, READ_MODELS, messaging, metadata
from multitrack_invitations.adapters.uow import InvitationsUnitOfWork
from multitrack_invitations.entrypoints.consumers import handlers
from multitrack_shared.bootstrap import ServiceParts
from multitrack_shared.db.migrations import service_migrations
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings


class InvitationsSettings(ServiceSettings):
    service_name: str = "invitations"


SERVICE = ServiceParts(
    settings_class=InvitationsSettings,
    migrations_dir=service_migrations(__file__),
    metadata=metadata,
    messaging=messaging,
    read_models=READ_MODELS,
    uow_class=InvitationsUnitOfWork,
    handlers=handlers,
    audit_log=AUDIT_LOG,
)


def bootstrap(settings: InvitationsSettings | None = None) -> ServiceRuntime[InvitationsUnitOfWork]:
    return SERVICE.runtime(settings)
