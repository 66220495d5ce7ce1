"""The live feed's stream: each event of the feed source as a server-sent event."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from multitrack_console.bootstrap import ConsoleParts, ConsoleSettings
from multitrack_console.main import create_app

from .conftest import Console
from .fakes import FakePlatform

EVENTS: list[dict[str, Any]] = [
    {
        "id": "e-1",
        "type": "multitrack.lesson.recorded.v3",
        "source": "/multitrack/evaluation",
        "subject": "les-1",
        "time": "2026-06-01T10:00:00+00:00",
        "data": {"statement": "not shown"},
    },
    {
        "id": "e-2",
        "type": "multitrack.engagement.opened.v1",
        "source": "/multitrack/engagements",
        "subject": "eng-1",
        "time": "2026-06-01T10:01:00+00:00",
    },
]


class ListedFeed:
    async def subscribe(self) -> AsyncIterator[Any]:
        for event in EVENTS:
            yield event


async def test_the_feed_streams_each_event_as_a_server_sent_event() -> None:
    settings = ConsoleSettings(oidc_issuer="http://idp.test/realms/multitrack")
    parts = ConsoleParts(settings, transport=FakePlatform().transport(), feed=ListedFeed())
    transport = httpx.ASGITransport(app=create_app(parts=parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as http:
        console = Console(http, FakePlatform(), parts)
        console.sign_in()

        answer = await http.get("/feed/events")

    assert answer.headers["content-type"].startswith("text/event-stream")
    data = [
        json.loads(line.removeprefix("data: "))
        for line in answer.text.splitlines()
        if line.startswith("data: ")
    ]
    assert [event["type"] for event in data] == [str(e["type"]) for e in EVENTS]
    assert "data" not in data[0]  # what a line shows: type, subject, source, time


async def test_without_a_broker_the_feed_page_says_it_is_off(console: Console) -> None:
    console.sign_in()

    page = await console.http.get("/feed")

    assert "reads no broker" in page.text
