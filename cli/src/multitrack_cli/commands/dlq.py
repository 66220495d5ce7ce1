"""``multitrack dlq list`` and ``multitrack dlq replay``: the events each service could not
apply, and sending chosen ones (by id, or every one of a type) back to their consumer.

A replay goes through the service that dead-lettered the event (``POST
/operations/dead-letters/replay``): it reads its own dead-letter topic and hands the original
record to its consumer, so the inbox, retries and dead-lettering apply as the first time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from multitrack_cli.platform import Platform
from multitrack_cli.render import table
from multitrack_cli.report import Report


async def _letters(platform: Platform, services: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    pages = await asyncio.gather(*(platform.get(s, "/operations/dead-letters") for s in services))
    return {s: page["dead_letters"] for s, page in zip(services, pages, strict=True)}


async def list_dead_letters(
    platform: Platform, services: Sequence[str], event_type: str | None, waiting_only: bool
) -> Report:
    found = {
        service: [
            d
            for d in letters
            if (event_type is None or d["event_type"] == event_type)
            and not (waiting_only and d["applied_at"])
        ]
        for service, letters in (await _letters(platform, services)).items()
    }
    rows = [
        [
            service,
            d["event_id"],
            d["event_type"],
            d["failed_at"],
            d["attempts"],
            f"applied {d['applied_at'][:19]}" if d["applied_at"] else "waiting",
            d["error"][:80],
        ]
        for service, letters in found.items()
        for d in letters
    ]
    lines = (
        table(["service", "event", "type", "failed", "tries", "state", "error"], rows)
        if rows
        else ["No dead letters."]
    )
    return Report(found, lines)


async def replay(
    platform: Platform,
    services: Sequence[str],
    event_ids: Sequence[str],
    event_type: str | None,
) -> Report:
    letters = await _letters(platform, services)
    results: dict[str, Any] = {}
    for service, mine in letters.items():
        if event_ids:
            chosen = sorted({d["event_id"] for d in mine} & set(event_ids))
            if chosen:
                results[service] = await platform.post(
                    service, "/operations/dead-letters/replay", {"event_ids": chosen}
                )
        elif any(d["event_type"] == event_type and not d["applied_at"] for d in mine):
            results[service] = await platform.post(
                service, "/operations/dead-letters/replay", {"event_type": event_type}
            )
    replayed = {
        e["event_id"]: (service, e["outcome"])
        for service, result in results.items()
        for e in result["replayed"]
    }
    missing = [i for i in event_ids if i not in replayed]
    rows = [[service, event, outcome] for event, (service, outcome) in replayed.items()]
    lines = table(["service", "event", "outcome"], rows) if rows else ["Nothing to replay."]
    lines += [f"not a dead letter of {', '.join(services)}: {i}" for i in missing]
    ok = not missing and all(o in ("applied", "already_applied") for _, o in replayed.values())
    return Report({"replayed": results, "not_found": missing}, lines, ok)
