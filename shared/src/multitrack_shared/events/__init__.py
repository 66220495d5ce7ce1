"""The published language: the envelope and every versioned event, one module per producer.

Importing this package registers every event type in ``IntegrationEvent.registry``.
"""

from multitrack_shared.events import (
    conflicts,
    do_no_harm,
    engagements,
    evaluation,
    invitations,
    partners,
)
from multitrack_shared.events.envelope import Envelope, IntegrationEvent, UndecodableEvent


def platform_events() -> dict[str, type[IntegrationEvent]]:
    """Every event type the services declare here, by type (a test may register its own)."""
    return {
        event_type: event
        for event_type, event in sorted(IntegrationEvent.registry.items())
        if event.__module__.startswith(f"{__name__}.")
    }


__all__ = [
    "Envelope",
    "IntegrationEvent",
    "UndecodableEvent",
    "conflicts",
    "do_no_harm",
    "engagements",
    "evaluation",
    "invitations",
    "partners",
    "platform_events",
]
