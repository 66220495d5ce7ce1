"""Every request is traced by the app factory: a server span, the child of the caller's
``traceparent`` when it sends one; what the request publishes is stored in that trace. Probes
make no spans."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlmodel import select

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_TRACEPARENT = f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"


async def test_a_request_continues_its_caller_s_trace_into_the_outbox(
    memos: FastAPI, api: httpx.AsyncClient
) -> None:
    exporter = InMemorySpanExporter()
    memos.state.runtime.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))

    written = await api.post(
        "/memos",
        json={"title": "Traced", "visibility": "consortium"},
        headers={"traceparent": CALLER_TRACEPARENT},
    )
    fresh = await api.get(f"/memos/{written.json()['id']}")
    await api.get("/health/live")

    assert written.status_code == 201, written.text
    assert fresh.status_code == 200
    servers = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert [(s.name, s.attributes and s.attributes.get("http.route")) for s in servers] == [
        ("POST /memos", "/memos"),
        ("GET /memos/{memo_id}", "/memos/{memo_id}"),
    ]
    write, read = servers
    assert f"{write.context.trace_id:032x}" == CALLER_TRACE
    assert read.context.trace_id != write.context.trace_id  # a new trace without a traceparent
    async with memos.state.runtime.sessions() as s:
        (stored,) = (await s.exec(select(memos.state.runtime.tables.outbox.c.trace_context))).all()
    assert stored["traceparent"] == f"00-{CALLER_TRACE}-{write.context.span_id:016x}-01"
