"""Traces: one trace follows a request from its HTTP call into every consumer of its events.

OpenTelemetry, wired once here. The app factory instruments the routes (a server span per
request); the outbox stores the W3C trace context of whatever is running with each row it
writes (``current_trace_context``); the relay sends each row in a producer span,
a child of that stored context, and puts that span's context on the record as the CloudEvents
distributed-tracing ``traceparent`` (and ``tracestate``) attributes (``start_publish_span``); the
consumer runtime applies each record in a consumer span, a child of the record's
``traceparent`` (``consume_span``). An event a handler publishes in turn is stored with the
consumer span's context, so the trace goes on through the next service.

Spans are always made, so that log lines carry a trace id (``logging.add_trace_ids``);
``MULTITRACK_OTEL_EXPORTER`` decides whether they leave the process: ``off`` (the default),
``otlp`` (OTLP over HTTP to ``MULTITRACK_OTEL_ENDPOINT``) or ``console`` (stdout).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import structlog
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SpanExporter,
)
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.settings import ServiceSettings

TRACE_ATTRIBUTES = ("traceparent", "tracestate")
"""The CloudEvents distributed-tracing extension: W3C trace context, carried as attributes."""
UNTRACED_PATHS = r"/health.*,/metrics,/docs.*,/openapi\.json,/events/asyncapi\.json"
"""Probes and documents: a span for each would bury the requests that change something."""

_PROPAGATOR = TraceContextTextMapPropagator()


def tracer_provider(settings: ServiceSettings) -> TracerProvider:
    """The service's spans, exported as its settings say; ``ServiceRuntime.stop`` flushes it."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"multitrack-{settings.service_name}"})
    )
    exporter = _exporter(settings)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def _exporter(settings: ServiceSettings) -> SpanExporter | None:
    if settings.otel_exporter == "otlp":
        return OTLPSpanExporter(endpoint=settings.otel_endpoint or None)
    if settings.otel_exporter == "console":
        return ConsoleSpanExporter(service_name=settings.service_name)
    return None


def trace_routes(app: FastAPI, provider: TracerProvider) -> None:
    """A server span around every request, a child of the caller's ``traceparent`` if sane."""
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        meter_provider=NoOpMeterProvider(),  # metrics are exported elsewhere, not by tracing
        excluded_urls=UNTRACED_PATHS,
        exclude_spans=["receive", "send"],
    )


def current_trace_context() -> dict[str, str]:
    """The running span's W3C trace context (``traceparent``, ``tracestate``); empty if none."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return {key: carrier[key] for key in TRACE_ATTRIBUTES if carrier.get(key)}


def _parent(trace_context: Mapping[str, str] | None) -> Context:
    return _PROPAGATOR.extract(dict(trace_context or {}))


def _context_of(span: Span) -> dict[str, str]:
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
    return {key: carrier[key] for key in TRACE_ATTRIBUTES if carrier.get(key)}


def _event_attributes(
    topic: str, event_id: str, event_type: str, operation: str
) -> dict[str, str | int]:
    return {
        "messaging.system": "kafka",
        "messaging.operation.type": operation,
        "messaging.destination.name": topic,
        "messaging.message.id": event_id,
        "cloudevents.event_id": event_id,
        "cloudevents.event_type": event_type,
    }


def start_publish_span(
    tracer: Tracer,
    *,
    topic: str,
    event_id: str,
    event_type: str,
    stored_context: Mapping[str, str] | None,
) -> tuple[Span, dict[str, str]]:
    """A producer span, child of the context stored with the outbox row, and the trace context
    the record carries; ``end_on_delivery`` ends it when the broker answers."""
    span = tracer.start_span(
        f"{topic} publish",
        context=_parent(stored_context),
        kind=SpanKind.PRODUCER,
        attributes=_event_attributes(topic, event_id, event_type, "send"),
    )
    return span, _context_of(span)


def end_on_delivery(span: Span, delivery: asyncio.Future[Any]) -> None:
    """Ends a publish span when the broker acknowledges the record, or fails it."""

    def ended(done: asyncio.Future[Any]) -> None:
        if done.cancelled():
            span.set_status(Status(StatusCode.ERROR, "cancelled"))
        elif (error := done.exception()) is not None:
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.end()

    delivery.add_done_callback(ended)


def end_failed(span: Span, error: BaseException) -> None:
    """Ends a span whose work failed; the status names the error's type, never its payload."""
    span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()


@contextmanager
def consume_span(tracer: Tracer, topic: str, envelope: Envelope) -> Iterator[Span]:
    """The current span while one record is applied, a child of the record's trace context;
    log lines written meanwhile name the event and the organization owning its record."""
    with (
        tracer.start_as_current_span(
            f"{topic} process",
            context=_parent(envelope.trace_context),
            kind=SpanKind.CONSUMER,
            attributes=_event_attributes(topic, envelope.id, envelope.type, "process"),
        ) as span,
        structlog.contextvars.bound_contextvars(**_log_context(envelope)),
    ):
        yield span


def _log_context(envelope: Envelope) -> dict[str, str]:
    """The event's id, and the organization owning its record where the event says (its
    ``ownership``): never a person."""
    ownership = envelope.data.get("ownership")
    owner = ownership.get("owner_org") if isinstance(ownership, dict) else None
    return {"event_id": envelope.id} | ({"organization": owner} if isinstance(owner, str) else {})


def mark_failed(reason: str) -> None:
    """Marks the current span failed (an event dead-lettered, say), without its payload."""
    trace.get_current_span().set_status(Status(StatusCode.ERROR, reason))
