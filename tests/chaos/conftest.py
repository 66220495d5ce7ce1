"""The fault suite's own broker and PostgreSQL: it stops and kills them, so it shares neither
with any other test; the identity provider is the session's (never stopped)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .infrastructure import OwnBroker, OwnPostgres, own_broker, own_postgres

LINES: list[str] = []
"""Each scenario's line, printed again together at the end of the run."""


@pytest.fixture(scope="session")
def chaos_broker() -> Iterator[OwnBroker]:
    with own_broker() as broker:
        yield broker


@pytest.fixture(scope="session")
def chaos_postgres() -> Iterator[OwnPostgres]:
    with own_postgres() as postgres:
        yield postgres


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if LINES:
        terminalreporter.section("fault scenarios")
        for line in LINES:
            terminalreporter.write_line(line)
