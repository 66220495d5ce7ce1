"""What the engagements service consumes, and which use case each event reaches."""

from __future__ import annotations

from multitrack_engagements.adapters.uow import EngagementsUnitOfWork
from multitrack_engagements.application import handlers
from multitrack_shared.events.invitations import InvitationAccepted
from multitrack_shared.messaging.consumer import Subscription

subscription: Subscription[EngagementsUnitOfWork] = Subscription(
    handlers={InvitationAccepted: handlers.on_invitation_accepted}
)
