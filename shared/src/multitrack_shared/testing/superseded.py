"""Events as the versions they superseded carried them, for tests of consumers that replay.

A ``.v1`` record stays on its topic after its ``.v2`` replaced it, and a read model rebuilt from
the beginning reads it again, through the upcasters. ``as_superseded(event, Earlier,
**carried)`` builds that record from the current event and the fields that no longer travel;
``as_replayed(...)`` is the same record as a consumer's handler receives it, read back as the
current version, so that a test can check that a replay applies it alike and keeps none of
that text.
"""

from __future__ import annotations

from typing import Any, TypeVar

from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.upcasting import read_event

E = TypeVar("E", bound=IntegrationEvent)


def as_superseded(event: IntegrationEvent, earlier: type[E], **carried: Any) -> E:
    """``event`` as ``earlier``, a version it superseded (directly or through the versions in
    between), with ``carried`` added or replacing its fields; what ``earlier`` never carried
    is left out."""
    if event.event_type not in _successors(earlier):
        raise TypeError(f"{earlier.event_type} is not superseded by {event.event_type}")
    return earlier.model_validate({**event.model_dump(), **carried})


def _successors(earlier: type[IntegrationEvent]) -> list[str]:
    """The versions that followed ``earlier``, in order."""
    found: list[str] = []
    following = earlier.superseded_by
    while following is not None:
        found.append(following)
        following = IntegrationEvent.registry[following].superseded_by
    return found


def as_replayed(event: E, earlier: type[IntegrationEvent], **carried: Any) -> E:
    """``event`` written as ``earlier`` with ``carried``, then read from its JSON as the
    consumer runtime reads a record: validated as ``earlier``, upcast to ``event``'s version."""
    record = as_superseded(event, earlier, **carried)
    read = read_event(record.event_type, record.model_dump(mode="json"))
    if not isinstance(read, type(event)):
        raise TypeError(f"{earlier.event_type} is read as {read.event_type}")
    return read
