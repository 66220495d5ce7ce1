"""The four services' HTTP APIs, called with the signed-in person's bearer token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from multitrack_console.application.ports import Json, Problem, Refused, Service


class HttpPlatformApi:
    """One person's view of the platform: every call carries their token."""

    def __init__(self, http: httpx.AsyncClient, urls: Mapping[str, str], token: str) -> None:
        self._http = http
        self._urls = urls
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    async def get(
        self, service: Service, path: str, params: Mapping[str, str | int] | None = None
    ) -> Json:
        answer = await self._http.get(
            self._url(service, path), params=dict(params or {}), headers=self._headers
        )
        return _json(answer)

    async def get_or_none(self, service: Service, path: str) -> Json:
        answer = await self._http.get(self._url(service, path), headers=self._headers)
        if answer.status_code == 404:
            return None
        return _json(answer)

    async def post(self, service: Service, path: str, body: Json) -> Json:
        answer = await self._http.post(self._url(service, path), json=body, headers=self._headers)
        return _json(answer)

    async def put(self, service: Service, path: str, body: Json) -> Json:
        answer = await self._http.put(self._url(service, path), json=body, headers=self._headers)
        return _json(answer)

    def _url(self, service: Service, path: str) -> str:
        return f"{self._urls[service]}{path}"


def _json(answer: httpx.Response) -> Json:
    if answer.is_success:
        return answer.json() if answer.content else None
    raise _refusal(answer)


def _refusal(answer: httpx.Response) -> Refused:
    """The documented error body (``shared/http/errors.py``) as a ``Refused``."""
    try:
        error: dict[str, Any] = answer.json().get("error", {})
    except ValueError:
        error = {}
    problems = tuple(
        Problem(
            field=str(problem.get("field", "")).removeprefix("body."),
            message=str(problem.get("message", "")),
        )
        for problem in error.get("fields", []) or []
    )
    return Refused(
        status=answer.status_code,
        code=str(error.get("code", "http_error")),
        message=str(error.get("message", f"The service answered {answer.status_code}.")),
        problems=problems,
    )
