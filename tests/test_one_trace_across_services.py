"""One trace follows a request across the four processes: the acceptance's HTTP call, the
publishing of its event, the engagements service applying it and publishing the engagement it
opened, and every service that applies that in turn. Each process exports its spans over OTLP
to a receiver the test runs, as it would to a collector; its log lines name the same trace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from multitrack_shared.testing.otlp import ReceivedSpan, SpanReceiver
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

DECISION_ROUTE = "/invitations/{invitation_id}/decision"
ACCEPTED = "multitrack.invitation.accepted."
OPENED = "multitrack.engagement.opened."


def only(spans: list[ReceivedSpan], service: str, kind: str, event: str) -> ReceivedSpan | None:
    found = [
        s
        for s in spans
        if (s.service, s.kind) == (f"multitrack-{service}", kind)
        and str(s.attributes.get("cloudevents.event_type", "")).startswith(event)
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


def log_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


async def test_one_trace_id_on_the_http_span_the_publish_spans_and_every_consumer_span(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    with SpanReceiver() as receiver:
        platform = await start_platform(
            {
                "MULTITRACK_OTEL_EXPORTER": "otlp",
                "MULTITRACK_OTEL_ENDPOINT": receiver.url,
                "OTEL_BSP_SCHEDULE_DELAY": "200",  # milliseconds between two exports
            }
        )
        invitations = platform.url("invitations")
        async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
            created = await http.post(f"{invitations}/invitations", json=invitation_body())
            invitation_id = created.json()["id"]
            await http.put(
                f"{invitations}/invitations/{invitation_id}/assessment", json=assessment_body()
            )
            accepted = await http.post(
                f"{invitations}/invitations/{invitation_id}/decision", json=acceptance_body()
            )
            assert accepted.status_code == 200, accepted.text

        async def decision_span() -> ReceivedSpan | None:
            return next(
                (
                    s
                    for s in receiver.spans()
                    if s.kind == "server" and s.attributes.get("http.route") == DECISION_ROUTE
                ),
                None,
            )

        request = await eventually(decision_span, what="the acceptance's HTTP span exported")

        async def whole_trace() -> dict[str, ReceivedSpan] | None:
            spans = [s for s in receiver.spans() if s.trace_id == request.trace_id]
            found = {
                "acceptance published": only(spans, "invitations", "producer", ACCEPTED),
                "acceptance applied": only(spans, "engagements", "consumer", ACCEPTED),
                "opening published": only(spans, "engagements", "producer", OPENED),
                "opening applied by evaluation": only(spans, "evaluation", "consumer", OPENED),
                "opening applied by partners": only(spans, "partners", "consumer", OPENED),
            }
            return {k: v for k, v in found.items() if v} if all(found.values()) else None

        trace = await eventually(whole_trace, what="every span of the request's trace")

    assert request.service == "multitrack-invitations"
    assert trace["acceptance published"].parent_span_id == request.span_id
    assert trace["acceptance applied"].parent_span_id == trace["acceptance published"].span_id
    assert trace["opening published"].parent_span_id == trace["acceptance applied"].span_id
    for consumer in ("opening applied by evaluation", "opening applied by partners"):
        assert trace[consumer].parent_span_id == trace["opening published"].span_id
    assert not any(span.failed for span in [request, *trace.values()])
    published, applied = trace["acceptance published"], trace["acceptance applied"]
    event_id = published.attributes["cloudevents.event_id"]
    assert applied.attributes["cloudevents.event_id"] == event_id

    # The engagements process's JSON log line for that event names its trace, span, event and
    # the organization owning the record.
    (line,) = [
        line
        for line in log_lines(platform.services["engagements"].log_path)
        if line.get("event") == "event applied" and line.get("event_id") == event_id
    ]
    assert (line["trace_id"], line["span_id"]) == (request.trace_id, applied.span_id)
    assert line["organization"] == "org-a"
    assert line["service"] == "engagements"
