"""``multitrack rebuild <service>``: the service recreates its read models empty and replays
the topics it consumes from the beginning, while it keeps running; a progress bar follows the
replay and a summary closes it."""

from __future__ import annotations

import asyncio
import time

from multitrack_cli.platform import OperatorError, Platform
from multitrack_cli.render import ProgressBar
from multitrack_cli.report import Report

POLL_SECONDS = 0.5


async def rebuild(
    platform: Platform, service: str, within: float, bar: ProgressBar | None
) -> Report:
    began = time.monotonic()
    state = await platform.post(service, "/operations/read-models/rebuild")
    started_at = state["started_at"]
    while state["state"] != "done":
        if time.monotonic() - began > within:
            raise OperatorError(
                f"{service}'s replay did not finish within {within:.0f} s: "
                f"{state['done']}/{state['total']} records"
            )
        await asyncio.sleep(POLL_SECONDS)
        state = await platform.get(service, "/operations/read-models/rebuild")
        if state["started_at"] != started_at:
            raise OperatorError(f"another rebuild of {service} began meanwhile")
        if bar is not None:
            bar.show(state["done"], state["total"], f"{service}: {state['state']}")
    if bar is not None:
        bar.show(state["done"], state["total"], f"{service}: done")
        bar.close()
    took = time.monotonic() - began
    lines = [
        f"{service}: read models rebuilt in {took:.1f} s; {state['done']} records replayed, "
        f"{state['applied']} events applied.",
        *(f"  {table}: {rows} rows" for table, rows in state["read_models"].items()),
    ]
    return Report({**state, "seconds": round(took, 1)}, lines)
