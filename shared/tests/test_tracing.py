"""Traces through the outbox and the broker: the trace context an event is published in is
stored with its outbox row, carried as the CloudEvents ``traceparent`` and continued by the
consumer that applies it; log lines name the span they are written in."""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from sqlmodel import select

from multitrack_shared.events.envelope import Envelope
from multitrack_shared.logging import add_trace_ids
from multitrack_shared.messaging.consumer import ConsumerRuntime, Subscription
from multitrack_shared.messaging.relay import OutboxRelay
from multitrack_shared.messaging.topics import dead_letter_topic
from multitrack_shared.testing.polling import eventually

from .conftest import Probe, ProbeHappened, count_probe, read_topic, running

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_the_trace_context_travels_as_the_cloudevents_traceparent_and_comes_back() -> None:
    traced = Envelope.wrap(
        ProbeHappened(aggregate_id="a", n=1), "/test", {"traceparent": TRACEPARENT}
    )
    untraced = Envelope.wrap(ProbeHappened(aggregate_id="a", n=2), "/test")

    headers = traced.to_kafka().headers
    assert headers["ce_traceparent"] == TRACEPARENT.encode()
    assert "ce_traceparent" not in untraced.to_kafka().headers

    back = Envelope.from_kafka(list(headers.items()), b"a", traced.to_kafka().value)
    assert back.trace_context == {"traceparent": TRACEPARENT}
    untraced_message = untraced.to_kafka()
    assert (
        Envelope.from_kafka(untraced_message.headers, b"a", untraced_message.value).trace_context
        == {}
    )


def test_a_log_line_names_the_span_it_is_written_in_and_none_outside_one() -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        inside = add_trace_ids(None, "info", {"event": "inside"})
    outside = add_trace_ids(None, "info", {"event": "outside"})

    context = span.get_span_context()
    assert inside["trace_id"] == f"{context.trace_id:032x}"
    assert inside["span_id"] == f"{context.span_id:016x}"
    assert "trace_id" not in outside
    assert "span_id" not in outside


def by_event(spans: Sequence[ReadableSpan], kind: SpanKind) -> dict[str, ReadableSpan]:
    return {str((s.attributes or {})["messaging.message.id"]): s for s in spans if s.kind == kind}


async def test_a_request_s_trace_goes_through_the_outbox_and_the_broker_into_the_consumer(
    probe: Probe,
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("request") as request:
        async with probe.uow() as uow:
            uow.publish(ProbeHappened(aggregate_id="traced", n=1))
            uow.publish(ProbeHappened(aggregate_id="traced", n=2, always_fail=True))
            await uow.commit()
    async with probe.sessions() as s:
        stored = (await s.exec(select(probe.tables.outbox.c.trace_context))).all()
    trace_id = request.get_span_context().trace_id
    assert [row["traceparent"].split("-")[1] for row in stored] == [f"{trace_id:032x}"] * 2

    relay = OutboxRelay(probe.settings, probe.engine, probe.tables, tracer=tracer)
    consumer = ConsumerRuntime(
        probe.settings,
        Subscription(handlers={ProbeHappened: count_probe}),
        probe.uow,
        probe.tables,
        tracer=tracer,
    )

    async def both_consumed() -> bool:
        return len(by_event(exporter.get_finished_spans(), SpanKind.CONSUMER)) == 2

    relay.wake()  # as the commit wakes a service's relay
    async with running(relay.run), running(consumer.run):
        await eventually(both_consumed, what="both events applied or dead-lettered")
        # Applied in one batch first, the failing one then alone until dead-lettered: each
        # event's last consumer span tells how it ended.
        await read_topic(probe.settings, dead_letter_topic("probe"), 1)

    spans = exporter.get_finished_spans()
    published = by_event(spans, SpanKind.PRODUCER)
    consumed = by_event(spans, SpanKind.CONSUMER)
    assert published.keys() == consumed.keys()
    assert {s.context.trace_id for s in spans} == {trace_id}
    for event_id, publish in published.items():
        assert publish.parent is not None
        assert publish.parent.span_id == request.get_span_context().span_id
        parent = consumed[event_id].parent
        assert parent is not None
        assert parent.span_id == publish.context.span_id
        assert publish.status.status_code is not StatusCode.ERROR
    statuses = sorted(s.status.status_code.name for s in consumed.values())
    assert statuses == ["ERROR", "UNSET"]  # the failing one was dead-lettered
    assert trace.get_current_span() is trace.INVALID_SPAN
