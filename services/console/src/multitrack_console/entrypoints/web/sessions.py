"""Server-side sessions: the cookie holds only a random id; what a session holds stays here.

The store is the process's memory: a restart signs everyone out, and several replicas need
sticky routing (the console holds no database of its own, on purpose). The cookie is
``HttpOnly`` (no script reads it), ``SameSite=Lax`` (not sent on cross-site POSTs) and
``Secure`` unless the console is served on a loopback address. Starlette's ``SessionMiddleware``
is not used: it keeps the whole session, tokens included, in the cookie.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "multitrack_console"
RENEW = "_renew"
"""Set in a session to give it a new id at the end of the request (after signing in)."""


class SessionStore:
    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._idle = idle_seconds
        self._clock = clock
        self._sessions: dict[str, tuple[float, dict[str, Any]]] = {}

    def load(self, session_id: str) -> dict[str, Any] | None:
        found = self._sessions.get(session_id)
        if found is None:
            return None
        used_at, data = found
        if self._clock() - used_at > self._idle:
            del self._sessions[session_id]
            return None
        return dict(data)

    def save(self, session_id: str, data: dict[str, Any]) -> None:
        self._sessions[session_id] = (self._clock(), dict(data))
        self._forget_idle()

    def drop(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)

    def new_id(self) -> str:
        return secrets.token_urlsafe(32)

    def seed(self, data: dict[str, Any]) -> str:
        """A new session holding ``data``; its id."""
        session_id = self.new_id()
        self.save(session_id, data)
        return session_id

    def __len__(self) -> int:
        return len(self._sessions)

    def _forget_idle(self) -> None:
        now = self._clock()
        for session_id in [k for k, (t, _) in self._sessions.items() if now - t > self._idle]:
            del self._sessions[session_id]


class ServerSessionMiddleware:
    """Gives each request ``scope["session"]`` (what ``request.session`` reads, Authlib too)."""

    def __init__(self, app: ASGIApp, store: SessionStore, secure: bool) -> None:
        self.app = app
        self.store = store
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        old_id = HTTPConnection(scope).cookies.get(COOKIE)
        loaded = self.store.load(old_id) if old_id else None
        session: dict[str, Any] = loaded or {}
        known_id = old_id if loaded is not None else None
        scope["session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._keep(session, known_id, old_id, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _keep(
        self,
        session: dict[str, Any],
        known_id: str | None,
        old_id: str | None,
        headers: MutableHeaders,
    ) -> None:
        renew = bool(session.pop(RENEW, False))
        if not session:
            if old_id:
                self.store.drop(old_id)
                headers.append("Set-Cookie", self._cookie("", max_age=0))
            return
        session_id = known_id
        if session_id is None or renew:
            if session_id is not None:
                self.store.drop(session_id)
            session_id = self.store.new_id()
            headers.append("Set-Cookie", self._cookie(session_id))
        self.store.save(session_id, session)

    def _cookie(self, value: str, max_age: int | None = None) -> str:
        parts = [f"{COOKIE}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)
