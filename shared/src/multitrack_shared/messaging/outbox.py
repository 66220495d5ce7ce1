"""Writing events as outbox rows, inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_shared.events.envelope import Envelope, IntegrationEvent
from multitrack_shared.messaging.tables import MessagingTables
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.tracing import current_trace_context


class Outbox:
    def __init__(self, tables: MessagingTables, source: str) -> None:
        self._table = tables.outbox
        self._source = source

    async def write(
        self, session: AsyncSession, events: Sequence[IntegrationEvent]
    ) -> list[Envelope]:
        """The events as written, each in its envelope (id, key, type), with the trace context
        they are published in, so that the relay sends them on in the same trace."""
        if not events:
            return []
        rows = []
        trace_context = current_trace_context()
        envelopes = [Envelope.wrap(event, self._source, trace_context) for event in events]
        for event, envelope in zip(events, envelopes, strict=True):
            rows.append(
                {
                    "event_id": envelope.id,
                    "topic": event.topic.name,
                    "message_key": envelope.key,
                    "event_type": envelope.type,
                    "source": envelope.source,
                    "occurred_at": envelope.time,
                    "data": envelope.data,
                    "trace_context": trace_context or None,
                }
            )
        await session.exec(insert(self._table), params=rows)
        return envelopes

    async def forward(self, session: AsyncSession, copies: Sequence[ForwardedCopy]) -> None:
        """Copies of consumed events, each onto another topic, as they were: same type,
        source, subject, time and data, in the trace each was forwarded in. A copy's id is
        derived from the original's and the topic (``copy_id``), so that forwarding one event
        twice writes one row. One statement for them all."""
        if not copies:
            return
        rows = [
            {
                "event_id": copy_id(copy.envelope.id, copy.topic),
                "topic": copy.topic.name,
                "message_key": copy.envelope.key,
                "event_type": copy.envelope.type,
                "source": copy.envelope.source,
                "occurred_at": copy.envelope.time,
                "data": copy.envelope.data,
                "trace_context": copy.trace_context or None,
            }
            for copy in copies
        ]
        await session.exec(insert(self._table), params=rows)


@dataclass(frozen=True)
class ForwardedCopy:
    """A consumed event to copy onto ``topic``, and the trace it goes on in."""

    envelope: Envelope
    topic: TopicSpec
    trace_context: dict[str, str]


def copy_id(event_id: str, topic: TopicSpec) -> str:
    """The id of the copy of event ``event_id`` on ``topic``: stable, and unlike the original's."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{topic.name}/{event_id}"))
