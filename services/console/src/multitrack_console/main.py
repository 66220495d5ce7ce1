"""``uvicorn --factory multitrack_console.main:create_app`` (port 8080 by default)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from multitrack_console.bootstrap import ConsoleParts, ConsoleSettings
from multitrack_console.entrypoints.web.deps import CsrfRefused, SignInNeeded
from multitrack_console.entrypoints.web.pages import render
from multitrack_console.entrypoints.web.routes import routers
from multitrack_console.entrypoints.web.sessions import ServerSessionMiddleware
from multitrack_shared.heap import freeze_startup_heap

STATIC = Path(__file__).parent / "entrypoints" / "web" / "static"


def create_app(
    settings: ConsoleSettings | None = None, parts: ConsoleParts | None = None
) -> FastAPI:
    parts = parts or ConsoleParts(settings or ConsoleSettings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        freeze_startup_heap()
        yield
        await parts.close()

    app = FastAPI(
        title="Multitrack console",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.console = parts.state
    for router in routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        ServerSessionMiddleware, store=parts.state.sessions, secure=parts.state.secure_cookies
    )
    app.add_middleware(ServerTiming)
    app.add_exception_handler(SignInNeeded, to_sign_in)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    return app


class ServerTiming:
    """``Server-Timing: app;dur=<ms>``: how long the console took to start answering, its
    services' calls included (plain ASGI, so the live feed's stream passes untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                spent = (time.perf_counter() - started) * 1000
                MutableHeaders(scope=message).append("Server-Timing", f"app;dur={spent:.1f}")
            await send(message)

        await self.app(scope, receive, timed)


async def to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInNeeded)
    return RedirectResponse(f"/login?{urlencode({'then': exc.then})}", status_code=303)


async def csrf_refused(request: Request, exc: Exception) -> HTMLResponse:
    return render(request, "csrf_refused.html", None, status_code=403)
