from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_shared.http.app import new_uow
from multitrack_shared.ports import Clock


def uow(request: Request) -> EngagementsUoW:
    return cast(EngagementsUoW, new_uow(request))


def clock() -> Clock:
    return lambda: datetime.now(UTC)


UowDep = Annotated[EngagementsUoW, Depends(uow)]
ClockDep = Annotated[Clock, Depends(clock)]
