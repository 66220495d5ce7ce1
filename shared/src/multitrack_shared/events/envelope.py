"""The envelope of every event: CloudEvents 1.0 over Kafka, in binary content mode.

An event's payload is an ``IntegrationEvent`` (a versioned pydantic model); the envelope adds
id, source, type, subject and time. The Kafka key is the aggregate id (the CloudEvents
``partitionkey`` extension), so one aggregate's events land on one partition, in order.
Encoding and decoding go through the official ``cloudevents`` SDK. The W3C trace context the
event was published in travels as the distributed-tracing extension's ``traceparent`` and
``tracestate`` attributes (``ce_traceparent``, ``ce_tracestate`` headers).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from pydantic import BaseModel, ConfigDict

from multitrack_shared.messaging.topics import TopicSpec

JSON = "application/json"
_FORMAT = JSONFormat()


class IntegrationEvent(BaseModel):
    """Base of every published event payload.

    Subclasses set ``event_type`` (``multitrack.<aggregate>.<happened>.v<N>``), the ``topic``
    it travels on and ``key_field``, the payload field holding the aggregate id. A version
    replaced by a newer one sets ``superseded_by``: it stays registered, so that records
    already on the topics still decode when a read model is rebuilt from the beginning, but
    nothing publishes it any more (``still_published``).
    """

    # A payload that fails validation is logged and dead-lettered with the error: its values
    # (which may be personal data) stay out of the message.
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    event_type: ClassVar[str]
    topic: ClassVar[TopicSpec]
    key_field: ClassVar[str]
    registry: ClassVar[dict[str, type[IntegrationEvent]]] = {}
    superseded_by: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is not None:
            if event_type in IntegrationEvent.registry:
                raise TypeError(f"event type {event_type} is declared twice")
            IntegrationEvent.registry[event_type] = cls

    def partition_key(self) -> str:
        """The aggregate id: the Kafka key and the CloudEvents subject."""
        return str(getattr(self, self.key_field))


class SupersededEvent(TypeError):
    """A producer tried to publish a version that a newer one replaced."""


def still_published(event: IntegrationEvent) -> IntegrationEvent:
    """``event``, if its version is still published; a superseded one is refused.

    A superseded version carried what its successor leaves out (personal data, free text), so
    publishing it again would put that back on the topics.
    """
    if event.superseded_by is not None:
        raise SupersededEvent(f"{event.event_type} is superseded: publish {event.superseded_by}")
    return event


class UndecodableEvent(ValueError):
    """A record that is not a CloudEvent this platform can read; never worth retrying."""


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    source: str
    subject: str
    time: datetime
    data: dict[str, Any]
    trace_context: Mapping[str, str] = field(default_factory=dict)
    """``traceparent`` and ``tracestate``, where the event was published in a trace."""

    @property
    def key(self) -> str:
        return self.subject

    @classmethod
    def wrap(
        cls, event: IntegrationEvent, source: str, trace_context: Mapping[str, str] | None = None
    ) -> Envelope:
        return cls(
            id=str(uuid.uuid4()),
            type=event.event_type,
            source=source,
            subject=event.partition_key(),
            time=datetime.now(UTC),
            data=event.model_dump(mode="json"),
            trace_context=dict(trace_context or {}),
        )

    def to_cloudevent(self) -> CloudEvent:
        return CloudEvent(
            attributes={
                "id": self.id,
                "type": self.type,
                "source": self.source,
                "subject": self.subject,
                "time": self.time,
                "datacontenttype": JSON,
                "partitionkey": self.subject,
                **{name: value for name, value in self.trace_context.items() if value},
            },
            data=self.data,
        )

    def to_kafka(self) -> ce_kafka.KafkaMessage:
        """Binary content mode: attributes in ``ce_`` headers, the JSON payload as value."""
        return ce_kafka.to_binary(self.to_cloudevent(), _FORMAT)

    @classmethod
    def from_kafka(
        cls,
        headers: Sequence[tuple[str, bytes]] | Mapping[str, bytes],
        key: bytes | None,
        value: bytes | None,
    ) -> Envelope:
        """Read a record in either content mode; anything unreadable raises ``UndecodableEvent``."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        message = ce_kafka.KafkaMessage(headers=dict(pairs), key=key, value=value or b"")
        try:
            event = ce_kafka.from_kafka(message, _FORMAT)
            data = event.get_data()
            if not isinstance(data, dict):
                raise UndecodableEvent("event data is not a JSON object")
            time = event.get_time() or datetime.now(UTC)
            return cls(
                id=event.get_id(),
                type=event.get_type(),
                source=event.get_source(),
                subject=event.get_subject() or (key or b"").decode(),
                time=time,
                data=data,
                trace_context=_trace_context_of(event),
            )
        except UndecodableEvent:
            raise
        except Exception as exc:  # the SDK raises several unrelated types for malformed input
            raise UndecodableEvent(f"{type(exc).__name__}: {exc}") from exc


def _trace_context_of(event: BaseCloudEvent) -> dict[str, str]:
    found = {name: event.get_extension(name) for name in ("traceparent", "tracestate")}
    return {name: value for name, value in found.items() if isinstance(value, str) and value}
