"""What the soak samples of each running service: its process (resident memory, open file
descriptors, open TCP connections, read from /proc through psutil), its database (outbox and
inbox rows) and its consumer's lag (the sum over its partitions, as its /health says)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from multitrack_shared.testing.processes import Platform

from ..chaos.reconcile import rows
from .growth import Limit

SERIES: dict[str, Limit] = {
    "rss_mb": Limit(absolute=10),
    "fds": Limit(absolute=10),
    "connections": Limit(absolute=5),
    "outbox_rows": Limit(absolute=0.5),
    "inbox_rows": Limit(absolute=0.5),
    "lag": Limit(absolute=20),
}
"""Each series sampled of every service, with the rise it may show (``growth``). The retained
rows' limits are in rows per write of the retention window (``RETAINED``)."""

RETAINED = frozenset({"outbox_rows", "inbox_rows"})
"""Series of rows kept for the retention window, then pruned: what bounds them is the writes of
the last window, so they are judged per such write. Judged as counts, a platform that takes
more writes a minute in the second half (a machine that other work leaves) would look like a
leak; per write, pruning that works holds the series level whatever the pace, and pruning that
stops lets it climb with every write since: over a judged half three windows long, by about
three times the rows a write leaves. Their floor, half a row per write, sits above the wobble
of a pruning's saw-tooth on the short soak's few writes a window."""

UNITS = {"rss_mb": "MB", "lag": "events"}


@dataclass
class Sample:
    at_s: float
    """Seconds since the load started."""
    accepted: int
    """Writes the load had seen accepted by then."""
    services: dict[str, dict[str, float]] = field(default_factory=dict)
    """Service → series → value."""


async def sample_service(
    http: httpx.AsyncClient, url: str, pid: int, database: str
) -> dict[str, float]:
    process = psutil.Process(pid)
    outbox, inbox, health = await asyncio.gather(
        rows(database, "SELECT count(*) AS n FROM outbox"),
        rows(database, "SELECT count(*) AS n FROM inbox"),
        _health(http, url),
    )
    consumer = health.get("consumer") or {"partitions": []}
    return {
        "rss_mb": process.memory_info().rss / 2**20,
        "fds": float(process.num_fds()),
        "connections": float(len(process.net_connections(kind="tcp"))),
        "outbox_rows": float(outbox[0]["n"]),
        "inbox_rows": float(inbox[0]["n"]),
        "lag": float(sum(p["lag"] or 0 for p in consumer["partitions"])),
    }


async def _health(http: httpx.AsyncClient, url: str, tries: int = 3) -> dict[str, Any]:
    """The service's health detail. Tried again on a dropped connection: a kept-alive one the
    server closed while idle between two samples is the client's race, not the service's."""
    for _ in range(tries - 1):
        with contextlib.suppress(httpx.TransportError):
            return dict((await http.get(f"{url}/health")).json())
        await asyncio.sleep(0.5)
    return dict((await http.get(f"{url}/health")).json())


async def sample_platform(
    http: httpx.AsyncClient,
    platform: Platform,
    databases: Mapping[str, str],
    at_s: float,
    accepted: int,
) -> Sample:
    names = list(platform.services)
    values = await asyncio.gather(
        *(sample_service(http, platform.url(n), _pid(platform, n), databases[n]) for n in names)
    )
    return Sample(at_s, accepted, dict(zip(names, values, strict=True)))


def _pid(platform: Platform, name: str) -> int:
    process = platform.services[name].process
    assert process is not None, f"{name} was never started"
    assert process.poll() is None, f"{name} is not running"
    return process.pid
