"""Each request has an id, given or made, returned on the response and bound with the caller to
the log lines it writes; the next request starts clean."""

from __future__ import annotations

import re

import httpx
import jwt
import pytest
import structlog
from structlog.testing import capture_logs

from multitrack_shared.logging import configure_logging
from multitrack_shared.testing.tokens import TokenSource


async def test_a_sane_request_id_is_kept_and_anything_else_is_replaced(
    api: httpx.AsyncClient,
) -> None:
    kept = await api.get("/health/live", headers={"X-Request-ID": "9b2f-trace:1.a_b"})
    made = await api.get("/health/live")
    for insane in (b"x" * 129, b"bad id", "ünïcode".encode(), b"-leading"):
        replaced = await api.get("/memos", headers=[(b"X-Request-ID", insane)], auth=None)
        assert replaced.status_code == 401
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"]), insane

    assert kept.headers["X-Request-ID"] == "9b2f-trace:1.a_b"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
    assert made.headers["X-Request-ID"] != (await api.get("/health/live")).headers["X-Request-ID"]


async def test_a_refused_body_carries_its_request_id_too(api: httpx.AsyncClient) -> None:
    refused = await api.post("/memos", content=b"x" * 300_000, headers={"X-Request-ID": "big-1"})

    assert (refused.status_code, refused.headers["X-Request-ID"]) == (413, "big-1")


async def test_log_lines_name_the_request_and_the_caller_and_the_next_request_starts_clean(
    api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    token = await tokens.for_client("org-a", "coordinator")
    subject = jwt.decode(token, options={"verify_signature": False})["sub"]

    saved = structlog.get_config()
    configure_logging("memos", "INFO")
    try:
        with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
            await api.get("/me", headers={"X-Request-ID": "req-42"})
            await api.get("/health/live", headers={"X-Request-ID": "req-43"})
        left = structlog.contextvars.get_contextvars()
    finally:
        structlog.configure(**saved)
        structlog.contextvars.clear_contextvars()

    (line,) = [entry for entry in logs if entry["event"] == "caller asked who it is"]
    assert line["request_id"] == "req-42"
    assert (line["subject"], line["organization"], line["client_id"]) == (
        subject,
        "org-a",
        "org-a-coordinator",
    )
    assert "token" not in line
    assert left == {"service": "memos"}


@pytest.mark.parametrize("path", ["/memos", "/audit"])
async def test_an_anonymous_refusal_carries_the_error_body_and_the_request_id(
    api: httpx.AsyncClient, path: str
) -> None:
    response = await api.get(path, auth=None, headers={"X-Request-ID": "anon-1"})

    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "anon-1"
    assert response.json() == {
        "error": {
            "code": "token_missing",
            "message": "This operation needs a bearer token.",
            "fields": [],
        }
    }
