"""Every event version's contract: its JSON Schema, generated from its model and committed.

``contracts/events/<event type>.json`` holds one file per version ever published, superseded
ones included (their records stay on the topics). ``deploy/contracts/contracts.py`` writes
them; a test regenerates them and compares. What may change in a committed version is decided
by ``compatibility.breaking_changes``: a model that breaks its committed contract is refused
(``IncompatibleContracts``), and the way on is a new version (``.v<N+1>``) with an upcaster
(``upcasting``); a committed version whose model is gone is refused too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from multitrack_shared.events import platform_events
from multitrack_shared.events.compatibility import breaking_changes
from multitrack_shared.events.envelope import IntegrationEvent

DIALECT = "https://json-schema.org/draft/2020-12/schema"
EVENTS_FOLDER = Path("contracts") / "events"
"""Where the contracts are committed, from the repository's root."""


def contract_of(event: type[IntegrationEvent]) -> dict[str, Any]:
    """The JSON Schema of ``event``'s payload, with where it travels and what replaced it."""
    schema = event.model_json_schema(mode="serialization")
    header: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"urn:multitrack:event:{event.event_type}",
        "x-event-type": event.event_type,
        "x-topic": event.topic.name,
        "x-key": event.key_field,
    }
    if event.superseded_by is not None:
        header["x-superseded-by"] = event.superseded_by
        header["deprecated"] = True
    return {**header, **schema}


def rendered(contract: Mapping[str, Any]) -> str:
    """A contract as committed: indented JSON, keys in the model's order, one final newline."""
    return json.dumps(contract, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ContractCheck:
    """How the committed contracts and the models compare."""

    new: tuple[str, ...] = ()
    """Versions with a model and no committed contract: to be written."""
    stale: tuple[str, ...] = ()
    """Committed contracts the model changed compatibly: to be written again."""
    breaking: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Committed contracts the model breaks, with each breaking change."""
    orphaned: tuple[str, ...] = ()
    """Committed contracts whose model is gone, while records of them may remain."""

    @property
    def compatible(self) -> bool:
        return not (self.breaking or self.orphaned)

    @property
    def up_to_date(self) -> bool:
        return self.compatible and not (self.new or self.stale)

    def problems(self) -> list[str]:
        return [
            *(
                f"{event_type} changed incompatibly: {change}; publish it as a new version "
                "with an upcaster instead"
                for event_type, changes in self.breaking.items()
                for change in changes
            ),
            *(
                f"{event_type} has a committed contract and no model: records of it stay on "
                "the topics, keep its model"
                for event_type in self.orphaned
            ),
            *(f"{event_type} has no committed contract" for event_type in self.new),
            *(f"{event_type}'s committed contract is stale" for event_type in self.stale),
        ]


def check_contracts(
    committed: Mapping[str, Mapping[str, Any]], events: Mapping[str, type[IntegrationEvent]]
) -> ContractCheck:
    current = {event_type: contract_of(event) for event_type, event in events.items()}
    breaking = {
        event_type: tuple(changes)
        for event_type, schema in committed.items()
        if event_type in current and (changes := breaking_changes(schema, current[event_type]))
    }
    return ContractCheck(
        new=tuple(t for t in current if t not in committed),
        stale=tuple(
            t
            for t in current
            if t in committed and t not in breaking and committed[t] != current[t]
        ),
        breaking=breaking,
        orphaned=tuple(t for t in committed if t not in current),
    )


def read_contracts(folder: Path) -> dict[str, dict[str, Any]]:
    """The committed contracts in ``folder``, by event type (each file's name)."""
    return {
        path.name.removesuffix(".json"): json.loads(path.read_text())
        for path in sorted(folder.glob("*.json"))
    }


class IncompatibleContracts(ValueError):
    """A model breaks its committed contract, or a committed version lost its model."""


def write_contracts(
    folder: Path, events: Mapping[str, type[IntegrationEvent]] | None = None
) -> ContractCheck:
    """Write the contracts that are new or changed compatibly; refuse if any would break."""
    events = platform_events() if events is None else events
    check = check_contracts(read_contracts(folder), events)
    if not check.compatible:
        raise IncompatibleContracts("\n".join(check.problems()))
    folder.mkdir(parents=True, exist_ok=True)
    for event_type in (*check.new, *check.stale):
        (folder / f"{event_type}.json").write_text(rendered(contract_of(events[event_type])))
    return check
