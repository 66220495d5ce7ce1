"""What the console's pages need from outside: the four services' HTTP APIs, as the person."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Service = Literal["invitations", "engagements", "partners", "evaluation"]
Json = Any


@dataclass(frozen=True)
class Problem:
    """One field the service refused: its dotted path in the request body (``dac.impact.score``,
    without the ``body.`` the request validation puts first) and why."""

    field: str
    message: str


@dataclass(frozen=True)
class Refused(Exception):
    """A service refused a call: its status and the error body's message and field problems."""

    status: int
    code: str
    message: str
    problems: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        return self.message


class PlatformApi(Protocol):
    """The four services' APIs, called with the signed-in person's token."""

    async def get(
        self, service: Service, path: str, params: Mapping[str, str | int] | None = None
    ) -> Json: ...

    async def get_or_none(self, service: Service, path: str) -> Json:
        """The answer, or None when the record is not found (or hidden)."""
        ...

    async def post(self, service: Service, path: str, body: Json) -> Json: ...

    async def put(self, service: Service, path: str, body: Json) -> Json: ...


class FeedSource(Protocol):
    """The consortium's live events: the partner feed's consortium-visible copies."""

    def subscribe(self) -> AsyncIterator[Json]:
        """Each event from now on, as the feed's CloudEvent (JSON), until the caller stops."""
        ...
