"""The session cookie holds an id only, and carries the attributes that keep it to this site."""

from __future__ import annotations

import time

from multitrack_console.bootstrap import ConsoleSettings
from multitrack_console.entrypoints.web.sessions import COOKIE, SessionStore
from multitrack_console.entrypoints.web.signin import PROVIDER

from .conftest import Console

METADATA = {
    "issuer": "http://idp.test/realms/multitrack",
    "authorization_endpoint": "http://idp.test/realms/multitrack/protocol/openid-connect/auth",
    "token_endpoint": "http://idp.test/realms/multitrack/protocol/openid-connect/token",
    "jwks_uri": "http://idp.test/realms/multitrack/protocol/openid-connect/certs",
    "end_session_endpoint": "http://idp.test/realms/multitrack/protocol/openid-connect/logout",
}


def provider_known(console: Console) -> None:
    """The identity provider's discovery document, as if fetched already."""
    client = console.parts.state.signin._oauth.create_client(PROVIDER)
    client.server_metadata = {**METADATA, "_loaded_at": time.time()}


async def test_the_cookie_is_http_only_same_site_and_holds_a_random_id_not_the_tokens(
    console: Console,
) -> None:
    provider_known(console)
    answer = await console.http.get("/login", params={"then": "/partners"})
    cookie = answer.headers["set-cookie"]

    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served on a loopback address, over plain HTTP
    value = cookie.split(";")[0].split("=", 1)[1]
    assert len(value) >= 40
    assert "." not in value  # not a signed payload: the session stays on the server


async def test_sign_in_goes_to_the_identity_provider_with_pkce(console: Console) -> None:
    provider_known(console)

    answer = await console.http.get("/login")

    location = answer.headers["location"]
    assert answer.status_code == 302
    assert location.startswith(METADATA["authorization_endpoint"])
    assert "code_challenge_method=S256" in location
    assert "code_challenge=" in location
    assert "client_id=multitrack-console" in location
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fcallback" in location


def test_cookies_are_secure_unless_the_console_is_served_on_a_loopback_address() -> None:
    def secure(url: str) -> bool:
        return ConsoleSettings(console_public_url=url).secure_cookies

    assert not secure("http://127.0.0.1:8080")
    assert not secure("http://localhost:8080")
    assert not secure("http://[::1]:8080")
    assert secure("https://console.example.org")
    assert secure("http://10.0.0.5:8080")


def test_a_session_unused_for_longer_than_the_idle_time_is_forgotten() -> None:
    now = [0.0]
    store = SessionStore(idle_seconds=60, clock=lambda: now[0])
    kept = store.seed({"person": "pat"})

    now[0] = 59
    assert store.load(kept) == {"person": "pat"}
    now[0] = 59 + 61
    assert store.load(kept) is None


async def test_after_sign_in_the_console_sends_people_only_to_its_own_pages(
    console: Console,
) -> None:
    provider_known(console)
    for elsewhere in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        await console.http.get("/login", params={"then": elsewhere})
        (session,) = [console.parts.state.sessions.load(v) for v in [console.http.cookies[COOKIE]]]
        assert session is not None
        assert session["then"] == "/engagements", elsewhere


async def test_signing_out_forgets_the_session_and_ends_the_identity_provider_s_too(
    console: Console,
) -> None:
    provider_known(console)
    console.sign_in()
    console.platform.on("partners", "GET", "/partners", (200, []))
    console.platform.on("partners", "GET", "/partnerships", (200, []))
    token = await console.form_token("/partners")
    sessions_before = len(console.parts.state.sessions)

    answer = await console.http.post("/logout", data={"csrf_token": token})

    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith(METADATA["end_session_endpoint"])
    assert "post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F" in location
    assert len(console.parts.state.sessions) == sessions_before - 1
    assert "Max-Age=0" in answer.headers["set-cookie"]
    assert (await console.http.get("/partners")).status_code == 303  # signed out
