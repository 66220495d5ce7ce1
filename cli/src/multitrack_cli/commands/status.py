"""``multitrack status``: services, broker, lag per group, outbox backlog, parked and
dead-lettered counts."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from multitrack_cli.broker import Broker
from multitrack_cli.platform import OperatorError, Platform
from multitrack_cli.render import moment, table
from multitrack_cli.report import Report
from multitrack_shared.messaging.topics import in_namespace


async def health(platform: Platform, service: str) -> dict[str, Any]:
    """What ``/health/ready`` says, as it says it: its status and each check (a ``degraded``
    consumer, where the service reports one, appears here as the service words it)."""
    try:
        # Open to anyone: asked without a token, so it answers even when none can be had.
        response = await platform.http.get(platform.url(service, "/health/ready"), auth=None)
    except httpx.HTTPError as exc:
        return {"status": "unreachable", "error": repr(exc)}
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        return {"status": f"answered {response.status_code}"}
    return body


async def service_state(platform: Platform, service: str) -> dict[str, Any]:
    state: dict[str, Any] = {"health": await health(platform, service)}
    if state["health"].get("status") == "unreachable":
        return state
    try:
        state["messaging"] = await platform.get(service, "/operations/messaging")
        letters = (await platform.get(service, "/operations/dead-letters"))["dead_letters"]
        state["dead_letters"] = {
            "total": len(letters),
            "waiting": sum(1 for d in letters if d["applied_at"] is None),
        }
    except OperatorError as exc:
        state["error"] = str(exc)
    return state


async def broker_state(
    platform: Platform, services: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    settings = platform.operator_settings()
    broker: dict[str, Any] = {"bootstrap": settings.kafka_bootstrap_servers}
    groups: dict[str, Any] = {}
    try:
        async with Broker(settings) as operator:
            broker["topics"] = len({o.topic for o in await operator.topics()})
            broker["status"] = "reachable"
            for service, state in services.items():
                # A service that does not answer still has its group: named after it, on
                # the topics it committed offsets on.
                messaging = state.get("messaging") or {
                    "consumer_group": in_namespace(service, settings.topic_namespace),
                    "consumed_topics": None,
                }
                lag = await operator.group_lag(
                    messaging["consumer_group"], messaging["consumed_topics"]
                )
                groups[service] = {
                    "group": lag.group,
                    "lag": lag.lag,
                    "partitions": [
                        {"topic": t, "partition": p, "committed": c, "end": e}
                        for (t, p), (c, e) in lag.partitions.items()
                    ],
                }
    except Exception as exc:  # the broker's own words are what the operator needs
        broker |= {"status": "unreachable", "error": repr(exc)}
    return broker, groups


async def status(platform: Platform) -> Report:
    states = await asyncio.gather(*(service_state(platform, s) for s in platform.services))
    services = dict(zip(platform.services, states, strict=True))
    broker, groups = await broker_state(platform, services)
    data = {"services": services, "broker": broker, "groups": groups}
    healthy = broker["status"] == "reachable" and all(
        s["health"].get("status") == "ok" for s in services.values()
    )
    return Report(data, _lines(data), ok=healthy)


def _lines(data: dict[str, Any]) -> list[str]:
    rows = []
    for name, state in data["services"].items():
        h = state["health"]
        checks = ", ".join(f"{k} {v}" for k, v in h.get("checks", {}).items())
        messaging = state.get("messaging") or {}
        outbox = messaging.get("outbox") or {}
        letters = state.get("dead_letters") or {}
        rows.append(
            [
                name,
                h.get("status"),
                checks or h.get("error"),
                messaging.get("consumer"),
                len(messaging.get("retrying", [])) if messaging else None,
                outbox.get("unsent"),
                moment(outbox.get("oldest_unsent_at")) if outbox.get("oldest_unsent_at") else None,
                outbox.get("parked"),
                f"{letters['waiting']}/{letters['total']}" if letters else None,
            ]
        )
    broker = data["broker"]
    return [
        "Services",
        *table(
            [
                "service",
                "health",
                "checks",
                "consumer",
                "retrying",
                "outbox",
                "oldest unsent",
                "parked",
                "dead letters (waiting/all)",
            ],
            rows,
        ),
        "",
        f"Broker {broker['bootstrap']}: {broker['status']}"
        + (f", {broker['topics']} topics" if "topics" in broker else f" ({broker.get('error')})"),
        "",
        "Consumer groups",
        *table(
            ["service", "group", "lag", "behind on"],
            [
                [
                    name,
                    g["group"],
                    g["lag"],
                    ", ".join(
                        f"{p['topic']}/{p['partition']}: {p['end'] - (p['committed'] or 0)}"
                        for p in g["partitions"]
                        if p["end"] - (p["committed"] or 0)
                    ),
                ]
                for name, g in data["groups"].items()
            ],
        ),
    ]
