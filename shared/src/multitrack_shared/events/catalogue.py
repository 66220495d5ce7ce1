"""The event catalogue of the whole platform: one AsyncAPI 3.0 document generated from the code.

Every registered ``IntegrationEvent`` becomes a message on its topic's channel, with its
payload schema (every field described) and the CloudEvents binary-mode headers; each channel
has the operation of the service that sends on it. A version that a newer one superseded is
listed too, marked ``deprecated`` and naming its successor: records of it stay on the topics,
and consumers read them through the upcasters. The broker, and who may log in to it and read
what (``components.securitySchemes``), are described once here.

Nothing here is written by hand, so the catalogue cannot drift from what the services publish:
it is committed as ``contracts/asyncapi.yaml`` (``deploy/contracts/contracts.py``; a test
checks it is up to date) and every service serves the same document at
``/events/asyncapi.json``, with the topics of its namespace.

Channels partner systems read (``audience="partners"``) get a receive operation that names
the partner systems' security scheme; ``PARTNER_CHANNELS`` declares them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from pydantic.json_schema import models_json_schema

from multitrack_shared.events import platform_events
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.messaging.topics import TopicSpec

_REF = "#/components/schemas/{model}"

CLOUDEVENTS_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0 attributes in Kafka binary content mode.",
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {"type": "string", "description": "Unique id; consumers apply each id once."},
        "ce_source": {"type": "string", "description": "/multitrack/<service>"},
        "ce_type": {"type": "string", "description": "Versioned event type."},
        "ce_subject": {"type": "string", "description": "Aggregate id, also the Kafka key."},
        "ce_time": {"type": "string", "format": "date-time"},
        "content-type": {"type": "string", "const": "application/json"},
    },
    "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time"],
}


def _message_name(event_type: str) -> str:
    # multitrack.invitation.accepted.v1 -> invitation.accepted.v1
    return event_type.removeprefix("multitrack.")


def _first_sentence(text: str) -> str:
    """Up to its first full stop, without its asides in brackets."""
    return re.sub(r"\s*\([^)]*\)", "", text.split(". ")[0]).removesuffix(".")


def _message(event: type[IntegrationEvent]) -> dict[str, Any]:
    description = " ".join((event.__doc__ or event.__name__).split())
    message: dict[str, Any] = {
        "name": event.event_type,
        "title": event.__name__,
        "summary": _first_sentence(description),
        "description": description,
        "contentType": "application/json",
        "headers": CLOUDEVENTS_HEADERS,
        "payload": {"$ref": _REF.format(model=event.__name__)},
        "bindings": {"kafka": {"key": {"type": "string", "description": event.key_field}}},
    }
    if event.superseded_by is not None:
        message["deprecated"] = True
        message["summary"] = f"Deprecated: replaced by {event.superseded_by}"
        message["description"] = (
            f"{description} No longer published: {event.superseded_by} replaced it. It stays "
            "here for the records already on the topic: consumers replaying from the beginning "
            "read them as the current version, through the upcasters."
        )
    return message


SERVICE_PRINCIPALS = "servicePrincipals"
PARTNER_SYSTEMS = "partnerSystems"
OPERATOR = "operator"

SECURITY_SCHEMES: dict[str, Any] = {
    SERVICE_PRINCIPALS: {
        "type": "scramSha512",
        "description": "Each service logs in as its own principal (invitations, engagements, "
        "partners, evaluation). The broker's ACLs, generated from the code "
        "(deploy/kafka/acls.tsv), let it write and create only its own topic and dead-letter "
        "topic, read only the topics it consumes and join only its own consumer group, in "
        "every topic namespace; whatever no ACL allows is refused.",
    },
    PARTNER_SYSTEMS: {
        "type": "scramSha512",
        "description": "A partner system reads as a principal of its own, issued by the "
        "consortium's operators: it may read and describe only the channels whose receive "
        "operation names this scheme, with consumer groups named after the principal. The "
        "services' own topics carry owner-only records and stay closed to it; systems that "
        "cannot reach the broker subscribe over HTTP instead.",
    },
    OPERATOR: {
        "type": "scramSha512",
        "description": "People and tools that watch the platform: read every platform topic, "
        "dead letters included, and describe the services' consumer groups; write nothing.",
    },
}

SERVERS: dict[str, Any] = {
    "broker": {
        "host": "{bootstrap}",
        "protocol": "kafka",
        "description": "The consortium's Apache Kafka cluster, closed: SASL/SCRAM-SHA-512 on "
        "every client connection, and ACLs with nothing allowed by default.",
        "variables": {
            "bootstrap": {
                "default": "127.0.0.1:9092",
                "description": "Bootstrap servers of the deployment (`make run`: this one).",
            }
        },
        "security": [{"$ref": f"#/components/securitySchemes/{name}"} for name in SECURITY_SCHEMES],
    }
}


@dataclass(frozen=True)
class Channel:
    """A topic, the events on it and the service that sends them; ``audience`` says whether
    partner systems read it on the broker."""

    topic: TopicSpec
    events: tuple[type[IntegrationEvent], ...]
    sender: str
    audience: Literal["platform", "partners"] = "platform"

    @property
    def id(self) -> str:
        return self.topic.name.replace(".", "_")


PARTNER_CHANNELS: tuple[Channel, ...] = ()
"""The channels partner systems read, beside the services' own topics."""


def _sender(topic: TopicSpec) -> str:
    # One topic per producing service, ``multitrack.<service>.v1``; the service may declare its
    # events in more than one module (``events.engagements``, ``events.conflicts``, ...).
    return topic.name.split(".")[1]


def platform_channels() -> tuple[Channel, ...]:
    """A channel per topic the services publish on, and those partner systems read."""
    by_topic: dict[TopicSpec, list[type[IntegrationEvent]]] = defaultdict(list)
    for event in platform_events().values():
        by_topic[event.topic].append(event)
    own = (
        Channel(topic, tuple(events), _sender(topic))
        for topic, events in sorted(by_topic.items(), key=lambda item: item[0].name)
    )
    return (*own, *PARTNER_CHANNELS)


def _channel(channel: Channel, topic_namespace: str) -> dict[str, Any]:
    return {
        "address": channel.topic.qualified(topic_namespace),
        "description": f"{channel.topic.description} Partitions: {channel.topic.partitions}.",
        "messages": {
            _message_name(e.event_type): {
                "$ref": f"#/components/messages/{_message_name(e.event_type)}"
            }
            for e in channel.events
        },
        "bindings": {"kafka": {"partitions": channel.topic.partitions, "bindingVersion": "0.5.0"}},
    }


def _operations(channel: Channel) -> dict[str, Any]:
    channel_ref = {"$ref": f"#/channels/{channel.id}"}
    operations: dict[str, Any] = {
        f"publish_{channel.id}": {
            "action": "send",
            "channel": channel_ref,
            "summary": f"The {channel.sender} service publishes to {channel.topic.name}.",
            "security": [{"$ref": f"#/components/securitySchemes/{SERVICE_PRINCIPALS}"}],
            "tags": [{"name": channel.sender}],
        }
    }
    if channel.audience == "partners":
        operations[f"read_{channel.id}"] = {
            "action": "receive",
            "channel": channel_ref,
            "summary": f"Partner systems read {channel.topic.name}.",
            "security": [{"$ref": f"#/components/securitySchemes/{PARTNER_SYSTEMS}"}],
            "tags": [{"name": "partner systems"}],
        }
    return operations


def asyncapi_document(topic_namespace: str = "") -> dict[str, Any]:
    """The whole platform's catalogue, with the topic names of ``topic_namespace``."""
    channels = platform_channels()
    events = sorted({e for channel in channels for e in channel.events}, key=lambda e: e.event_type)
    _, schemas = models_json_schema(
        [(event, "serialization") for event in events], ref_template=_REF
    )
    messages: dict[str, Any] = {}
    for event in events:
        messages[_message_name(event.event_type)] = _message(event)
        if event.superseded_by is not None:
            schemas["$defs"][event.__name__]["deprecated"] = True
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Multitrack events",
            "version": "1.0.0",
            "description": "Every event the Multitrack services publish, on every channel of "
            "the platform. Events are CloudEvents 1.0 in Kafka binary mode, keyed by aggregate "
            "id; each type carries its version, and each version's JSON Schema is committed "
            "under contracts/events/ and never changes incompatibly: a change that would is a "
            "new version.",
        },
        "defaultContentType": "application/json",
        "servers": SERVERS,
        "channels": {channel.id: _channel(channel, topic_namespace) for channel in channels},
        "operations": {
            name: operation
            for channel in channels
            for name, operation in _operations(channel).items()
        },
        "components": {
            "messages": messages,
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
