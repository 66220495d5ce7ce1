"""Bodies of /subscriptions, after the CloudEvents Subscriptions API: a sink, the protocol,
the event types and the filters; and the deliveries of a subscription."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from multitrack_partners.domain.deliveries import Delivery
from multitrack_partners.domain.subscriptions import (
    EventFilter,
    FilterDialect,
    FilteredAttribute,
    Subscription,
)
from multitrack_shared.text_input import TextRules
from multitrack_shared.validation import Instant, Name, Strict, distinct

SinkUrl = Annotated[str, TextRules(max_length=2000)]
EVENT_TYPE = "multitrack.engagement.opened.v1"


class TypeCondition(Strict):
    type: Name = Field(description="The event's type.", examples=["multitrack.engagement."])


class SubjectCondition(Strict):
    subject: Name = Field(
        description="The event's subject: the id of the record it is about.",
        examples=["3f1c2a9e-6b1d-4f6e-9a57-0c4f1e2d8b7a"],
    )


Condition = TypeCondition | SubjectCondition
"""One attribute of the event, ``type`` or ``subject``, and the value to compare it with."""


class PrefixFilter(Strict):
    prefix: Condition = Field(
        description="The attribute starts with the value.",
        examples=[{"type": "multitrack.engagement."}],
    )


class ExactFilter(Strict):
    exact: Condition = Field(
        description="The attribute is the value.",
        examples=[{"subject": "3f1c2a9e-6b1d-4f6e-9a57-0c4f1e2d8b7a"}],
    )


FilterBody = PrefixFilter | ExactFilter
"""One filter: ``prefix`` or ``exact``, on ``type`` or ``subject``."""


def filter_of(body: FilterBody) -> EventFilter:
    if isinstance(body, PrefixFilter):
        dialect, condition = FilterDialect.prefix, body.prefix
    else:
        dialect, condition = FilterDialect.exact, body.exact
    if isinstance(condition, TypeCondition):
        return EventFilter(dialect, FilteredAttribute.type, condition.type)
    return EventFilter(dialect, FilteredAttribute.subject, condition.subject)


class SubscriptionCreate(Strict):
    sink: SinkUrl = Field(
        description="Where events are POSTed: an https URL (http only to a loopback host, "
        "where the platform runs locally).",
        examples=["https://partner.example.org/multitrack/events"],
    )
    protocol: Literal["HTTP"] = Field(
        description="How events are delivered: HTTP, as signed webhooks.", examples=["HTTP"]
    )
    types: Annotated[list[Name], AfterValidator(distinct)] = Field(
        default_factory=list,
        max_length=100,
        description="The event types wanted (see /events/asyncapi.json); none: every type.",
        examples=[[EVENT_TYPE]],
    )
    filters: list[FilterBody] = Field(
        default_factory=list,
        max_length=20,
        description="Conditions every delivered event meets, all of them.",
        examples=[[{"prefix": {"type": "multitrack.engagement."}}]],
    )


class SubscriptionPublic(BaseModel):
    id: str
    owner_org: str = Field(description="The organization whose subscription it is.")
    sink: str
    protocol: str
    types: list[str]
    filters: list[dict[str, dict[str, str]]]
    status: str = Field(description="active, or disabled after repeated failed deliveries.")
    disabled_reason: str | None
    disabled_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionPublic:
        return cls(
            id=subscription.id,
            owner_org=subscription.owner_org,
            sink=subscription.sink,
            protocol=subscription.protocol,
            types=list(subscription.types),
            filters=[f.as_json() for f in subscription.filters],
            status=subscription.status.value,
            disabled_reason=subscription.disabled_reason,
            disabled_at=subscription.disabled_at,
            created_at=subscription.created_at,
        )


class SubscriptionCreated(SubscriptionPublic):
    secret: str = Field(
        description="The signing secret (``whsec_…``), for Standard Webhooks verification. "
        "Shown this once: keep it; no other answer carries it."
    )


class RedeliveryCreate(Strict):
    since: Instant = Field(
        description="Send again every event the subscription wants that happened at or after "
        "this instant, in the order they arrived.",
        examples=["2026-03-01T00:00:00Z"],
    )


class RedeliveryPublic(BaseModel):
    deliveries: int = Field(description="How many deliveries were made.")


class DeliveryPublic(BaseModel):
    id: str
    event_id: str = Field(description="The event's id; its webhook-id on every try.")
    status: str = Field(description="pending, delivered or dead (a dead letter).")
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    redelivery: bool
    created_at: datetime

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryPublic:
        pending = delivery.status.value == "pending"
        return cls(
            id=delivery.id,
            event_id=delivery.event_id,
            status=delivery.status.value,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at if pending else None,
            last_attempt_at=delivery.last_attempt_at,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            delivered_at=delivery.delivered_at,
            redelivery=delivery.redelivery,
            created_at=delivery.created_at,
        )
