"""The sample subscriber of examples/, run as partners would run it: it prints the events
delivered to it, and refuses a delivery whose signature does not verify."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from multitrack_shared.testing.paths import free_port, repo_root
from multitrack_shared.testing.polling import eventually

from .conftest import Deliver, an_engagement_opened
from .test_webhooks import settings as settings  # local mode: the sample listens on loopback

EXAMPLE = repo_root() / "examples" / "webhook_subscriber.py"


async def test_the_sample_subscriber_prints_verified_events_and_refuses_forged_ones(
    client: httpx.AsyncClient, deliver: Deliver, tmp_path: Path
) -> None:
    port = free_port()
    sink = f"http://127.0.0.1:{port}/"
    created = await client.post("/subscriptions", json={"sink": sink, "protocol": "HTTP"})
    assert created.status_code == 201, created.text
    output = tmp_path / "printed.jsonl"
    with sample_subscriber(created.json()["secret"], port, output):
        await deliver(an_engagement_opened("eng-1"))

        async def printed_lines() -> list[str] | None:
            lines = output.read_text().splitlines()
            return lines or None

        (line,) = await eventually(printed_lines, within=30, what="the event printed")
        event = json.loads(line)
        assert (event["type"], event["subject"]) == ("multitrack.engagement.opened.v1", "eng-1")

        async with httpx.AsyncClient() as anyone:
            forged = await anyone.post(sink, content=b"{}", headers={"webhook-id": "x"})
        assert forged.status_code == 400
        assert len(output.read_text().splitlines()) == 1


@contextmanager
def sample_subscriber(secret: str, port: int, output: Path) -> Iterator[None]:
    """The sample running with ``secret`` on ``port``, printing to ``output``."""
    with output.open("w") as printed:
        process = subprocess.Popen(
            [sys.executable, str(EXAMPLE), str(port)],
            env={"MULTITRACK_WEBHOOK_SECRET": secret},
            stdout=printed,
            stderr=subprocess.PIPE,
        )
        try:
            assert process.stderr is not None
            assert b"listening" in process.stderr.readline()
            yield
        finally:
            process.terminate()
            process.wait(timeout=10)
