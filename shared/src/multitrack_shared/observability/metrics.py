"""Every metric family a service exports, in a registry of its own.

One registry per service runtime, not the process-wide default: tests run several services'
apps in one process, and each must count only its own. Every sample carries a ``service`` label,
so a dashboard tells the services apart however the scraper names its targets. Labels are
bounded: route templates, event types the service handles, its own topics and partitions,
status codes; never a record id.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.process_collector import ProcessCollector

PREFIX = "multitrack_"
CONTENT_TYPE = CONTENT_TYPE_LATEST

HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class ServiceRegistry(CollectorRegistry):
    """A registry whose every sample is labelled with the service that exports it."""

    def __init__(self, service: str) -> None:
        super().__init__(auto_describe=True)
        self.service = service

    def collect(self) -> Iterable[Metric]:
        for family in super().collect():
            labelled = Metric(family.name, family.documentation, family.type, family.unit)
            labelled.samples = [
                sample._replace(labels={**sample.labels, "service": self.service})
                for sample in family.samples
            ]
            yield labelled


class ServiceMetrics:
    """The families; the parts that count (HTTP middleware, relay, consumer, monitor) write
    to them, ``render`` reads them all."""

    def __init__(self, service: str = "service") -> None:
        self.registry = ServiceRegistry(service)
        r = self.registry
        ProcessCollector(registry=r)

        self.http_requests = Counter(
            "multitrack_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_errors = Counter(
            "multitrack_http_errors",
            "HTTP requests answered with a server error (5xx), by method, route and status.",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_duration = Histogram(
            "multitrack_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            registry=r,
        )
        self.http_in_flight = Gauge(
            "multitrack_http_requests_in_flight", "HTTP requests being answered.", registry=r
        )

        self.outbox_pending = Gauge(
            "multitrack_outbox_pending", "Outbox rows not yet sent to the broker.", registry=r
        )
        self.outbox_oldest_age = Gauge(
            "multitrack_outbox_oldest_age_seconds",
            "Age of the oldest outbox row not yet sent; 0 when none waits.",
            registry=r,
        )
        self.outbox_parked = Gauge(
            "multitrack_outbox_parked",
            "Outbox rows the broker refused for good, set aside for an operator.",
            registry=r,
        )
        self.outbox_published = Counter(
            "multitrack_outbox_published",
            "Outbox rows the broker acknowledged, by topic.",
            ["topic"],
            registry=r,
        )
        self.outbox_failures = Counter(
            "multitrack_outbox_publish_failures",
            "Relay attempts that failed (broker or database out of reach, a refusal).",
            registry=r,
        )

        self.consumer_events = Counter(
            "multitrack_consumer_events",
            "Records the consumer finished with, by topic and outcome (applied, duplicate, "
            "ignored: a type the service does not consume, dead_lettered).",
            ["topic", "outcome"],
            registry=r,
        )
        self.handler_duration = Histogram(
            "multitrack_consumer_handler_seconds",
            "Time to apply one event (handler, inbox and commit), by event type.",
            ["event_type"],
            buckets=HANDLER_BUCKETS,
            registry=r,
        )
        self.handler_retries = Counter(
            "multitrack_consumer_retries",
            "Failed tries of an event that were retried, by event type.",
            ["event_type"],
            registry=r,
        )
        self.webhook_deliveries = Counter(
            "multitrack_webhook_deliveries",
            "Tries of webhook deliveries to partner systems, by outcome: received, failed (to "
            "be tried again) or dead (tries exhausted, the subscription disabled).",
            ["outcome"],
            registry=r,
        )
        self.webhook_delivery_seconds = Histogram(
            "multitrack_webhook_delivery_seconds",
            "How long a partner system's endpoint took to answer a delivery (or to fail).",
            buckets=HANDLER_BUCKETS,
            registry=r,
        )
        self.dead_lettered = Counter(
            "multitrack_consumer_dead_lettered",
            "Events sent to the dead-letter topic, by event type (undecodable: no type read).",
            ["event_type"],
            registry=r,
        )

        self.broker_up = Gauge(
            "multitrack_broker_up",
            "1 when the broker answered the last probe, 0 when it did not.",
            registry=r,
        )
        self.database_up = Gauge(
            "multitrack_database_up",
            "1 when the database answered the last probe, 0 when it did not.",
            registry=r,
        )

    def render(self) -> bytes:
        """The exposition text of every family."""
        return generate_latest(self.registry)
