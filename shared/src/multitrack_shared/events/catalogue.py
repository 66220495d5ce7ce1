"""The event catalogue partner systems read: an AsyncAPI 3.0 document generated from the code.

Every registered ``IntegrationEvent`` becomes a message on its topic's channel, with its
payload schema (every field described) and the CloudEvents binary-mode headers. A version that a
newer one superseded is listed too, marked ``deprecated`` and naming its successor: records of
it stay on the topics. Nothing here is written by hand, so the catalogue cannot drift from what
the services publish.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from pydantic.json_schema import models_json_schema

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
            "here for the records already on the topic, which consumers still read when they "
            "replay from the beginning."
        )
    return message


def asyncapi_document(topic_namespace: str = "") -> dict[str, Any]:
    # Importing the package registers every event module.
    import multitrack_shared.events  # noqa: F401

    events = sorted(IntegrationEvent.registry.values(), key=lambda e: e.event_type)
    _, schemas = models_json_schema(
        [(event, "serialization") for event in events], ref_template=_REF
    )
    by_topic: dict[TopicSpec, list[type[IntegrationEvent]]] = defaultdict(list)
    for event in events:
        by_topic[event.topic].append(event)

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic, topic_events in sorted(by_topic.items(), key=lambda item: item[0].name):
        channel_id = topic.name.replace(".", "_")
        for event in topic_events:
            messages[_message_name(event.event_type)] = _message(event)
            if event.superseded_by is not None:
                schemas["$defs"][event.__name__]["deprecated"] = True
        channels[channel_id] = {
            "address": topic.qualified(topic_namespace),
            "description": f"{topic.description} Partitions: {topic.partitions}.",
            "messages": {
                _message_name(e.event_type): {
                    "$ref": f"#/components/messages/{_message_name(e.event_type)}"
                }
                for e in topic_events
            },
        }
        operations[f"publish_{channel_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "summary": f"The platform publishes to {topic.name}.",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Multitrack events",
            "version": "1.0.0",
            "description": "Every event the Multitrack services publish. Events are CloudEvents "
            "1.0 in Kafka binary mode, keyed by aggregate id; each type carries its version.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas.get("$defs", {})},
    }
