"""The partners service's typed unit of work and its readers; the clock and the rest are shared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from multitrack_partners.application.ports import PartnersUoW
from multitrack_partners.application.webhook_ports import SecretSeal
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.http.auth import require_roles
from multitrack_shared.http.deps import NewUnitOfWork

UowDep = Annotated[PartnersUoW, NewUnitOfWork]

ReaderDep = Annotated[Principal, require_roles(*Role)]
"""The caller of a read: anyone holding a platform role; what it sees is the handlers' to say."""


@dataclass(frozen=True)
class Webhooks:
    """What subscribing needs beside the unit of work: set on the app by ``main``."""

    seal: SecretSeal
    allow_loopback_http: bool


def webhooks(request: Request) -> Webhooks:
    found: Webhooks = request.app.state.webhooks
    return found


WebhooksDep = Annotated[Webhooks, Depends(webhooks)]
