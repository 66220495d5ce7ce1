"""Bearer tokens verified locally: no call to another service per request.

The issuer's signing keys (its JWKS, found through ``<issuer>/.well-known/openid-configuration``
unless ``jwks_url`` is given) are fetched with an async client, cached for
``jwks_cache_seconds`` and fetched again early when a token names a key id the cache lacks (a
key rotation), at most once per ``jwks_min_refresh_seconds``, so that tokens with made-up key
ids cannot make the service hammer the issuer. While the issuer cannot be reached the cached
keys keep serving; with none cached, requests get 503.

A token is accepted when it is signed by one of those keys with an asymmetric algorithm
(``ALGORITHMS``: never ``none``, never an HMAC keyed by a public key), names the issuer, has
the audience in ``aud`` and has not expired (``leeway_seconds`` allowed for clock skew).
Verification is done by PyJWT; its claims become a ``Principal``.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import jwt

from multitrack_shared.auth.principal import Principal, PrincipalKind, Role
from multitrack_shared.errors import Unauthenticated, Unavailable
from multitrack_shared.logging import get_logger
from multitrack_shared.settings import ServiceSettings

log = get_logger(__name__)

ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    audience: str = "multitrack"
    jwks_url: str = ""
    """Empty: the ``jwks_uri`` of the issuer's discovery document."""
    jwks_cache_seconds: float = 300
    jwks_min_refresh_seconds: float = 10
    leeway_seconds: float = 10
    http_timeout_seconds: float = 5


def oidc_config(settings: ServiceSettings) -> OidcConfig | None:
    """How the service verifies bearer tokens; None when it names no issuer."""
    if not settings.oidc_issuer:
        return None
    return OidcConfig(
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        jwks_url=settings.oidc_jwks_url,
        jwks_cache_seconds=settings.oidc_jwks_cache_seconds,
        jwks_min_refresh_seconds=settings.oidc_jwks_min_refresh_seconds,
        leeway_seconds=settings.oidc_leeway_seconds,
    )


class TokenVerifier:
    """Turns a bearer token into the ``Principal`` it vouches for, or raises ``Unauthenticated``."""

    def __init__(
        self,
        config: OidcConfig,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._given_http = http
        self._own_http: httpx.AsyncClient | None = None
        self._keys = _SigningKeys(config, self._http, clock)

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("The bearer token is not a JSON Web Token.") from None
        if header.get("alg") not in ALGORITHMS:
            raise Unauthenticated("The bearer token is not signed with an accepted algorithm.")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise Unauthenticated("The bearer token names no signing key.")
        key = await self._keys.key_for(kid)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=list(ALGORITHMS),
                audience=self.config.audience,
                issuer=self.config.issuer,
                leeway=self.config.leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The bearer token has expired.", code="token_expired") from None
        except jwt.InvalidAudienceError:
            raise Unauthenticated(
                f"The bearer token is not meant for {self.config.audience}."
            ) from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated("The bearer token comes from another issuer.") from None
        except jwt.InvalidSignatureError:
            raise Unauthenticated("The bearer token's signature does not verify.") from None
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"The bearer token is not valid: {exc}.") from None
        return principal_from_claims(claims)

    async def warm_up(self) -> None:
        """Fetch the signing keys now, so that the first request does not wait for them."""
        try:
            await self._keys.refresh()
        except Unavailable as exc:
            log.warning("signing keys not fetched yet", error=exc.message)

    async def close(self) -> None:
        """Close the connections it opened; a later verification opens new ones."""
        if self._own_http is not None:
            await self._own_http.aclose()
            self._own_http = None

    def _http(self) -> httpx.AsyncClient:
        if self._given_http is not None:
            return self._given_http
        if self._own_http is None:
            self._own_http = httpx.AsyncClient(
                timeout=self.config.http_timeout_seconds, verify=_tls_context()
            )
        return self._own_http


@cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verifying context, made once per process: made anew for each client it
    loads the whole CA bundle, tens of milliseconds on the event loop for every verifier."""
    return httpx.create_ssl_context()


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """The caller a verified token names.

    ``organization`` is a list of aliases, or a map keyed by alias when the identity provider
    adds each organization's attributes; a principal acts for an organization only when the
    token names exactly one. Roles other than the platform's are ignored. ``client_id`` is
    present on client-credentials tokens only, which tells a client from a person.
    """
    organizations = _aliases(claims.get("organization"))
    return Principal(
        subject=str(claims["sub"]),
        organization=organizations[0] if len(organizations) == 1 else None,
        roles=frozenset(Role(r) for r in _strings(claims.get("roles")) if r in _ROLE_NAMES),
        kind=PrincipalKind.client if "client_id" in claims else PrincipalKind.person,
        client_id=_text(claims.get("client_id")) or _text(claims.get("azp")),
        username=_text(claims.get("preferred_username")),
    )


_ROLE_NAMES = frozenset(r.value for r in Role)


def _aliases(claim: Any) -> list[str]:
    if isinstance(claim, Mapping):
        return [str(alias) for alias in claim]
    return _strings(claim)


def _strings(claim: Any) -> list[str]:
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, list | tuple):
        return [item for item in claim if isinstance(item, str)]
    return []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


NO_KEYS_RETRY_SECONDS = 1.0
"""How soon a verifier holding no signing key fetches them again."""


class _SigningKeys:
    """The issuer's signing keys by key id, cached and refreshed as the module says."""

    def __init__(
        self,
        config: OidcConfig,
        http: Callable[[], httpx.AsyncClient],
        clock: Callable[[], float],
    ) -> None:
        self._config = config
        self._http = http
        self._clock = clock
        self._jwks_url = config.jwks_url
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str) -> jwt.PyJWK:
        if self._stale() or kid not in self._keys:
            await self._refresh_unless_recent()
        if not self._keys:
            raise _unavailable()
        key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("The bearer token is signed with a key the issuer does not use.")
        return key

    async def refresh(self) -> None:
        """Fetch the keys now; ``Unavailable`` when the issuer does not answer."""
        async with self._lock:
            await self._fetch()

    async def _refresh_unless_recent(self) -> None:
        decided_at = self._attempted_at
        async with self._lock:
            if self._attempted_at != decided_at:
                return  # another request refreshed while this one waited for the lock
            recent = self._attempted_at is not None and (
                self._clock() - self._attempted_at < self._min_refresh_seconds()
            )
            if recent:
                return
            try:
                await self._fetch()
            except Unavailable as exc:
                log.warning("signing keys not fetched", error=repr(exc.__cause__))

    def _min_refresh_seconds(self) -> float:
        # Holding no key, every request is refused anyway: after a failed first fetch (the
        # issuer slow for a moment at start) try again within a second, not after the
        # throttle meant for tokens naming made-up key ids.
        return self._config.jwks_min_refresh_seconds if self._keys else NO_KEYS_RETRY_SECONDS

    def _stale(self) -> bool:
        return (
            self._fetched_at is None
            or self._clock() - self._fetched_at > self._config.jwks_cache_seconds
        )

    async def _fetch(self) -> None:
        self._attempted_at = self._clock()
        try:
            url = self._jwks_url or await self._discover_jwks_url()
            response = await self._http().get(url)
            response.raise_for_status()
            keys = _signing_keys(response.json())
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise _unavailable() from exc
        self._jwks_url = url
        self._keys = keys
        self._fetched_at = self._clock()
        log.info("signing keys fetched", keys=sorted(keys))

    async def _discover_jwks_url(self) -> str:
        response = await self._http().get(
            f"{self._config.issuer.rstrip('/')}/.well-known/openid-configuration"
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != self._config.issuer:
            raise ValueError(f"the discovery document names issuer {document.get('issuer')!r}")
        return str(document["jwks_uri"])


def _unavailable() -> Unavailable:
    return Unavailable(
        "The identity provider's signing keys cannot be fetched; retry later.",
        code="identity_provider_unavailable",
    )


def _signing_keys(jwks: Any) -> dict[str, jwt.PyJWK]:
    """The keys of a JWKS that sign, by key id; encryption keys and unusable ones are left out."""
    keys: dict[str, jwt.PyJWK] = {}
    for entry in jwks.get("keys", []) if isinstance(jwks, Mapping) else []:
        if not isinstance(entry, Mapping) or entry.get("use", "sig") != "sig":
            continue
        if "kid" not in entry or entry.get("alg", ALGORITHMS[0]) not in ALGORITHMS:
            continue
        try:
            keys[str(entry["kid"])] = jwt.PyJWK(dict(entry))
        except jwt.PyJWTError:
            continue
    if not keys:
        raise ValueError("the JWKS holds no signing key")
    return keys
