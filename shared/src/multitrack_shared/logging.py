"""Structured logs: one JSON object a line, so that ops tooling can filter by service and event.

Logs carry no personal data and no credentials: nothing logs request or event bodies, SQL errors
leave their parameters out (``db.engine``), event validation errors leave the input out
(``IntegrationEvent``), and ``withhold_bodies`` blanks any value logged under a key that names
a body or a credential, should someone try.
"""

from __future__ import annotations

import logging
import sys

import structlog
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


def configure_logging(service: str, level: str = "INFO", as_json: bool = True) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
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
