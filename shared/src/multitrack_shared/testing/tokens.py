"""Bearer tokens for tests, from the real identity provider.

``TokenSource`` hands out tokens of the demo consortium's clients and people, cached until
shortly before they expire, and the tokens a service must refuse: expired (a client whose
tokens live one second), forged (a real token's claims signed again with a throwaway key, a
test forgery only), meant for another audience, and those of a client disabled since::

    async with client_of(app, auth=tokens.auth("org-a", "coordinator")) as api:
        await api.get("/lessons")                                   # as org-a's coordinator
        await api.get("/lessons", auth=tokens.auth("org-b", "observer"))
        await api.get("/lessons", auth=bearer(await tokens.expired()))
        await api.get("/lessons", auth=None)                        # anonymous
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from multitrack_shared.testing.consortium import (
    CONSOLE_CLIENT_ID,
    ClientCredentials,
    Consortium,
    add_service_client,
)
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.polling import eventually


class TokenRefused(Exception):
    """The identity provider gave no token (a wrong secret, a disabled client)."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(f"{status} {error}")
        self.status = status
        self.error = error


class BearerAuth(httpx.Auth):
    """Sends ``Authorization: Bearer <token>``, asking for the token at each request."""

    def __init__(self, token: Callable[[], Awaitable[str]]) -> None:
        self._token = token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        request.headers["Authorization"] = f"Bearer {await self._token()}"
        yield request


def bearer(token: str) -> BearerAuth:
    """Sends this very token."""

    async def given() -> str:
        return token

    return BearerAuth(given)


class TokenSource:
    def __init__(
        self, keycloak: IdentityProvider, consortium: Consortium, renew_before: float = 30
    ) -> None:
        self.keycloak = keycloak
        self.consortium = consortium
        self._renew_before = renew_before
        self._cache: dict[str, tuple[str, float]] = {}
        self._forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._short_lived: ClientCredentials | None = None

    async def for_client(
        self, organization: str | None = "org-a", role: str = "coordinator"
    ) -> str:
        """A token of the demo client of ``organization`` holding ``role`` (cached)."""
        client = self.consortium.client(organization, role)
        return await self._cached(client.client_id, lambda: self._grant(_credentials(client)))

    async def for_person(self, organization: str | None, role: str) -> str:
        """A token of the demo person of ``organization`` holding ``role`` (cached)."""
        person = self.consortium.user(organization, role)
        form = {
            "grant_type": "password",
            "client_id": CONSOLE_CLIENT_ID,
            "username": person.username,
            "password": person.password,
        }
        return await self._cached(person.username, lambda: self._grant(form))

    def auth(
        self, organization: str | None = "org-a", role: str = "coordinator", *, person: bool = False
    ) -> BearerAuth:
        """Authenticates each request as that client (or person), renewing its token in time."""
        if person:
            return BearerAuth(lambda: self.for_person(organization, role))
        return BearerAuth(lambda: self.for_client(organization, role))

    async def token_of(self, client: ClientCredentials) -> str:
        """A fresh token of ``client``; ``TokenRefused`` when it gets none."""
        token, _ = await self._grant(_credentials(client))
        return token

    async def new_client(
        self, organization: str | None, role: str, *, lifespan_seconds: int | None = None
    ) -> ClientCredentials:
        """A client of its own for a test (to disable, for example)."""
        client_id = f"test-{role}-{uuid.uuid4().hex[:8]}"

        def provision() -> ClientCredentials:
            with self.keycloak.admin() as admin:
                if lifespan_seconds is None:
                    return add_service_client(admin, client_id, organization, role)
                secret = admin.ensure_service_client(
                    client_id,
                    organization,
                    [role],
                    "a test client with short-lived tokens",
                    token_lifespan_seconds=lifespan_seconds,
                )
                return ClientCredentials(client_id, secret, organization, [role])

        return await asyncio.to_thread(provision)

    async def disable(self, client: ClientCredentials) -> None:
        def switch_off() -> None:
            with self.keycloak.admin() as admin:
                admin.set_client_enabled(client.client_id, False)

        await asyncio.to_thread(switch_off)

    async def expired(self, leeway: float = 0) -> str:
        """A real token of org-a's coordinator role that expired more than ``leeway`` ago."""
        if self._short_lived is None:
            self._short_lived = await self.new_client("org-a", "coordinator", lifespan_seconds=1)
        token = await self.token_of(self._short_lived)
        expiry = float(jwt.decode(token, options={"verify_signature": False})["exp"])

        async def past() -> bool:
            return time.time() > expiry + leeway

        await eventually(past, within=leeway + 10, what="the short-lived token to expire")
        return token

    async def forged(
        self,
        organization: str | None = "org-a",
        role: str = "coordinator",
        *,
        kid: str | None = None,
        claims: Mapping[str, Any] | None = None,
    ) -> str:
        """A real token's claims, changed by ``claims``, signed with a key the issuer never had.

        The header keeps the real key id unless ``kid`` names another.
        """
        real = await self.for_client(organization, role)
        header = jwt.get_unverified_header(real)
        payload = {**jwt.decode(real, options={"verify_signature": False}), **(claims or {})}
        return jwt.encode(
            payload, self._forger, algorithm="RS256", headers={"kid": kid or header["kid"]}
        )

    async def for_other_audience(self) -> str:
        """A real token of the realm, for a client whose tokens do not name multitrack."""
        client = await self.new_client("org-a", "coordinator")

        def detach() -> None:
            with self.keycloak.admin() as admin:
                admin.remove_default_scope(client.client_id, "multitrack")

        await asyncio.to_thread(detach)
        return await self.token_of(client)

    def forget(self) -> None:
        """Drop every cached token (after the realm's signing keys changed)."""
        self._cache.clear()

    async def _cached(self, key: str, grant: Callable[[], Awaitable[tuple[str, float]]]) -> str:
        held = self._cache.get(key)
        if held is not None and time.monotonic() < held[1]:
            return held[0]
        token, lifetime = await grant()
        self._cache[key] = (token, time.monotonic() + lifetime - self._renew_before)
        return token

    async def _grant(self, form: dict[str, str]) -> tuple[str, float]:
        async with httpx.AsyncClient(timeout=15) as http:
            response = await http.post(self.keycloak.issuer.token_endpoint, data=form)
        body = response.json()
        if response.status_code != 200:
            raise TokenRefused(response.status_code, str(body.get("error")))
        return str(body["access_token"]), float(body["expires_in"])


def _credentials(client: ClientCredentials) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
    }
