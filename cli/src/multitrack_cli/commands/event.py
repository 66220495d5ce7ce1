"""``multitrack event <id>``: where one event is — in its producer's outbox, published at
topic/partition@offset, and for every consumer group that applies its type: applied (when, by
which handler), retrying, dead-lettered (with the error) or still waiting."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from multitrack_cli.broker import Broker
from multitrack_cli.platform import OperatorError, Platform
from multitrack_cli.render import moment, table
from multitrack_cli.report import Report
from multitrack_shared.messaging.topics import in_namespace


async def _ask(platform: Platform, service: str, path: str) -> Any:
    try:
        return await platform.get(service, path)
    except OperatorError as exc:
        return {"error": str(exc)}


def _outbox_state(outbox: dict[str, Any]) -> str:
    if outbox["parked_at"]:
        return "parked"
    return "sent" if outbox["sent_at"] else "waiting in the outbox"


async def _published(
    platform: Platform, outbox: dict[str, Any], event_id: str
) -> dict[str, Any] | None:
    if not outbox["sent_at"]:
        return None
    topic = in_namespace(outbox["topic"], platform.settings.topic_namespace)
    async with Broker(platform.operator_settings()) as operator:
        found = await operator.locate(
            event_id, topic, outbox["message_key"], datetime.fromisoformat(outbox["sent_at"])
        )
    if found is None:
        return None
    return {"topic": found.topic, "partition": found.partition, "offset": found.offset}


async def _waiting_or_passed(
    platform: Platform, group: str, published: dict[str, Any] | None
) -> dict[str, Any]:
    if published is None:
        return {"state": "not yet applied"}
    async with Broker(platform.operator_settings()) as operator:
        lag = await operator.group_lag(group, [published["topic"]])
    committed, _ = lag.partitions.get((published["topic"], published["partition"]), (None, 0))
    if committed is not None and committed > published["offset"]:
        return {"state": "passed, not applied", "group_offset": committed}
    return {"state": "waiting", "group_offset": committed}


async def _in_consumer(
    platform: Platform,
    service: str,
    here: dict[str, Any],
    messaging: dict[str, Any],
    published: dict[str, Any] | None,
) -> dict[str, Any]:
    if here.get("applied"):
        return {"state": "applied", **here["applied"]}
    if here.get("retrying"):
        return {"state": "retrying", **here["retrying"]}
    letters = await _ask(platform, service, "/operations/dead-letters")
    dead = [d for d in letters.get("dead_letters", []) if d["event_id"] == here["event_id"]]
    if dead:
        return {"state": "dead_lettered", **dead[-1]}
    return await _waiting_or_passed(platform, messaging["consumer_group"], published)


async def where_is(platform: Platform, event_id: str) -> Report:
    services = platform.services
    answers = await asyncio.gather(
        *(_ask(platform, s, f"/operations/events/{event_id}") for s in services)
    )
    messaging = await asyncio.gather(
        *(_ask(platform, s, "/operations/messaging") for s in services)
    )
    here = dict(zip(services, answers, strict=True))
    subscriptions = dict(zip(services, messaging, strict=True))
    producer = next((s for s, a in here.items() if a.get("outbox")), None)
    outbox = here[producer]["outbox"] if producer else None
    event_type = outbox["event_type"] if outbox else None
    published = await _published(platform, outbox, event_id) if outbox else None
    if event_type is None:
        found = next((a["applied"] for a in here.values() if a.get("applied")), None)
        if found is not None:
            published = {k: found[k] for k in ("topic", "partition", "offset")}
    consumers: dict[str, Any] = {}
    for service, subscription in subscriptions.items():
        applies = event_type in subscription.get("consumed_types", [])
        if applies or here[service].get("applied") or here[service].get("retrying"):
            consumers[service] = await _in_consumer(
                platform, service, here[service], subscription, published
            )
    data = {
        "event_id": event_id,
        "event_type": event_type,
        "producer": producer,
        "outbox": {"state": _outbox_state(outbox), **outbox} if outbox else None,
        "published": published,
        "consumers": consumers,
        "unreachable": {s: a["error"] for s, a in here.items() if "error" in a},
    }
    known = outbox is not None or bool(consumers)
    return Report(data, _lines(data) if known else [f"No service knows event {event_id}."], known)


def _lines(data: dict[str, Any]) -> list[str]:
    outbox = data["outbox"]
    lines = [f"Event {data['event_id']} ({data['event_type'] or 'type unknown'})"]
    if outbox:
        lines.append(
            f"  outbox of {data['producer']}: {outbox['state']}; occurred "
            f"{moment(outbox['occurred_at'])}, sent {moment(outbox['sent_at'])}"
            + (f"; parked: {outbox['park_error']}" if outbox["parked_at"] else "")
        )
    else:
        lines.append("  outbox: no service holds it (pruned, or produced elsewhere)")
    p = data["published"]
    lines.append(
        f"  published at {p['topic']}/{p['partition']}@{p['offset']}"
        if p
        else "  not found on a topic"
    )
    rows = [[service, c["state"], _detail(c)] for service, c in data["consumers"].items()]
    lines += ["", *table(["consumer", "state", "detail"], rows)]
    for service, error in data["unreachable"].items():
        lines.append(f"  {service}: {error}")
    return lines


def _detail(consumer: dict[str, Any]) -> str:
    state = consumer["state"]
    if state == "applied":
        return f"{moment(consumer['applied_at'])} by {consumer['handler']}"
    if state == "retrying":
        return f"attempt {consumer['attempts']}: {consumer['last_error']}"
    if state == "dead_lettered":
        tries = consumer["attempts"]
        return f"{moment(consumer['failed_at'])} after {tries} tries: {consumer['error']}"
    return f"group at offset {consumer.get('group_offset')}"
