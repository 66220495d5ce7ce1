"""The in-memory unit of work the services' unit tests run their use cases on: it commits and
rolls back like the real one, and its tables hand out copies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest
from pydantic import Field

from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.testing.fakes import (
    DuplicateKey,
    FakeRepository,
    FakeUnitOfWork,
    RecordedChange,
    Rows,
)

pytestmark = pytest.mark.unit

NOTES = TopicSpec("multitrack.notes.v1", 1, "Notes of the fake unit-of-work tests.")


class NoteWritten(IntegrationEvent):
    event_type: ClassVar[str] = "multitrack.note.written.v1"
    topic: ClassVar[TopicSpec] = NOTES
    key_field: ClassVar[str] = "note_id"

    note_id: str = Field(description="The note.")


@dataclass
class Note:
    id: str
    text: str


class FakeNoteRepository(FakeRepository):
    def __init__(self) -> None:
        self.notes = Rows[str, Note]()

    async def add(self, note: Note) -> None:
        self.notes.insert(note.id, note)

    async def get(self, note_id: str) -> Note | None:
        return self.notes.get(note_id)


class FakeCountRepository(FakeRepository):
    """A view over the notes of the same unit, as a facts repository reads several tables."""

    def __init__(self, notes: FakeNoteRepository) -> None:
        self.source = notes

    async def count(self) -> int:
        return len(self.source.notes)


class FakeNotesUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.notes = FakeNoteRepository()
        self.counts = FakeCountRepository(self.notes)


async def write(note_id: str, uow: FakeNotesUnitOfWork) -> None:
    await uow.notes.add(Note(note_id, "text"))
    uow.publish(NoteWritten(note_id=note_id))


async def write_then_fail(note_id: str, uow: FakeNotesUnitOfWork) -> None:
    async with uow:
        await write(note_id, uow)
        raise RuntimeError("refused")


async def test_a_committed_unit_keeps_its_changes_and_publishes_its_events() -> None:
    uow = FakeNotesUnitOfWork()

    async with uow:
        await write("n1", uow)
        assert uow.published == []
        await uow.commit()

    assert uow.published == [NoteWritten(note_id="n1")]
    assert uow.commits == 1
    assert await uow.notes.get("n1") == Note("n1", "text")


async def test_a_unit_left_without_commit_keeps_nothing_and_publishes_nothing() -> None:
    uow = FakeNotesUnitOfWork()
    async with uow:
        await write("kept", uow)
        await uow.commit()

    with pytest.raises(RuntimeError):
        await write_then_fail("lost", uow)
    async with uow:
        await write("forgotten", uow)

    assert uow.published == [NoteWritten(note_id="kept")]
    assert uow.commits == 1
    assert await uow.notes.get("lost") is None
    assert await uow.notes.get("forgotten") is None
    assert await uow.counts.count() == 1


async def test_a_unit_that_fails_before_its_commit_commits_nothing() -> None:
    uow = FakeNotesUnitOfWork()

    with pytest.raises(RuntimeError):
        await write_then_fail("lost", uow)

    assert uow.nothing_committed
    assert len(uow.notes.notes) == 0


async def test_a_rollback_drops_what_came_after_the_last_commit_only() -> None:
    uow = FakeNotesUnitOfWork()

    async with uow:
        await write("first", uow)
        await uow.commit()
        await write("second", uow)
        await uow.rollback()
        await write("third", uow)
        await uow.commit()

    assert uow.published == [NoteWritten(note_id="first"), NoteWritten(note_id="third")]
    assert list(uow.notes.notes) == ["first", "third"]


async def test_a_view_reads_the_same_repository_after_a_rollback() -> None:
    uow = FakeNotesUnitOfWork()
    async with uow:
        await write("n1", uow)

    async with uow:
        await write("n2", uow)
        await uow.commit()

    assert uow.counts.source is uow.notes
    assert await uow.counts.count() == 1


async def test_an_aggregate_changed_but_not_saved_is_unchanged_in_its_table() -> None:
    uow = FakeNotesUnitOfWork()
    await uow.notes.add(Note("n1", "before"))

    async with uow:
        note = await uow.notes.get("n1")
        assert note is not None
        note.text = "after"
        await uow.commit()

    assert await uow.notes.get("n1") == Note("n1", "before")


async def test_a_key_is_inserted_once() -> None:
    uow = FakeNotesUnitOfWork()
    await uow.notes.add(Note("n1", "text"))

    with pytest.raises(DuplicateKey):
        await uow.notes.add(Note("n1", "again"))


async def handle_written(event: NoteWritten, uow: FakeNotesUnitOfWork) -> None:
    await uow.notes.add(Note(event.note_id, "from an event"))


async def test_an_event_is_consumed_in_a_unit_of_its_own_then_committed() -> None:
    uow = FakeNotesUnitOfWork()

    await uow.consume(handle_written, NoteWritten(note_id="n1"))

    assert await uow.notes.get("n1") == Note("n1", "from an event")
    assert uow.commits == 1


async def test_a_change_recorded_for_the_audit_is_kept_with_its_commit_only() -> None:
    uow = FakeNotesUnitOfWork()

    async with uow:
        uow.record_change("note", "n1", "archived")
        await uow.rollback()
        uow.record_change("note", "n2", "archived")
        await uow.commit()
    async with uow:
        uow.record_change("note", "n3", "archived")

    assert uow.recorded == [RecordedChange("note", "n2", "archived")]
    assert not uow.nothing_committed
