"""HTTP requests counted and timed by method, route template and status.

The route is the template the request matched (``/invitations/{invitation_id}``), found by
matching the app's routes against the request before anything answers it, so that a request
refused by a middleware (a body too large) still counts under its route. A path no route
matches counts as ``unmatched``: raw paths, which carry record ids, never become labels.
"""

from __future__ import annotations

import time

from starlette.routing import Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from multitrack_shared.observability.metrics import ServiceMetrics

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Any other method counts as ``other``: a client must not grow the label set."""


def route_of(router: Router, scope: Scope) -> str:
    """The template of the route ``scope`` matches; a route matched by path alone (another
    method) still names it."""
    for route in router.routes:
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            return str(getattr(route, "path", UNMATCHED))
    return UNMATCHED


class HttpMetrics:
    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics, router: Router) -> None:
        self.app = app
        self.metrics = metrics
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in METHODS else "other"
        route = route_of(self.router, scope)
        status = 500  # unless a response starts: an exception that escapes is a server error
        started = time.perf_counter()

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.http_in_flight.inc()
        try:
            await self.app(scope, receive, observed)
        finally:
            self.metrics.http_in_flight.dec()
            self.metrics.http_duration.labels(method, route).observe(time.perf_counter() - started)
            self.metrics.http_requests.labels(method, route, str(status)).inc()
            if status >= 500:
                self.metrics.http_errors.labels(method, route, str(status)).inc()
