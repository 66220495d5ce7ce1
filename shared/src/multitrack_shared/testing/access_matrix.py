"""The mechanics of a service's access tests: each operation called as each kind of caller.

A service's test names how to call each of its operations, keyed as ``METHOD /path/{param}``,
and proves it named every one, so that a new route cannot be left out::

    calls = {"GET /things/{thing_id}": Call("GET", f"/things/{thing_id}"), ...}
    assert sorted(calls) == protected_operations(app)

``refused`` then checks that a caller the policy turns away gets the status and error code it
must, and that what the service stores is as it was (``ServiceTables.snapshot``).
``unverifiable`` lists the credentials every operation must refuse with 401, and ``values_at``
reads what a response shows at a path of ``personal.marked_fields``, to check that personal
data is withheld.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from multitrack_shared.http.auth import protected_operations
from multitrack_shared.testing.tokens import TokenSource, bearer

__all__ = [
    "Call",
    "operations_calls",
    "protected_operations",
    "refused",
    "unverifiable",
    "values_at",
]


@dataclass(frozen=True)
class Call:
    """One request to an operation: a method, a concrete path and a body (None: no body)."""

    method: str
    path: str
    body: Any = None

    async def send(self, client: httpx.AsyncClient, auth: httpx.Auth | None) -> httpx.Response:
        """The request as ``auth`` (None: anonymous)."""
        return await client.request(self.method, self.path, json=self.body, auth=auth)


def operations_calls() -> dict[str, Call]:
    """The operations endpoints every service serves to consortium admins
    (``multitrack_shared.operations``), for a service's matrix to include."""
    return {
        "GET /operations/messaging": Call("GET", "/operations/messaging"),
        "GET /operations/events/{event_id}": Call("GET", "/operations/events/no-such-event"),
        "GET /operations/dead-letters": Call("GET", "/operations/dead-letters"),
        "POST /operations/dead-letters/replay": Call(
            "POST", "/operations/dead-letters/replay", {"event_ids": ["no-such-event"]}
        ),
        "POST /operations/read-models/rebuild": Call("POST", "/operations/read-models/rebuild"),
        "GET /operations/read-models/rebuild": Call("GET", "/operations/read-models/rebuild"),
        "GET /operations/settings": Call("GET", "/operations/settings"),
    }


async def refused(
    client: httpx.AsyncClient,
    call: Call,
    *,
    auth: httpx.Auth | None,
    status: int,
    code: str,
    stored: Callable[[], Awaitable[object]],
) -> httpx.Response:
    """``call`` as ``auth`` answers ``status`` with the error ``code``, and ``stored()`` reads
    the same after it as before. A 401 challenges for a bearer token."""
    before = await stored()
    response = await call.send(client, auth)
    answered = (response.status_code, response.json().get("error", {}).get("code"))
    assert answered == (status, code), f"{call.method} {call.path}: {response.text}"
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer "), response.headers
    assert await stored() == before, f"{call.method} {call.path} changed what is stored"
    return response


async def unverifiable(
    tokens: TokenSource, expired: str, organization: str = "org-a", role: str = "coordinator"
) -> list[tuple[httpx.Auth | None, str]]:
    """Who every operation turns away with 401, and the error code each gets: no token, an
    ``expired`` one, one of ``organization``'s ``role`` signed with a key the issuer never had,
    and something that is no token at all."""
    return [
        (None, "token_missing"),
        (bearer(expired), "token_expired"),
        (bearer(await tokens.forged(organization, role)), "token_invalid"),
        (bearer("not-a-token"), "token_invalid"),
    ]


def values_at(document: Any, path: str) -> list[Any]:
    """What ``document`` (a response's JSON) holds at ``path``, a ``MarkedField.path``: dotted,
    ``[]`` for a list's items, ``{}`` for a mapping's values. A part missing or null on the
    way contributes nothing."""
    found = [document]
    for part in path.split("."):
        name, spread = part.rstrip("[]{}"), part[len(part.rstrip("[]{}")) :]
        found = [item[name] for item in found if isinstance(item, dict) and name in item]
        for _ in range(len(spread) // 2):
            found = [v for item in found if item is not None for v in _items(item)]
    return found


def _items(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list) else []
