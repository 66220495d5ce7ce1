"""The live feed: the consortium's events as server-sent events.

It is fed from the partner feed topic, which holds copies of consortium-visible events only
(the partners service decides that, ``application/forwarding.py``): every member organization
may read each of them, so no owner-only record ever reaches a person through it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from multitrack_console.entrypoints.web.deps import PersonDep, console_state
from multitrack_console.entrypoints.web.pages import render

router = APIRouter(prefix="/feed")
KEEP_ALIVE = ": keep-alive\n\n"


@router.get("")
async def feed_page(request: Request, person: PersonDep) -> HTMLResponse:
    return render(request, "feed.html", person, live=console_state(request).feed is not None)


@router.get("/events")
async def events(request: Request, person: PersonDep) -> StreamingResponse:
    source = console_state(request).feed

    async def stream() -> AsyncIterator[str]:
        yield KEEP_ALIVE
        if source is None:
            return
        async for event in source.subscribe():
            if await request.is_disconnected():
                return
            yield f"event: platform\ndata: {json.dumps(_shown(event))}\n\n"

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


def _shown(event: dict[str, object]) -> dict[str, object]:
    """What a line of the feed shows: the CloudEvent's type, subject, source and time."""
    return {key: event.get(key) for key in ("id", "type", "subject", "source", "time")}
