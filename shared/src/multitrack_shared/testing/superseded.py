"""Events as the versions they superseded carried them, for tests of consumers that replay.

A ``.v1`` record stays on its topic after its ``.v2`` replaced it, and a read model rebuilt from
the beginning reads it again. ``as_superseded(event, Earlier, **carried)`` builds it from the
current event and the fields that no longer travel, so that a test can check that a consumer
applies both alike and keeps none of that text.
"""

from __future__ import annotations

from typing import Any, TypeVar

from multitrack_shared.events.envelope import IntegrationEvent

E = TypeVar("E", bound=IntegrationEvent)


def as_superseded(event: IntegrationEvent, earlier: type[E], **carried: Any) -> E:
    """``event`` as ``earlier``, the version it superseded, with ``carried`` added or replacing
    its fields."""
    if earlier.superseded_by != event.event_type:
        raise TypeError(f"{earlier.event_type} is not superseded by {event.event_type}")
    return earlier.model_validate({**event.model_dump(), **carried})
