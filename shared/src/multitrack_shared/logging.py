"""Structured logs: one JSON object a line, so that ops tooling can filter by service and event.

Logs carry no personal data and no credentials: nothing logs request or event bodies, SQL errors
leave their parameters out (``db.engine``), event validation errors leave the input out
(``IntegrationEvent``), and ``withhold_bodies`` blanks any value logged under a key that names
a body or a credential, should someone try.

Every line written while a span runs names it (``trace_id``, ``span_id``: ``add_trace_ids``), so
a trace found in the tracing backend leads to its log lines and back. A request's lines name
its id and its caller's organization (``http.request_id``, ``http.auth``), an event's lines its
id and its record's organization (``messaging.consumer``); never a person's name or a token.
"""

from __future__ import annotations

import logging
import sys

import structlog
from opentelemetry import trace
from structlog.types import EventDict, WrappedLogger

WITHHELD = "[withheld]"
WITHHELD_KEYS = frozenset(
    {
        "body",
        "request_body",
        "response_body",
        "payload",
        "data",
        "json",
        "form",
        "headers",
        "authorization",
        "token",
        "access_token",
        "password",
        "secret",
        "client_secret",
    }
)


def withhold_bodies(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Blanks what is logged under a key that names a body or a credential."""
    for key in event.keys() & WITHHELD_KEYS:
        event[key] = WITHHELD
    return event


def add_trace_ids(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Names the running span, if any, as its trace exporter does (lowercase hex)."""
    span = trace.get_current_span().get_span_context()
    if span.is_valid:
        event.setdefault("trace_id", trace.format_trace_id(span.trace_id))
        event.setdefault("span_id", trace.format_span_id(span.span_id))
    return event


def configure_logging(service: str, level: str = "INFO", as_json: bool = True) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            withhold_bodies,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(
        level=level.upper(), stream=sys.stderr, format="%(levelname)s %(name)s %(message)s"
    )
    # aiokafka logs every failed reconnect at ERROR; during an outage that drowns the signal.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)  # type: ignore[no-any-return]
