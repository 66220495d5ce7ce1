"""Request dependencies every service's routes share, as ``Annotated`` aliases.

A service declares its typed unit-of-work dependency in one line, in its
``entrypoints/api/deps.py``::

    UowDep = Annotated[InvitationsUoW, NewUnitOfWork]

and routes take ``uow: UowDep, clock: ClockDep``. Tests replace the clock with
``app.dependency_overrides[clock] = ...``. Further request dependencies every service needs
(who is asking, what they may do) belong here too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.ports import Clock
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.times import utc_now


def new_uow(request: Request) -> UnitOfWork:
    """A fresh, unopened unit of work of the running service."""
    runtime: ServiceRuntime[Any] = request.app.state.runtime
    uow: UnitOfWork = runtime.new_uow()
    return uow


NewUnitOfWork = Depends(new_uow)
"""Annotate with the service's unit-of-work port: ``Annotated[XUoW, NewUnitOfWork]``."""


def clock() -> Clock:
    return utc_now


ClockDep = Annotated[Clock, Depends(clock)]
