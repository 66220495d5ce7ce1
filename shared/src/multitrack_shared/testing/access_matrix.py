"""The mechanics of a service's access tests: each operation called as each kind of caller.

A service's test lists one ``Call`` per operation, on records it set up, and checks that the
list covers the app (``operations_of``), so that a new route cannot be left out::

    calls = [Call("POST", "/lessons", json=...), Call("GET", "/lessons/{lesson_id}", ids)]
    assert {c.operation for c in calls} == operations_of(app)

    await refused_unauthenticated(api, call, None, "token_missing", db.snapshot)
    await refused(api, call, tokens.auth("org-a", "evaluator"), 403, "role_required", db.snapshot)

A refused call must answer the error body with its status and code, and leave every table it
could have written (``snapshot``: the owned tables, the outbox, the audit log) as it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from multitrack_shared.http.auth import OPEN_PATHS


@dataclass(frozen=True)
class Call:
    """One operation called on concrete records: ``operation`` is its path template."""

    method: str
    operation_path: str
    """The route's path, with its ``{parameters}``, as the app declares it."""
    ids: dict[str, str] = field(default_factory=dict)
    """The path parameters' values."""
    json: Any = None

    @property
    def operation(self) -> str:
        return f"{self.method} {self.operation_path}"

    @property
    def path(self) -> str:
        return self.operation_path.format(**self.ids)

    async def send(self, api: httpx.AsyncClient, auth: httpx.Auth | None) -> httpx.Response:
        """The request as ``auth`` (None: anonymous)."""
        return await api.request(self.method, self.path, json=self.json, auth=auth)

    def __str__(self) -> str:
        return self.operation


def operations_of(app: FastAPI) -> set[str]:
    """``METHOD /path/{parameter}`` of every operation of ``app`` outside ``OPEN_PATHS``."""
    return {
        f"{method} {context.path}"
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and context.path not in OPEN_PATHS
        for method in context.methods or ()
    }


async def refused(
    api: httpx.AsyncClient,
    call: Call,
    auth: httpx.Auth | None,
    status: int,
    code: str,
    snapshot: Callable[[], Awaitable[Any]],
) -> httpx.Response:
    """``call`` as ``auth`` answers ``status`` with the error body naming ``code`` and changes
    nothing ``snapshot`` reads; the response, for more checks."""
    before = await snapshot()
    response = await call.send(api, auth)
    assert (response.status_code, _code(response)) == (status, code), (
        f"{call}: {response.status_code} {response.text}"
    )
    assert await snapshot() == before, f"{call} changed what it was refused"
    return response


async def refused_unauthenticated(
    api: httpx.AsyncClient,
    call: Call,
    auth: httpx.Auth | None,
    code: str,
    snapshot: Callable[[], Awaitable[Any]],
) -> None:
    """``call`` as ``auth`` (None: anonymous) answers 401 with ``code`` and the bearer
    challenge, and changes nothing."""
    response = await refused(api, call, auth, 401, code, snapshot)
    assert response.headers["WWW-Authenticate"].startswith("Bearer "), call


def _code(response: httpx.Response) -> str | None:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None
