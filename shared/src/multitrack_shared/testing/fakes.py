"""In-memory stand-ins for a unit of work and its repositories, for unit tests of use cases.

A service's tests declare ``Fake<Name>UnitOfWork(FakeUnitOfWork)`` holding one fake per
repository of its port, each a ``FakeRepository`` that keeps its records in ``Rows``. The use
cases then run on it as on the real unit of work, with no database and no broker.

The fake keeps the promises of ``db.uow.UnitOfWork`` that use cases rely on:

- an event ``publish``ed inside a unit is published (appended to ``published``) only when the
  unit commits; a unit left without a commit, or rolled back, publishes nothing;
- a change made inside a unit is kept only when the unit commits: leaving it without a commit,
  or ``rollback()``, puts every repository back as the unit found it, or as its last commit
  left it;
- repositories hand out copies of what they hold, as the SQL ones map rows to new domain
  objects: an aggregate changed but never saved is not changed in the repository.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from multitrack_shared.events.envelope import Envelope, IntegrationEvent, still_published
from multitrack_shared.messaging.topics import TopicSpec

K = TypeVar("K")
V = TypeVar("V")
E = TypeVar("E", bound=IntegrationEvent)


@dataclass(frozen=True)
class RecordedChange:
    """A change a use case audited with ``record_change``."""

    record_type: str
    record_id: str
    action: str


class DuplicateKey(Exception):
    """An insert of a key already held, which the database refuses."""


class Rows(Generic[K, V]):
    """One table in memory, keyed like its primary key, in the order rows were first written.

    What goes in is copied and what comes out is a copy, so that no caller shares an object
    with the table.
    """

    def __init__(self) -> None:
        self._rows: dict[K, V] = {}

    def insert(self, key: K, value: V) -> None:
        if key in self._rows:
            raise DuplicateKey(key)
        self._rows[key] = copy.deepcopy(value)

    def update(self, key: K, value: V) -> None:
        """Replace a row that exists; like the SQL repositories' ``save``, it follows a read."""
        if key not in self._rows:
            raise KeyError(key)
        self._rows[key] = copy.deepcopy(value)

    def put(self, key: K, value: V) -> None:
        """Insert or replace."""
        self._rows[key] = copy.deepcopy(value)

    def delete(self, key: K) -> None:
        self._rows.pop(key, None)

    def get(self, key: K) -> V | None:
        return copy.deepcopy(self._rows.get(key))

    def values(self) -> list[V]:
        return copy.deepcopy(list(self._rows.values()))

    def items(self) -> list[tuple[K, V]]:
        return copy.deepcopy(list(self._rows.items()))

    def __deepcopy__(self, memo: dict[int, Any]) -> Rows[K, V]:
        # Each value is held here alone and never changed in place (in and out go copies), so
        # a copy of the table may share them: a unit's snapshot costs one dict per table.
        twin = type(self)()
        twin._rows = dict(self._rows)
        return twin

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._rows))


class FakeRepository:
    """Base of a service's fake repositories: its attributes are its state.

    The unit of work holding it copies that state when it opens and at each commit, and puts
    it back when it is left without a commit. A fake that reads another fake of the same unit
    (a view over several tables) keeps that reference as it is.
    """


class FakeUnitOfWork:
    """What a use case sees of ``db.uow.UnitOfWork``, in memory.

    Subclasses hold their fake repositories as attributes, set in ``__init__``. ``published``
    lists the events of every committed unit in order, ``recorded`` the changes audited with
    ``record_change``; ``commits`` counts the commits.
    """

    def __init__(self) -> None:
        self.published: list[IntegrationEvent] = []
        self.recorded: list[RecordedChange] = []
        self.commits = 0
        self._pending: list[IntegrationEvent] = []
        self._pending_changes: list[RecordedChange] = []
        self._kept: dict[str, dict[str, Any]] = {}
        self.forwarded: list[tuple[Envelope, TopicSpec]] = []
        """Copies of consumed events forwarded by committed units, in order."""
        self._pending_forwards: list[tuple[Envelope, TopicSpec]] = []
        self.consumed: Envelope | None = None

    async def __aenter__(self) -> Self:
        self._pending = []
        self._pending_changes = []
        self._pending_forwards = []
        self._kept = self._state()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    def publish(self, event: IntegrationEvent) -> None:
        self._pending.append(still_published(event))

    def record_change(self, record_type: str, record_id: str, action: str) -> None:
        self._pending_changes.append(RecordedChange(record_type, record_id, action))

    def forward(self, envelope: Envelope, topic: TopicSpec) -> None:
        self._pending_forwards.append((envelope, topic))

    async def commit(self) -> None:
        published, self._pending = self._pending, []
        changes, self._pending_changes = self._pending_changes, []
        forwards, self._pending_forwards = self._pending_forwards, []
        self.forwarded.extend(forwards)
        self.published.extend(published)
        self.recorded.extend(changes)
        self._kept = self._state()
        self.commits += 1

    async def rollback(self) -> None:
        self._pending = []
        self._pending_changes = []
        self._pending_forwards = []
        for name, state in self._copy(self._kept).items():
            kept = vars(self._repositories()[name])
            kept.clear()
            kept.update(state)

    @property
    def nothing_committed(self) -> bool:
        """No unit was committed: nothing was kept, no event was published or change audited."""
        return self.commits == 0 and not self.published and not self.recorded

    async def consume(self, handler: Callable[[E, Self], Awaitable[None]], event: E) -> None:
        """Apply ``event`` as the consumer runtime does: in a unit of its own, then a commit."""
        self.consumed = Envelope.wrap(event, f"/multitrack/{event.__module__.rsplit('.', 1)[-1]}")
        async with self:
            await handler(event, self)
            await self.commit()
        self.consumed = None

    def _repositories(self) -> dict[str, FakeRepository]:
        return {
            name: value for name, value in vars(self).items() if isinstance(value, FakeRepository)
        }

    def _state(self) -> dict[str, dict[str, Any]]:
        return self._copy({name: vars(r) for name, r in self._repositories().items()})

    def _copy(self, state: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        # The repositories themselves are not copied: a reference from one to another stays.
        unchanged: dict[int, Any] = {id(r): r for r in self._repositories().values()}
        return copy.deepcopy(state, unchanged)
