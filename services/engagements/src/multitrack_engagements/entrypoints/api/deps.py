"""The engagements service's typed unit of work and its planning horizon; the clock and the
rest are shared."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.dates import DEFAULT_HORIZON_DAYS
from multitrack_shared.http.deps import NewUnitOfWork

UowDep = Annotated[EngagementsUoW, NewUnitOfWork]


def planning_horizon(request: Request) -> int:
    """Days ahead an activity may be planned: ``MULTITRACK_PLANNING_HORIZON_DAYS``, read from
    the running service's settings (``bootstrap.EngagementsSettings``, which this layer may
    not import)."""
    days = getattr(request.app.state.runtime.settings, "planning_horizon_days", None)
    return days if isinstance(days, int) else DEFAULT_HORIZON_DAYS


HorizonDep = Annotated[int, Depends(planning_horizon)]
