"""The committed contracts are what the code generates, and every service serves the same one.

``contracts/events/`` (each event version's JSON Schema) and ``contracts/asyncapi.yaml`` (the
whole platform's AsyncAPI 3.0 document) are written by ``deploy/contracts/contracts.py``; a
change to an event model that is not committed with them, or that breaks a committed version,
fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.processes import SERVICES

from .conftest import load_script

ASYNCAPI = repo_root() / "contracts" / "asyncapi.yaml"
ASYNCAPI_SCHEMA = repo_root() / "deploy" / "schemas" / "asyncapi-3.0.0.json"


def contracts_script() -> ModuleType:
    return load_script("deploy/contracts/contracts.py", "multitrack_contracts")


def committed_asyncapi() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(ASYNCAPI.read_text())
    return document


def test_the_committed_contracts_are_up_to_date() -> None:
    problems: list[str] = contracts_script().check(repo_root())
    assert problems == [], (
        "\n".join(problems) + "\nregenerate with: uv run python deploy/contracts/contracts.py"
    )


def test_the_check_fails_when_a_committed_event_schema_is_changed_incompatibly(
    tmp_path: Path,
) -> None:
    script = contracts_script()
    (tmp_path / "contracts").mkdir()
    for name in ("events", "asyncapi.yaml"):
        source = repo_root() / "contracts" / name
        target = tmp_path / "contracts" / name
        if source.is_dir():
            target.mkdir()
            for path in source.iterdir():
                (target / path.name).write_text(path.read_text())
        else:
            target.write_text(source.read_text())
    path = tmp_path / "contracts" / "events" / "multitrack.engagement.opened.v1.json"
    schema = json.loads(path.read_text())
    schema["properties"]["inviter_track"]["type"] = "string"
    path.write_text(json.dumps(schema))

    assert script.main(["--check", "--root", str(tmp_path)]) == 1
    assert script.main(["--root", str(tmp_path)]) == 1, "writing must refuse a breaking change"
    assert json.loads(path.read_text()) == schema
    problems = script.check(tmp_path)
    assert any(
        p.startswith("multitrack.engagement.opened.v1 changed incompatibly: payload.inviter_track")
        for p in problems
    ), problems


def test_the_committed_asyncapi_document_is_valid_asyncapi_3() -> None:
    schema = json.loads(ASYNCAPI_SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(committed_asyncapi())


def test_the_document_says_how_the_broker_is_secured_and_who_may_read_what() -> None:
    document = committed_asyncapi()
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"scramSha512"}
    assert {"servicePrincipals", "partnerSystems", "operator"} <= set(schemes)
    server = document["servers"]["broker"]
    assert server["protocol"] == "kafka"
    assert {ref["$ref"].rsplit("/", 1)[-1] for ref in server["security"]} == set(schemes)
    for name, operation in document["operations"].items():
        assert operation["security"], f"{name} names no security scheme"


def test_the_document_has_every_services_channel_and_operation() -> None:
    document = committed_asyncapi()
    senders = {tag["name"] for op in document["operations"].values() for tag in op["tags"]}
    assert set(SERVICES) <= senders
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert {f"multitrack.{service}.v1" for service in SERVICES} <= addresses


@pytest.fixture
def identity_provider(keycloak: IdentityProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    """A service whose operations take a caller is built only with the issuer it trusts."""
    monkeypatch.setenv("MULTITRACK_OIDC_ISSUER", keycloak.issuer.url)


@pytest.mark.usefixtures("identity_provider")
@pytest.mark.parametrize("service", SERVICES)
async def test_every_service_serves_the_committed_document_to_anyone(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = __import__(f"multitrack_{service}.main", fromlist=["create_app"])
    committed = committed_asyncapi()

    for namespace in ("", "staging"):
        monkeypatch.setenv("MULTITRACK_TOPIC_NAMESPACE", namespace)
        transport = httpx.ASGITransport(app=module.create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            response = await client.get("/events/asyncapi.json")
        assert response.status_code == 200
        served = response.json()
        suffix = f".{namespace}" if namespace else ""
        expected = json.loads(json.dumps(committed))
        for channel in expected["channels"].values():
            channel["address"] += suffix
        assert served == expected
