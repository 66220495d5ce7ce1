"""The parts of observability that need no broker: HTTP metrics by route template, consumer
progress and stalls on a clock of the test's own, and what the health endpoints conclude."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
import pytest
from aiokafka import TopicPartition
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from multitrack_shared.observability.health import ServiceHealth
from multitrack_shared.observability.http import HttpMetrics
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.observability.monitor import Probed
from multitrack_shared.observability.progress import ConsumerProgress

Samples = list[tuple[str, dict[str, str], float]]


def samples(metrics: ServiceMetrics, name: str) -> Samples:
    """Every sample named ``name`` in the exposition text, as a scraper reads it."""
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(metrics.render().decode())
        for sample in family.samples
        if sample.name == name
    ]


def value(metrics: ServiceMetrics, name: str, **labels: str) -> float | None:
    found = [v for _, have, v in samples(metrics, name) if labels.items() <= have.items()]
    return sum(found) if found else None


def things_app(metrics: ServiceMetrics) -> FastAPI:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    async def read(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_middleware(RefuseBodies)
    app.add_middleware(HttpMetrics, metrics=metrics, paths=lambda: app.openapi()["paths"])
    return app


class RefuseBodies:
    """Answers every POST with 413 before any routing, as the body checks do."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            await PlainTextResponse("too large", status_code=413)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def test_requests_are_counted_by_route_template_never_by_raw_path() -> None:
    metrics = ServiceMetrics("things")
    transport = httpx.ASGITransport(app=things_app(metrics), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        for thing in ("a1b2c3", "d4e5f6"):
            assert (await http.get(f"/things/{thing}")).status_code == 200
        assert (await http.delete("/things/a1b2c3")).status_code == 405
        assert (await http.get("/no/such/9f8e7d")).status_code == 404
        assert (await http.get("/broken")).status_code == 500
        assert (await http.request("BREW", "/things/a1b2c3")).status_code == 405
        assert (await http.post("/things/a1b2c3", content=b"{}")).status_code == 413

    requests = "multitrack_http_requests_total"
    assert value(metrics, requests, route="/things/{thing_id}", method="GET", status="200") == 2
    assert value(metrics, requests, route="/things/{thing_id}", method="DELETE") == 1
    assert value(metrics, requests, route="/things/{thing_id}", method="other") == 1
    assert value(metrics, requests, route="/things/{thing_id}", status="413") == 1
    assert value(metrics, requests, route="unmatched", status="404") == 1
    assert value(metrics, "multitrack_http_errors_total", route="/broken", status="500") == 1
    assert value(metrics, "multitrack_http_errors_total", route="/things/{thing_id}") is None
    assert value(metrics, "multitrack_http_request_duration_seconds_count", route="/broken") == 1
    assert value(metrics, "multitrack_http_requests_in_flight") == 0
    every_label = {
        label
        for family in text_string_to_metric_families(metrics.render().decode())
        for sample in family.samples
        for label in sample.labels.values()
    }
    assert not any(raw in label for raw in ("a1b2c3", "9f8e7d") for label in every_label)
    assert {labels["service"] for _, labels, _ in samples(metrics, requests)} == {"things"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


P0, P1 = TopicPartition("multitrack.invitations.v1", 0), TopicPartition("multitrack.x.v1", 1)


def test_a_partition_with_lag_and_no_progress_for_the_stall_time_degrades_the_consumer() -> None:
    clock = Clock()
    progress = ConsumerProgress(stall_seconds=30, clock=clock)
    assert progress.state == "waiting"

    progress.assigned([P0, P1])
    progress.observed(P0, position=5, highwater=5)
    progress.observed(P1, position=0, highwater=0)
    clock.now += 600  # idle for ten minutes: no lag, no stall
    assert progress.state == "ok"

    progress.observed(P0, position=5, highwater=5)
    progress.applying(P0, offset=5, highwater=8)
    clock.now += 29
    assert [p.lag for p in progress.partitions()] == [3, 0]
    assert progress.state == "ok"
    clock.now += 2
    assert progress.state == "degraded"
    assert [p.stalled for p in progress.partitions()] == [True, False]

    progress.applied(P0, offset=5)
    assert progress.state == "ok"
    assert progress.partitions()[0].lag == 2


def test_lag_and_the_degraded_state_are_exported_for_each_assigned_partition() -> None:
    clock = Clock()
    progress = ConsumerProgress(stall_seconds=10, clock=clock)
    metrics = ServiceMetrics("invitations")
    metrics.registry.register(progress)
    progress.assigned([P0, P1])
    progress.applying(P0, offset=40, highwater=45)
    clock.now += 11

    assert value(metrics, "multitrack_consumer_lag", topic=P0.topic, partition="0") == 5
    assert value(metrics, "multitrack_consumer_lag", topic=P1.topic) is None  # never fetched
    assert value(metrics, "multitrack_consumer_degraded") == 1

    progress.assigned([P1])  # P0 went to another replica: its lag is no longer ours
    assert value(metrics, "multitrack_consumer_lag", topic=P0.topic) is None
    assert value(metrics, "multitrack_consumer_degraded") == 0


class Monitor:
    """What ``ServiceHealth`` reads of the monitor."""

    def __init__(self, broker_up: bool) -> None:
        self.broker = Probed(up=broker_up, error=None if broker_up else "KafkaConnectionError")
        self.outbox = None


async def answers() -> None:
    return None


async def refuses() -> None:
    raise ConnectionRefusedError("database gone")


def health(
    *,
    database: bool = True,
    broker: bool = True,
    loops: Mapping[str, bool] | None = None,
    consumer: ConsumerProgress | None = None,
) -> ServiceHealth:
    return ServiceHealth(
        "invitations",
        database=answers if database else refuses,
        loops=lambda: loops or {"outbox-relay": True, "consumer": True},
        monitor=Monitor(broker),  # type: ignore[arg-type]  # the two attributes it reads
        consumer=consumer,
    )


async def test_readiness_is_the_database_alone_and_broker_loss_only_degrades() -> None:
    without_broker = health(broker=False)
    assert (await without_broker.readiness()).status == "ok"
    detail = await without_broker.detail()
    assert (detail.status, detail.ready, detail.live) == ("degraded", True, True)
    assert detail.broker.status == "unavailable"

    without_database = health(database=False)
    assert (await without_database.readiness()).checks == {
        "database": "unavailable: ConnectionRefusedError"
    }
    assert (await without_database.detail()).status == "unavailable"
    assert (await health().detail()).status == "ok"


async def test_a_loop_that_ended_makes_the_service_not_live() -> None:
    stopped = health(loops={"outbox-relay": False, "consumer": True})

    assert stopped.liveness().stopped == ["outbox-relay"]
    detail = await stopped.detail()
    assert (detail.status, detail.live) == ("unavailable", False)
    assert detail.loops == {"outbox-relay": "stopped", "consumer": "running"}


@pytest.mark.parametrize("stalled", [False, True])
async def test_a_stalled_consumer_shows_degraded_in_the_detail(stalled: bool) -> None:
    clock = Clock()
    progress = ConsumerProgress(stall_seconds=5, clock=clock)
    progress.applying(P0, offset=0, highwater=1)
    clock.now += 6 if stalled else 1

    detail = await health(consumer=progress).detail()

    assert detail.consumer is not None
    assert detail.consumer.status == ("degraded" if stalled else "ok")
    assert detail.status == ("degraded" if stalled else "ok")
    assert detail.ready
    (partition,) = detail.consumer.partitions
    assert (partition.topic, partition.partition, partition.lag) == (P0.topic, 0, 1)
    assert partition.status == ("stalled" if stalled else "ok")
