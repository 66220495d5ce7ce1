"""The console's app on faked services: a person's session seeded in its store."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from multitrack_console.bootstrap import ConsoleParts, ConsoleSettings
from multitrack_console.entrypoints.web.sessions import COOKIE
from multitrack_console.main import create_app

from .fakes import URLS, FakePlatform

TODAY = date(2026, 6, 1)


@dataclass
class Console:
    http: httpx.AsyncClient
    platform: FakePlatform
    parts: ConsoleParts

    def sign_in(
        self, organization: str | None = "org-a", roles: tuple[str, ...] = ("coordinator",)
    ) -> None:
        """A session as if this person had signed in; its cookie on the client."""
        session_id = self.parts.state.sessions.seed(
            {
                "person": {
                    "subject": "s-1",
                    "username": "pat",
                    "organization": organization,
                    "roles": list(roles),
                },
                "tokens": {"access_token": "token-of-pat", "expires_at": 4102444800.0},
            }
        )
        self.http.cookies.set(COOKIE, session_id)

    async def form_token(self, path: str) -> str:
        """The CSRF token the page at ``path`` puts in its forms."""
        page = await self.http.get(path)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text
        return found.group(1)


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform()


@pytest.fixture
async def console(platform: FakePlatform) -> AsyncIterator[Console]:
    settings = ConsoleSettings(
        oidc_issuer="http://idp.test/realms/multitrack",
        invitations_url=URLS["invitations"],
        engagements_url=URLS["engagements"],
        partners_url=URLS["partners"],
        evaluation_url=URLS["evaluation"],
    )
    parts = ConsoleParts(settings, transport=platform.transport(), today=lambda: TODAY)
    app = create_app(parts=parts)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as http:
        yield Console(http, platform, parts)
