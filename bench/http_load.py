"""HTTP load: ``wrk`` (Debian's) at full speed, and a paced open-loop generator for the
latency at a fraction of the maximum."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

CONNECTIONS = 16
THREADS = 2

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkRun:
    requests_per_s: float
    latency_ms: dict[int, float]
    """Percentile (50, 75, 90, 99) → milliseconds."""
    refused: int
    """Answers other than 2xx/3xx: a broken measurement (a token refused, a body invalid)."""
    dropped: int
    """Socket errors and requests unanswered within wrk's timeout: the load was too much."""


def wrk(
    url: str,
    duration: float,
    work_dir: Path,
    *,
    method: str = "GET",
    body: object | None = None,
    token: str | None = None,
) -> WrkRun:
    script = work_dir / f"wrk-{time.monotonic_ns()}.lua"
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    lines = [f"wrk.method = {json.dumps(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(json.dumps(body))}")
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    done = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(duration))}s",
            "--latency",
            "--timeout",
            "30s",  # a slow answer is a latency, not a drop
            "-s",
            str(script),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    return parse_wrk(done.stdout)


def parse_wrk(out: str) -> WrkRun:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rate is not None, out
    latency = {
        int(q): float(v) * _UNITS[u]
        for q, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    refused = int(non_2xx.group(1)) if non_2xx else 0
    dropped = sum(int(g) for g in socket.groups()) if socket else 0
    return WrkRun(float(rate.group(1)), latency, refused, dropped)


async def paced(
    rate: float,
    duration: float,
    request: Callable[[httpx.AsyncClient, int], Awaitable[float]],
    *,
    headers: dict[str, str] | None = None,
) -> list[float]:
    """Starts ``request(http, n)`` at ``rate`` per second, each on schedule whether or not
    the previous ones have answered (open loop: a slow answer does not slow the load down, so
    queueing shows in the latencies); the latencies, in milliseconds, it returns."""
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits, headers=headers) as http:
        started = time.monotonic()
        count = max(1, round(rate * duration))
        tasks = []
        for n in range(count):
            due = started + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.ensure_future(request(http, n)))
        return list(await asyncio.gather(*tasks))
