from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_shared.http.app import new_uow


def uow(request: Request) -> EngagementsUoW:
    return cast(EngagementsUoW, new_uow(request))


UowDep = Annotated[EngagementsUoW, Depends(uow)]
