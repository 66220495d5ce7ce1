"""The partners service's typed unit of work; the clock and the rest are shared."""

from __future__ import annotations

from typing import Annotated

from multitrack_partners.application.ports import PartnersUoW
from multitrack_shared.http.deps import NewUnitOfWork

UowDep = Annotated[PartnersUoW, NewUnitOfWork]
