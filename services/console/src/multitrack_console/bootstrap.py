"""Composition root of the console: its settings, and the parts its routes are given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from ipaddress import ip_address
from typing import Literal
from urllib.parse import urlsplit

import httpx
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from multitrack_console.adapters.feed import KafkaFeed
from multitrack_console.adapters.platform import HttpPlatformApi
from multitrack_console.application.ports import FeedSource, PlatformApi
from multitrack_console.entrypoints.web.sessions import SessionStore
from multitrack_console.entrypoints.web.signin import SignIn
from multitrack_console.entrypoints.web.state import ConsoleState
from multitrack_shared.auth.tokens import OidcConfig, TokenVerifier
from multitrack_shared.messaging.kafka import client_security
from multitrack_shared.messaging.topics import PARTNER_FEED, in_namespace
from multitrack_shared.settings import ENV_PREFIX
from multitrack_shared.times import utc_now


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", populate_by_name=True)

    oidc_issuer: str = Field(
        default="",
        description="Issuer URL of the identity provider's realm people sign in with; the "
        "console refuses to start without it.",
    )
    oidc_jwks_url: str = Field(
        default="",
        description="Where the console fetches the issuer's signing keys; empty: the "
        "discovery document's jwks_uri (set it where the issuer's address is not reachable "
        "from the console, as in containers).",
    )
    console_oidc_discovery_url: str = Field(
        default="",
        description="The identity provider's discovery document as the console reaches it; "
        "empty: <issuer>/.well-known/openid-configuration. Browsers are still sent to the "
        "authorization endpoint it names.",
    )
    oidc_audience: str = Field(
        default="multitrack", description="The audience the services expect in a token."
    )
    console_client_id: str = Field(
        default="multitrack-console",
        description="The identity provider's public client (code flow with PKCE) of the console.",
    )
    console_public_url: str = Field(
        default="http://127.0.0.1:8080",
        description="Where browsers reach the console; the sign-in callback is "
        "<url>/auth/callback. Its session cookie is Secure unless this is a loopback address.",
    )
    console_session_idle_seconds: int = Field(
        default=1800, ge=60, le=86400, description="A session unused this long is forgotten."
    )
    invitations_url: str = Field(
        default="http://127.0.0.1:8001", description="Base URL of the invitations service."
    )
    engagements_url: str = Field(
        default="http://127.0.0.1:8002", description="Base URL of the engagements service."
    )
    partners_url: str = Field(
        default="http://127.0.0.1:8003", description="Base URL of the partners service."
    )
    evaluation_url: str = Field(
        default="http://127.0.0.1:8004", description="Base URL of the evaluation service."
    )
    kafka_bootstrap_servers: str = Field(
        default="",
        description="The broker whose partner feed topic the live feed reads; empty: no live feed.",
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT"] = Field(
        default="PLAINTEXT", description="How the console logs in to the broker."
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = Field(
        default="SCRAM-SHA-512", description="SASL mechanism, used with SASL_PLAINTEXT."
    )
    kafka_username: str = Field(
        default="partner",
        description="The broker principal it reads as: partner systems', which may read the "
        "partner feed and nothing else.",
    )
    kafka_password: SecretStr = Field(
        default=SecretStr(""), description="That principal's password, with SASL_PLAINTEXT."
    )
    topic_namespace: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9-]{0,64}$",
        description="The platform's topic namespace (the services' MULTITRACK_TOPIC_NAMESPACE).",
    )
    console_api_timeout_seconds: float = Field(
        default=10, gt=0, le=120, description="How long the console waits for a service."
    )

    @property
    def service_urls(self) -> dict[str, str]:
        return {
            "invitations": self.invitations_url.rstrip("/"),
            "engagements": self.engagements_url.rstrip("/"),
            "partners": self.partners_url.rstrip("/"),
            "evaluation": self.evaluation_url.rstrip("/"),
        }

    @property
    def secure_cookies(self) -> bool:
        """Secure cookies, unless the console is served on a loopback address (plain HTTP)."""
        host = urlsplit(self.console_public_url).hostname or ""
        if host == "localhost":
            return False
        try:
            return not ip_address(host).is_loopback
        except ValueError:
            return True


class ConsoleParts:
    """The console's parts, built once per app; ``close`` lets go of their connections."""

    def __init__(
        self,
        settings: ConsoleSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        feed: FeedSource | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        if not settings.oidc_issuer:
            raise ValueError("MULTITRACK_OIDC_ISSUER must name the realm people sign in with")
        self.settings = settings
        self.http = httpx.AsyncClient(
            transport=transport, timeout=settings.console_api_timeout_seconds
        )
        self.verifier = TokenVerifier(
            OidcConfig(
                issuer=settings.oidc_issuer.rstrip("/"),
                audience=settings.oidc_audience,
                jwks_url=settings.oidc_jwks_url,
            )
        )
        self.state = ConsoleState(
            sessions=SessionStore(settings.console_session_idle_seconds),
            signin=SignIn(
                settings.console_oidc_discovery_url
                or f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
                settings.console_client_id,
                settings.console_public_url,
                self.verifier,
            ),
            api_for=self.api_for,
            secure_cookies=settings.secure_cookies,
            today=today or (lambda: utc_now().date()),
            feed=feed or live_feed(settings),
        )

    def api_for(self, token: str) -> PlatformApi:
        return HttpPlatformApi(self.http, self.settings.service_urls, token)

    async def close(self) -> None:
        await self.http.aclose()
        await self.verifier.close()


def live_feed(settings: ConsoleSettings) -> FeedSource | None:
    """The partner feed of the platform's namespace, when the console is given a broker."""
    if not settings.kafka_bootstrap_servers:
        return None
    return KafkaFeed(
        in_namespace(PARTNER_FEED.name, settings.topic_namespace),
        {"bootstrap_servers": settings.kafka_bootstrap_servers, **client_security(settings)},
    )
