"""Request dependencies every service's routes share, as ``Annotated`` aliases.

A service declares its typed unit-of-work dependency in one line, in its
``entrypoints/api/deps.py``::

    UowDep = Annotated[InvitationsUoW, NewUnitOfWork]

and routes take ``uow: UowDep, clock: ClockDep``. Tests replace the clock with
``app.dependency_overrides[clock] = ...``. Who is asking is ``http.auth.CallerDep``; the unit
of work knows it too (and the request's id), for the audit entries its commit writes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from multitrack_shared.db.uow import UnitOfWork
from multitrack_shared.http.auth import authenticated_caller
from multitrack_shared.http.idempotency import claim_of
from multitrack_shared.http.request_id import request_id_of
from multitrack_shared.ports import Clock
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.times import utc_now


async def new_uow(request: Request) -> UnitOfWork:
    """A fresh, unopened unit of work of the running service, acting for the request's caller;
    a request sent with a new ``Idempotency-Key`` commits with its answer (``http.idempotency``)."""
    runtime: ServiceRuntime[Any] = request.app.state.runtime
    uow: UnitOfWork = runtime.new_uow()
    uow.committed_by(claim_of(request))
    return uow.acting_as(await authenticated_caller(request), request_id_of(request))


NewUnitOfWork = Depends(new_uow)
"""Annotate with the service's unit-of-work port: ``Annotated[XUoW, NewUnitOfWork]``."""


def clock() -> Clock:
    return utc_now


ClockDep = Annotated[Clock, Depends(clock)]
