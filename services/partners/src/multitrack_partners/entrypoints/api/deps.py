from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from multitrack_partners.application.ports import PartnersUoW
from multitrack_shared.http.app import new_uow
from multitrack_shared.ports import Clock


def uow(request: Request) -> PartnersUoW:
    return cast(PartnersUoW, new_uow(request))


def clock() -> Clock:
    return lambda: datetime.now(UTC)


UowDep = Annotated[PartnersUoW, Depends(uow)]
ClockDep = Annotated[Clock, Depends(clock)]
