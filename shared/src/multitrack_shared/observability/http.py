"""HTTP requests counted and timed by method, route template and status.

The route is the template the request matched (``/invitations/{invitation_id}``): the one the
router chose, or, for a request a middleware answered before routing (a body too large), the
template of the app's OpenAPI document its path fits. A path that fits none counts as
``unmatched``: raw paths, which carry record ids, never become labels.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from multitrack_shared.observability.metrics import ServiceMetrics

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Any other method counts as ``other``: a client must not grow the label set."""


class RouteTemplates:
    """Finds the template a raw path fits, among those ``paths()`` names (read once)."""

    def __init__(self, paths: Callable[[], Iterable[str]]) -> None:
        self._paths = paths
        self._patterns: list[tuple[re.Pattern[str], str]] | None = None

    def template_of(self, path: str) -> str:
        if self._patterns is None:
            self._patterns = [
                (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(t)) + "$"), t)
                for t in self._paths()
            ]
        return next((t for pattern, t in self._patterns if pattern.match(path)), UNMATCHED)


class HttpMetrics:
    def __init__(
        self, app: ASGIApp, *, metrics: ServiceMetrics, paths: Callable[[], Iterable[str]]
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = RouteTemplates(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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
            self._count(scope, status, time.perf_counter() - started)

    def _count(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope["method"] if scope["method"] in METHODS else "other"
        routed = getattr(scope.get("route"), "path", None)  # set by the router it reached
        route = routed if isinstance(routed, str) else self.templates.template_of(scope["path"])
        self.metrics.http_duration.labels(method, route).observe(seconds)
        self.metrics.http_requests.labels(method, route, str(status)).inc()
        if status >= 500:
            self.metrics.http_errors.labels(method, route, str(status)).inc()
