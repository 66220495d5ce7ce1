"""Signing people in through the identity provider: OIDC authorization code with PKCE.

Authlib's Starlette client does the protocol (state, nonce, the PKCE verifier kept in the
server-side session, the code exchange and the ID token's checks). The access token it brings
back is then verified the way every service verifies it (``shared.auth.tokens``), so the
console knows the person's organization and roles exactly as the services will see them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from starlette.requests import Request
from starlette.responses import Response

from multitrack_shared.auth.principal import Principal
from multitrack_shared.auth.tokens import TokenVerifier

PROVIDER = "identity_provider"
CALLBACK = "/auth/callback"
RENEW_BEFORE_SECONDS = 30


@dataclass(frozen=True)
class SignedIn:
    """What a session keeps of a signed-in person."""

    person: dict[str, Any]
    tokens: dict[str, Any]


class SignIn:
    def __init__(
        self, discovery_url: str, client_id: str, public_url: str, verifier: TokenVerifier
    ) -> None:
        self._public_url = public_url.rstrip("/")
        self._verifier = verifier
        self._oauth = OAuth()
        self._oauth.register(
            PROVIDER,
            client_id=client_id,
            server_metadata_url=discovery_url,
            client_kwargs={
                "scope": "openid",
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "none",  # a public client: PKCE, no secret
            },
        )

    @property
    def _client(self) -> StarletteOAuth2App:
        client = self._oauth.create_client(PROVIDER)
        assert isinstance(client, StarletteOAuth2App)
        return client

    async def start(self, request: Request) -> Response:
        """The redirect to the identity provider's own sign-in page."""
        answer: Response = await self._client.authorize_redirect(
            request, f"{self._public_url}{CALLBACK}"
        )
        return answer

    async def complete(self, request: Request) -> SignedIn:
        """The person the identity provider sent back (raises Authlib's ``OAuthError``)."""
        token: dict[str, Any] = await self._client.authorize_access_token(request)
        return await self._signed_in(token)

    async def renew(self, tokens: dict[str, Any]) -> SignedIn | None:
        """Fresh tokens from the refresh token; None when the provider refuses them."""
        try:
            token: dict[str, Any] = await self._client.fetch_access_token(
                grant_type="refresh_token", refresh_token=tokens["refresh_token"]
            )
            token.setdefault("id_token", tokens.get("id_token"))
            return await self._signed_in(token)
        except Exception:
            return None

    async def sign_out_url(self, id_token: str | None) -> str:
        """The provider's end-of-session page, which brings the person back here."""
        metadata: dict[str, Any] = await self._client.load_server_metadata()
        query = {"post_logout_redirect_uri": f"{self._public_url}/"}
        query["client_id"] = str(self._client.client_id)
        if id_token:
            query["id_token_hint"] = id_token
        return f"{metadata['end_session_endpoint']}?{urlencode(query)}"

    async def _signed_in(self, token: dict[str, Any]) -> SignedIn:
        principal = await self._verifier.verify(token["access_token"])
        return SignedIn(
            person=person_of(principal),
            tokens={
                "access_token": token["access_token"],
                "refresh_token": token.get("refresh_token"),
                "id_token": token.get("id_token"),
                "expires_at": float(token.get("expires_at") or time.time() + 60),
            },
        )


def person_of(principal: Principal) -> dict[str, Any]:
    return {
        "subject": principal.subject,
        "username": principal.username or principal.subject,
        "organization": principal.organization,
        "roles": sorted(role.value for role in principal.roles),
    }


def needs_renewal(tokens: dict[str, Any], now: float) -> bool:
    return float(tokens.get("expires_at", 0)) - now < RENEW_BEFORE_SECONDS
