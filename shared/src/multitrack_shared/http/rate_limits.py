"""Rate limits: how many requests a client, and an organization, may make to a service.

Two limits, each counted in a sliding window by the ``limits`` library: one per client (a
client's credentials, or a person signed in), ``rate_limit_client``; one shared by everyone of
an organization, ``rate_limit_organization`` (consortium-wide callers have none). Past either,
the answer is 429 ``rate_limited`` with ``Retry-After``: the seconds until the window lets
another request through. An empty setting turns its limit off. Health, metrics and the
documentation (``OPEN_PATHS``) are never limited; a request without a valid token is not counted
(it is refused anyway).

The counters live in ``rate_limit_storage``: ``memory://`` counts in this process alone, so
several replicas of a service each allow the whole limit unless they share a storage (Redis,
Valkey, Memcached or MongoDB, as the library supports).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Receive, Scope, Send

from multitrack_shared.auth.principal import Principal, PrincipalKind
from multitrack_shared.http.auth import OPEN_PATHS, caller_if_any
from multitrack_shared.http.errors import error_response
from multitrack_shared.settings import ServiceSettings

RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class Counted:
    """What one limit counts: its name in the answer, its windows, and the caller's counter."""

    name: str
    items: tuple[RateLimitItem, ...]

    def counter_of(self, caller: Principal) -> str | None:
        if self.name == "client":
            if caller.kind is PrincipalKind.client and caller.client_id:
                return f"client:{caller.client_id}"
            return f"person:{caller.subject}"
        return None if caller.organization is None else f"organization:{caller.organization}"


class RateLimits:
    def __init__(self, app: ASGIApp, settings: ServiceSettings) -> None:
        self.app = app
        self.service = settings.service_name
        self.limits = tuple(
            Counted(name, tuple(parse_many(setting)))
            for name, setting in (
                ("client", settings.rate_limit_client),
                ("organization", settings.rate_limit_organization),
            )
            if setting
        )
        storage = settings.rate_limit_storage
        self.limiter = SlidingWindowCounterRateLimiter(
            storage_from_string(storage if storage.startswith("async+") else f"async+{storage}")
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS or not self.limits:
            await self.app(scope, receive, send)
            return
        caller = await caller_if_any(Request(scope, receive))
        if caller is not None:
            for counted in self.limits:
                counter = counted.counter_of(caller)
                if counter is None:
                    continue
                for item in counted.items:
                    if not await self.limiter.hit(item, self.service, counter):
                        await self._refused(counted, item, counter)(scope, receive, send)
                        return
        await self.app(scope, receive, send)

    async def _refused_in(self, item: RateLimitItem, counter: str) -> int:
        stats = await self.limiter.get_window_stats(item, self.service, counter)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def _refused(self, counted: Counted, item: RateLimitItem, counter: str) -> ASGIApp:
        async def answer(scope: Scope, receive: Receive, send: Send) -> None:
            seconds = await self._refused_in(item, counter)
            response = error_response(
                429,
                RATE_LIMITED,
                f"Too many requests: the {counted.name} limit of {item} is reached; retry in "
                f"{seconds} s.",
                [],
                {"Retry-After": str(seconds)},
            )
            await response(scope, receive, send)

        return answer
