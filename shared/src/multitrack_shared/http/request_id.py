"""Every request has an id: the caller's ``X-Request-ID`` when it is a sane one, else a new one.

The id comes back in the response's ``X-Request-ID``, is bound to every log line written while
the request runs, and names the request in the audit entries of what it changed.
"""

from __future__ import annotations

import re
import uuid

import structlog
from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
"""Ids of up to 128 letters, digits and ``._:-`` (UUIDs, trace ids); anything else is replaced."""
CALLER_LOG_KEYS = ("subject", "organization", "client_id")
"""Bound to the log context once the caller is known (``http.auth``)."""


class RequestId:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(HEADER.lower().encode(), b"")
        request_id = _sane(given) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                message["headers"] = [*headers, (b"x-request-id", request_id.encode())]
            await send(message)

        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.reset_contextvars(**tokens)
            # A connection kept alive runs its next request in this same context.
            structlog.contextvars.unbind_contextvars(*CALLER_LOG_KEYS)


def request_id_of(request: Request) -> str | None:
    found = getattr(request.state, "request_id", None)
    return found if isinstance(found, str) else None


def _sane(given: bytes) -> str | None:
    try:
        text = given.decode("ascii")
    except UnicodeDecodeError:
        return None
    return text if VALID.fullmatch(text) else None
