"""The running platform as the operator reaches it: each service's operations endpoints with
the consortium admin's token, and the broker as the read-only ``operator`` principal."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from multitrack_cli.settings import SERVICES, CliSettings
from multitrack_shared.settings import ServiceSettings

OPERATOR = "operator"


class OperatorError(Exception):
    """Something the operator must fix first (a file, a credential, a service)."""


@dataclass(frozen=True)
class Credentials:
    token_endpoint: str
    client_id: str
    client_secret: str
    kafka: dict[str, Any]


def read_credentials(path: Path, client_id: str) -> Credentials:
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise OperatorError(f"cannot read the credentials file {path}: {exc}") from exc
    client = next((c for c in document.get("clients", []) if c["client_id"] == client_id), None)
    if client is None:
        raise OperatorError(f"{path} names no client {client_id!r}")
    if "kafka" not in document:
        raise OperatorError(f"{path} has no `kafka` entry (the broker's operator login)")
    return Credentials(
        document["token_endpoint"], client_id, client["client_secret"], document["kafka"]
    )


class ClientToken(httpx.Auth):
    """The admin client's bearer token (client credentials), fetched again before it expires."""

    RENEW_BEFORE_SECONDS = 30

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials
        self._token = ""
        self._renew_at = 0.0

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if time.monotonic() >= self._renew_at:
            await self._fetch()
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise NotImplementedError("the command line calls the services asynchronously")

    async def _fetch(self) -> None:
        c = self._credentials
        async with httpx.AsyncClient(timeout=15) as http:
            try:
                granted = await http.post(
                    c.token_endpoint,
                    data={"grant_type": "client_credentials"},
                    auth=(c.client_id, c.client_secret),
                )
            except httpx.HTTPError as exc:
                raise OperatorError(f"the identity provider does not answer: {exc!r}") from exc
        if granted.status_code != 200:
            raise OperatorError(
                f"no token for {c.client_id}: {granted.status_code} {granted.text[:200]}"
            )
        body = granted.json()
        self._token = str(body["access_token"])
        self._renew_at = time.monotonic() + max(
            float(body["expires_in"]) - self.RENEW_BEFORE_SECONDS, 0
        )


class Platform:
    """The four services and the broker, as the operator."""

    def __init__(self, settings: CliSettings) -> None:
        self.settings = settings
        self.credentials = read_credentials(settings.credentials, settings.admin_client)
        self.http = httpx.AsyncClient(
            auth=ClientToken(self.credentials), timeout=settings.http_timeout_seconds
        )
        self.services = SERVICES

    async def close(self) -> None:
        await self.http.aclose()

    def url(self, service: str, path: str) -> str:
        return f"{self.settings.service_url(service)}{path}"

    async def get(self, service: str, path: str, **params: Any) -> Any:
        return await self._call("GET", service, path, params=params or None)

    async def post(self, service: str, path: str, body: Any = None) -> Any:
        return await self._call("POST", service, path, json=body)

    async def _call(self, method: str, service: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self.http.request(method, self.url(service, path), **kwargs)
        except httpx.HTTPError as exc:
            raise OperatorError(f"{service} does not answer: {exc!r}") from exc
        if response.is_error:
            raise OperatorError(f"{service} answered {response.status_code}: {response.text}")
        return response.json()

    def operator_settings(self) -> ServiceSettings:
        """The operator's broker login, in the platform's namespace: the shared Kafka
        clients (``messaging.kafka``) take it as they take a service's settings."""
        kafka = self.credentials.kafka
        protocol = kafka.get("security_protocol") or "PLAINTEXT"
        login: dict[str, Any] = {}
        if protocol != "PLAINTEXT":
            login = {
                "kafka_sasl_mechanism": kafka.get("sasl_mechanism") or "SCRAM-SHA-512",
                "kafka_username": kafka.get("username") or OPERATOR,
                "kafka_password": SecretStr(kafka.get("password") or ""),
            }
        return ServiceSettings(
            service_name=OPERATOR,
            topic_namespace=self.settings.topic_namespace,
            kafka_bootstrap_servers=self.settings.kafka_bootstrap_servers
            or kafka["bootstrap_servers"],
            kafka_security_protocol=protocol,
            **login,
        )
