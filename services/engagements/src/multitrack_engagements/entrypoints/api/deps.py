"""The engagements service's typed unit of work; the clock and the rest are shared."""

from __future__ import annotations

from typing import Annotated

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_shared.http.deps import NewUnitOfWork

UowDep = Annotated[EngagementsUoW, NewUnitOfWork]
