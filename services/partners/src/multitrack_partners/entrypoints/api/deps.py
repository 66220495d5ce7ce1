"""The partners service's typed unit of work and its readers; the clock and the rest are shared."""

from __future__ import annotations

from typing import Annotated

from multitrack_partners.application.ports import PartnersUoW
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.http.auth import require_roles
from multitrack_shared.http.deps import NewUnitOfWork

UowDep = Annotated[PartnersUoW, NewUnitOfWork]

ReaderDep = Annotated[Principal, require_roles(*Role)]
"""The caller of a read: anyone holding a platform role; what it sees is the handlers' to say."""
