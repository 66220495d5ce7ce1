"""The container manifests are valid and describe the same platform the code does."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.processes import SERVICES

COMPOSE_SCHEMA = repo_root() / "deploy" / "schemas" / "compose-spec.json"


def compose() -> dict[str, object]:
    loaded = yaml.safe_load((repo_root() / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_docker_compose_is_valid_against_the_compose_specification() -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    # The spec names draft-07 without the trailing "#", which jsonschema does not recognise.
    jsonschema.Draft7Validator(schema).validate(compose())


def test_compose_runs_each_service_with_its_own_database_and_the_broker() -> None:
    services = compose()["services"]
    assert isinstance(services, dict)
    urls = {}
    for name in SERVICES:
        env = services[name]["environment"]
        urls[name] = env["MULTITRACK_DATABASE_URL"]
        assert env["MULTITRACK_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert services[name]["build"]["args"] == {"SERVICE": name}
    assert len(set(urls.values())) == len(SERVICES)
    assert "KAFKA_AUTO_CREATE_TOPICS_ENABLE" in services["kafka"]["environment"]
    created = (repo_root() / "deploy/container/create-databases.sql").read_text()
    for name in SERVICES:
        assert urls[name].endswith(f"/{name}")
        assert f"CREATE DATABASE {name};" in created


def test_every_service_has_its_migrations_where_the_image_copies_them() -> None:
    for name in SERVICES:
        versions = Path(repo_root() / "services" / name / "migrations" / "versions")
        assert list(versions.glob("*.py")), name
