"""The AsyncAPI catalogue is generated from the code and valid against the AsyncAPI 3.0 schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from multitrack_shared.events import catalogue, platform_events
from multitrack_shared.events.catalogue import Channel, asyncapi_document
from multitrack_shared.events.evaluation import LessonRecordedV2
from multitrack_shared.messaging.topics import TopicSpec
from multitrack_shared.testing.paths import repo_root

ASYNCAPI_SCHEMA = repo_root() / "deploy" / "schemas" / "asyncapi-3.0.0.json"


def test_the_catalogue_is_a_valid_asyncapi_3_document() -> None:
    schema = json.loads(ASYNCAPI_SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(asyncapi_document())


def test_every_event_type_is_in_the_catalogue_with_a_version_and_described_fields() -> None:
    document = asyncapi_document()
    messages = document["components"]["messages"]
    schemas = document["components"]["schemas"]
    assert {m["name"] for m in messages.values()} == set(platform_events())
    for event_type, event in platform_events().items():
        assert event_type.rsplit(".", 1)[-1].startswith("v")
        properties = schemas[event.__name__]["properties"]
        undocumented = [
            n
            for n, p in properties.items()
            if "description" not in p and "$ref" not in p and "allOf" not in p
        ]
        assert not undocumented, f"{event_type}: fields without a description: {undocumented}"


def test_channels_carry_the_topic_namespace() -> None:
    channel = asyncapi_document("staging")["channels"]["multitrack_invitations_v1"]
    assert channel["address"] == "multitrack.invitations.v1.staging"
    plain = asyncapi_document()["channels"]["multitrack_invitations_v1"]
    assert plain["address"] == "multitrack.invitations.v1"


def test_a_channel_partner_systems_read_gets_a_receive_operation_under_their_scheme(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed = TopicSpec("multitrack.partner-feed.v1", 3, "What partner systems may read.")
    monkeypatch.setattr(
        catalogue,
        "PARTNER_CHANNELS",
        (Channel(feed, (LessonRecordedV2,), "evaluation", audience="partners"),),
    )
    document = asyncapi_document("staging")

    jsonschema.Draft7Validator(json.loads(ASYNCAPI_SCHEMA.read_text())).validate(document)
    assert document["channels"]["multitrack_partner-feed_v1"]["address"] == (
        "multitrack.partner-feed.v1.staging"
    )
    read = document["operations"]["read_multitrack_partner-feed_v1"]
    assert read["action"] == "receive"
    assert read["security"] == [{"$ref": "#/components/securitySchemes/partnerSystems"}]
    own = [op for name, op in document["operations"].items() if name.startswith("publish_")]
    assert all(op["security"][0]["$ref"].endswith("/servicePrincipals") for op in own)
    monkeypatch.undo()
    assert not any(name.startswith("read_") for name in asyncapi_document()["operations"])
