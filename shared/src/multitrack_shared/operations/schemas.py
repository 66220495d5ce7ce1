"""What the operations endpoints answer and take."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from multitrack_shared.validation import Name, RecordId, Strict


class OutboxState(BaseModel):
    unsent: int = Field(description="Events written and not yet sent to the broker.")
    oldest_unsent_at: datetime | None = Field(description="When the oldest of them occurred.")
    parked: int = Field(description="Events the broker refused for good, set aside.")


class RetryingEvent(BaseModel):
    event_id: str = Field(description="The event being tried again.")
    event_type: str = Field(description="Its type.")
    attempts: int = Field(description="Tries so far.")
    last_error: str = Field(description="Why the last try failed.")
    since: datetime = Field(description="When it was first retried.")


class MessagingState(BaseModel):
    service: str = Field(description="The service answering.")
    consumer_group: str = Field(description="Its consumer group on the broker.")
    consumed_topics: list[str] = Field(description="Topics it reads, as named on the broker.")
    consumed_types: list[str] = Field(description="Event types it applies.")
    dead_letter_topic: str = Field(description="Where events it cannot apply go.")
    outbox: OutboxState = Field(description="Its outbox.")
    consumer: str = Field(
        description="running, stopped (not consuming: a rebuild restarts it), or none."
    )
    retrying: list[RetryingEvent] = Field(description="Events its handlers are trying again.")


class OutboxRecord(BaseModel):
    topic: str = Field(description="The topic it is sent to, as named on the broker.")
    message_key: str = Field(description="Its Kafka key: the aggregate's id.")
    event_type: str = Field(description="Its type.")
    occurred_at: datetime = Field(description="When it occurred.")
    sent_at: datetime | None = Field(description="When the broker acknowledged it.")
    parked_at: datetime | None = Field(description="When it was parked, if it was.")
    park_error: str | None = Field(description="Why the broker refuses it, if parked.")


class AppliedRecord(BaseModel):
    applied_at: datetime = Field(description="When this service applied it.")
    handler: str | None = Field(description="The handler that applied it.")
    topic: str = Field(description="The record's topic.")
    partition: int = Field(description="The record's partition.")
    offset: int = Field(description="The record's offset.")


class EventState(BaseModel):
    event_id: str = Field(description="The event asked about.")
    service: str = Field(description="The service answering.")
    outbox: OutboxRecord | None = Field(description="Written here, if this service produced it.")
    applied: AppliedRecord | None = Field(description="Applied here, if it was.")
    retrying: RetryingEvent | None = Field(description="Being tried again here, if it is.")


class DeadLetterPublic(BaseModel):
    event_id: str | None = Field(description="The event; null when it could not be decoded.")
    event_type: str | None = Field(description="Its type, when known.")
    error: str = Field(description="Why it could not be applied.")
    attempts: int = Field(description="How many tries it had.")
    failed_at: datetime | None = Field(description="When it was dead-lettered.")
    origin: str = Field(description="topic/partition@offset it was read from.")
    dead_letter_offset: int = Field(description="Its offset on the dead-letter topic.")
    applied_at: datetime | None = Field(
        description="When it was applied since (replayed); null while it waits."
    )


class DeadLetterPage(BaseModel):
    service: str = Field(description="The service whose dead letters these are.")
    dead_letters: list[DeadLetterPublic] = Field(description="Oldest first.")


class ReplayRequest(Strict):
    event_ids: list[RecordId] = Field(
        default_factory=list,
        max_length=500,
        description="Dead-lettered events to send back to the consumer, by id.",
        examples=[["5f0c2b9e-8a34-4c1e-9d1a-2b7e0f6c9a11"]],
    )
    event_type: Name | None = Field(
        default=None,
        description="And every dead-lettered event of this type not applied since.",
        examples=["multitrack.invitation.accepted.v2"],
    )


class Replayed(BaseModel):
    event_id: str | None = Field(description="The event sent back.")
    outcome: str = Field(
        description="applied, already_applied, dead_lettered (failed again) or not_consumed."
    )


class ReplayResult(BaseModel):
    service: str = Field(description="The service that replayed them.")
    replayed: list[Replayed] = Field(description="Each event sent back, in order, and how it went.")
    not_found: list[str] = Field(description="Event ids asked for that are not dead letters here.")


class RebuildState(BaseModel):
    service: str = Field(description="The service rebuilding.")
    state: str = Field(description="none, waiting (for partitions), replaying or done.")
    started_at: datetime | None = Field(description="When the rebuild began.")
    finished_at: datetime | None = Field(description="When the replay reached the end it saw.")
    total: int = Field(description="Records to replay: the topics' ends at assignment.")
    done: int = Field(description="Records replayed so far.")
    applied: int = Field(description="Events applied during the replay.")
    read_models: dict[str, int] = Field(description="Each read-model table and its rows now.")


class EffectiveSettings(BaseModel):
    service: str = Field(description="The service answering.")
    settings: dict[str, Any] = Field(
        description="Each environment variable and the value in effect, secrets masked."
    )
