"""A real HTTP receiver of webhooks, for tests: uvicorn on a loopback port, in the test's event
loop. It records every request it accepts (headers and the body as sent) and answers 204, or
500 while ``failing``; ``stop`` takes it down (connections are refused) and ``start`` brings
it back on the same port."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from multitrack_shared.testing.paths import free_port


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    failing: bool = False
    received: list[Received] = field(default_factory=list)
    """Requests answered 2xx, in the order they came."""
    refused: int = 0
    """Requests answered 500 while failing."""
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/events"

    async def _accept(self, request: Request) -> Response:
        body = await request.body()
        if self.failing:
            self.refused += 1
            return Response(status_code=500)
        self.received.append(Received(dict(request.headers), body))
        return Response(status_code=204)

    async def start(self) -> None:
        app = Starlette(routes=[Route("/events", self._accept, methods=["POST"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()  # the error that kept it from starting
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._server = None
        self._task = None
