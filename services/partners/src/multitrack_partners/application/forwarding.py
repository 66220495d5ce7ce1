"""Every event the platform publishes, passed on to partner systems: to the partner feed on
Kafka when its record is consortium-visible, and to each webhook subscription that wants it
and whose organization may read it.

It runs in the consumer runtime, in the unit of work that applies the event (beside this
service's own projection of it, where it has one), so the event's deliveries and its feed copy
are written, through the outbox, in the same transaction as its inbox entry: a restart loses
none and a redelivery of the record adds none.

Whose record an event is about comes from the events that say so (``ownership``: an
invitation's, an engagement's, a lesson's, a partner's first events), kept by subject, since
the events that follow carry only the record's id. Membership and reference data concern the
whole consortium. An event about a record whose owner is not known here goes to nobody.
Superseded versions (``.v1`` events that carried what their successors leave out) are never
passed on, though their owner is noted.
"""

from __future__ import annotations

import uuid

from multitrack_partners.application.ports import PartnersUoW
from multitrack_partners.application.webhook_ports import RecordOwner
from multitrack_partners.domain.deliveries import Delivery
from multitrack_partners.domain.subscriptions import ForwardedEvent
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.envelope import Envelope, IntegrationEvent
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.events.partners import MemberJoined
from multitrack_shared.messaging.topics import PARTNER_FEED

CONSORTIUM_WIDE: frozenset[type[IntegrationEvent]] = frozenset({MemberJoined, ReferenceChanged})
"""Events about the consortium itself, which every member may read."""

NOBODY = RecordOwner(owner_org="", visibility=Visibility.owner.value)
"""The owner of a record not known here: owner-only, of no organization."""


async def on_any_event(event: IntegrationEvent, uow: PartnersUoW) -> None:
    # Every event of the platform comes through here, so each statement counts: the owner
    # an event names is written in one upsert and used as it is; the stored copy's insert
    # tells whether the event was passed on already; subscriptions are read once a poll.
    envelope = uow.consumed
    if envelope is None:
        raise RuntimeError("forwarding runs in the consumer runtime, which names the event")
    named = _owner_named(event)
    if named is not None:
        await uow.forwarded_events.put_owner(envelope.subject, named)
    if event.superseded_by is not None:
        return
    forwarded = await _as_forwarded(event, envelope, named, uow)
    if not await uow.forwarded_events.add(forwarded):
        return  # passed on before: applied again after the read models were rebuilt
    if forwarded.consortium_visible:
        uow.forward(_as_published(forwarded), PARTNER_FEED)
    wanting = [s for s in await uow.subscriptions.active() if s.wants(forwarded)]
    await uow.deliveries.add(
        [
            Delivery(
                id=str(uuid.uuid4()),
                subscription_id=subscription.id,
                event_id=forwarded.id,
                created_at=forwarded.time,
                next_attempt_at=forwarded.time,
            )
            for subscription in wanting
        ]
    )


def _owner_named(event: IntegrationEvent) -> RecordOwner | None:
    ownership = getattr(event, "ownership", None)
    if isinstance(ownership, Ownership):
        return RecordOwner(ownership.owner_org, ownership.visibility.value)
    return None


async def _as_forwarded(
    event: IntegrationEvent, envelope: Envelope, named: RecordOwner | None, uow: PartnersUoW
) -> ForwardedEvent:
    if type(event) in CONSORTIUM_WIDE:
        owner_org, visibility = None, Visibility.consortium.value
    else:
        owner = named or await uow.forwarded_events.owner_of(envelope.subject) or NOBODY
        owner_org, visibility = owner.owner_org or None, owner.visibility
    return ForwardedEvent(
        id=envelope.id,
        # The version it was read as: an older record comes through its upcaster.
        type=event.event_type,
        source=envelope.source,
        subject=envelope.subject,
        time=envelope.time,
        # The payload as its declared version has it: a field the schema does not know (added
        # by a newer producer, or slipped in) is not passed on.
        data=event.model_dump(mode="json"),
        owner_org=owner_org,
        visibility=visibility,
    )


def _as_published(event: ForwardedEvent) -> Envelope:
    return Envelope(
        id=event.id,
        type=event.type,
        source=event.source,
        subject=event.subject,
        time=event.time,
        data=event.data,
    )
