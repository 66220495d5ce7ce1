"""The published language: the envelope and every versioned event, one module per producer.

Importing this package registers every event type in ``IntegrationEvent.registry``.
"""

from multitrack_shared.events import engagements, evaluation, invitations, partners
from multitrack_shared.events.envelope import Envelope, IntegrationEvent, UndecodableEvent

__all__ = [
    "Envelope",
    "IntegrationEvent",
    "UndecodableEvent",
    "engagements",
    "evaluation",
    "invitations",
    "partners",
]
