"""The four services faked at the HTTP boundary: an httpx transport answering canned JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

URLS = {
    "invitations": "http://invitations.test",
    "engagements": "http://engagements.test",
    "partners": "http://partners.test",
    "evaluation": "http://evaluation.test",
}
Answer = tuple[int, Any] | Callable[[httpx.Request], tuple[int, Any]]


@dataclass
class FakePlatform:
    """Routes ``(service, METHOD, path)`` to an answer; records every request."""

    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, service: str, method: str, path: str, answer: Answer) -> None:
        self.answers[(service, method, path)] = answer

    def sent(self, method: str, path: str) -> list[Any]:
        """The JSON bodies sent with ``method`` to ``path``."""
        return [
            json.loads(r.content)
            for r in self.requests
            if r.method == method and r.url.path == path
        ]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        service = next(n for n, u in URLS.items() if httpx.URL(u).host == request.url.host)
        answer = self.answers.get((service, request.method, request.url.path))
        if answer is None:
            return httpx.Response(
                404, json={"error": {"code": "not_found", "message": "Not found.", "fields": []}}
            )
        status, body = answer(request) if callable(answer) else answer
        return httpx.Response(status, json=body)
