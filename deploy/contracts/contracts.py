"""Writes, or checks, the committed contracts: every event version's JSON Schema and the
platform's AsyncAPI document, both generated from the code.

    uv run python deploy/contracts/contracts.py          # write what is new or changed
    uv run python deploy/contracts/contracts.py --check  # change nothing; exit 1 if stale

Writing refuses a model that breaks its committed version (a field removed or retyped, an
optional field made required, an enum narrowed, ...): such a change is a new version with an
upcaster. A test runs the same check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from multitrack_shared.events import platform_events
from multitrack_shared.events.catalogue import asyncapi_document
from multitrack_shared.events.contracts import (
    EVENTS_FOLDER,
    IncompatibleContracts,
    check_contracts,
    read_contracts,
    write_contracts,
)

ROOT = Path(__file__).resolve().parents[2]
ASYNCAPI = Path("contracts") / "asyncapi.yaml"
HEADER = """\
# The whole platform's event catalogue (AsyncAPI 3.0), generated from the code; regenerate with
#   uv run python deploy/contracts/contracts.py
# Every service serves the same document at /events/asyncapi.json.
"""


def asyncapi_yaml(document: dict[str, Any] | None = None) -> str:
    document = asyncapi_document() if document is None else document
    return HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def check(root: Path) -> list[str]:
    """What is stale or broken in ``root``'s committed contracts; nothing when up to date."""
    problems = check_contracts(read_contracts(root / EVENTS_FOLDER), platform_events()).problems()
    asyncapi = root / ASYNCAPI
    if not asyncapi.exists() or asyncapi.read_text() != asyncapi_yaml():
        problems.append(f"{ASYNCAPI} is stale")
    return problems


def write(root: Path) -> None:
    written = write_contracts(root / EVENTS_FOLDER)
    for event_type in (*written.new, *written.stale):
        print(f"wrote {EVENTS_FOLDER / event_type}.json")
    (root / ASYNCAPI).write_text(asyncapi_yaml())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; report")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository's root")
    arguments = parser.parse_args(argv)
    if arguments.check:
        problems = check(arguments.root)
        print("\n".join(problems) or "contracts up to date")
        return 1 if problems else 0
    try:
        write(arguments.root)
    except IncompatibleContracts as refused:
        print(refused, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
