"""Each event version's committed JSON Schema holds: a model that breaks it is refused.

The committed contracts (``contracts/events/``) are copied into a temporary folder; the
models, or the copies, are then changed the ways a careless edit would, and the check must
name each breaking change, while a compatible change (a new optional field, a reworded
description) only makes the contract stale, and writing them updates it.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from pydantic import Field

from multitrack_shared.events import evaluation as ev
from multitrack_shared.events import invitations as inv
from multitrack_shared.events import platform_events
from multitrack_shared.events.contracts import (
    EVENTS_FOLDER,
    IncompatibleContracts,
    check_contracts,
    read_contracts,
    write_contracts,
)
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.testing.paths import repo_root

pytestmark = pytest.mark.unit

RECORDED = ev.LessonRecordedV3.event_type
REVISED = ev.LessonRevisedV3.event_type
ACCEPTED = inv.InvitationAcceptedV2.event_type


@pytest.fixture
def committed(tmp_path: Path) -> Path:
    """A copy of the committed contracts, free to edit."""
    folder = tmp_path / "events"
    shutil.copytree(repo_root() / EVENTS_FOLDER, folder)
    return folder


def with_model(event_type: str, model: type[IntegrationEvent]) -> dict[str, Any]:
    return {**platform_events(), event_type: model}


def breaking(folder: Path, events: dict[str, Any]) -> tuple[str, ...]:
    check = check_contracts(read_contracts(folder), events)
    assert not check.compatible
    return tuple(change for changes in check.breaking.values() for change in changes)


# Each model below stands for a published version edited in place: it keeps the event type
# (inherited, so it is not registered a second time) and changes one field.


class RevisionAsText(ev.LessonRevisedV3):
    # The retyping under test: mypy rightly sees the override.
    revision: str = Field(description="Revision number; the first recording is 1.")  # type: ignore[assignment]


class SourceRequired(ev.LessonRecordedV3):
    source_engagement_id: str = Field(description="The engagement whose evaluation taught it.")


class FewerConfidences(ev.LessonRecordedV3):
    # The enum narrowed under test: mypy rightly sees the override.
    confidence: Literal["high", "medium"] = Field(description="How sure the evaluators are.")  # type: ignore[assignment]


class NewRequiredField(ev.LessonRecordedV3):
    reviewed_at: datetime = Field(description="When it was reviewed.")


class InviterTrackAsText(inv.InvitationAcceptedV2):
    class Profile(inv.InviterProfile):
        # The nested retyping under test: mypy rightly sees the override.
        track: str = Field(description="Track, as text.")  # type: ignore[assignment]

    inviter: Profile = Field(description="Who invited.")


class NewOptionalField(ev.LessonRecordedV3):
    language: str | None = Field(default=None, description="Language the lesson is worded in.")


class Reworded(ev.LessonRecordedV3):
    """A lesson learned was recorded (reworded, and nothing else)."""

    statement: str = Field(description="The lesson, reworded.")


def test_the_committed_contracts_are_those_of_every_registered_version(committed: Path) -> None:
    check = check_contracts(read_contracts(committed), platform_events())
    assert check.up_to_date, check.problems()
    assert set(read_contracts(committed)) == set(platform_events())
    superseded = read_contracts(committed)["multitrack.lesson.recorded.v2"]
    assert superseded["x-superseded-by"] == RECORDED
    assert superseded["deprecated"] is True


@pytest.mark.parametrize(
    ("event_type", "model", "change"),
    [
        (REVISED, RevisionAsText, 'payload.revision: type "integer" became "string"'),
        (RECORDED, SourceRequired, "payload.source_engagement_id: optional made required"),
        (RECORDED, FewerConfidences, "payload.confidence: enum narrowed, no longer admits"),
        (RECORDED, NewRequiredField, "payload.reviewed_at: added as required"),
        (ACCEPTED, InviterTrackAsText, 'payload.inviter.track: type "integer" became'),
    ],
    ids=["retyped", "made required", "enum narrowed", "required added", "nested retyped"],
)
def test_a_model_that_breaks_its_committed_version_fails_the_check_and_is_not_written(
    committed: Path, event_type: str, model: type[IntegrationEvent], change: str
) -> None:
    before = (committed / f"{event_type}.json").read_text()

    changes = breaking(committed, with_model(event_type, model))

    assert any(c.startswith(change) for c in changes), changes
    with pytest.raises(IncompatibleContracts, match=f"{event_type} changed incompatibly"):
        write_contracts(committed, with_model(event_type, model))
    assert (committed / f"{event_type}.json").read_text() == before


def test_a_committed_schema_edited_to_promise_more_than_the_model_fails_the_check(
    committed: Path,
) -> None:
    path = committed / f"{RECORDED}.json"
    schema = json.loads(path.read_text())
    schema["properties"]["evidence"] = {"type": "string", "description": "What it rests on."}
    schema["required"].append("evidence")
    schema["$defs"]["Confidence"]["enum"].append("certain")
    path.write_text(json.dumps(schema))

    changes = breaking(committed, platform_events())

    assert "payload.evidence: removed" in changes
    assert any(c.startswith("payload.confidence: enum narrowed") for c in changes), changes


def test_a_committed_version_whose_model_is_gone_fails_the_check(committed: Path) -> None:
    events = platform_events()
    del events["multitrack.lesson.recorded.v1"]

    check = check_contracts(read_contracts(committed), events)

    assert check.orphaned == ("multitrack.lesson.recorded.v1",)
    assert "keep its model" in "\n".join(check.problems())
    with pytest.raises(IncompatibleContracts):
        write_contracts(committed, events)


@pytest.mark.parametrize("model", [NewOptionalField, Reworded], ids=["optional added", "reworded"])
def test_a_compatible_change_only_makes_the_contract_stale_and_writing_updates_it(
    committed: Path, model: type[IntegrationEvent]
) -> None:
    events = with_model(RECORDED, model)

    check = check_contracts(read_contracts(committed), events)
    assert (check.compatible, check.stale, check.new) == (True, (RECORDED,), ())

    write_contracts(committed, events)
    assert check_contracts(read_contracts(committed), events).up_to_date


def test_a_new_version_is_written_beside_the_ones_it_follows(committed: Path) -> None:
    class LessonRecordedV4(ev.LessonRecordedV3):
        event_type: ClassVar[str] = "multitrack.lesson.recorded.v4"

    try:
        events: dict[str, type[IntegrationEvent]] = {
            **platform_events(),
            LessonRecordedV4.event_type: LessonRecordedV4,
        }
        check = check_contracts(read_contracts(committed), events)
        assert check.new == ("multitrack.lesson.recorded.v4",)
        write_contracts(committed, events)
        assert (committed / "multitrack.lesson.recorded.v4.json").exists()
    finally:
        del IntegrationEvent.registry["multitrack.lesson.recorded.v4"]
