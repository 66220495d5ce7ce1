"""The container manifests are valid and describe the same platform the code does."""

from __future__ import annotations

import json
import re
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
        assert services[name]["build"]["dockerfile"] == f"services/{name}/Dockerfile"
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


def acl_principals() -> list[str]:
    table = (repo_root() / "deploy/kafka/acls.tsv").read_text().splitlines()
    principals = [line.split("\t")[0] for line in table if line and not line.startswith("#")]
    return list(dict.fromkeys(principals))


def test_compose_broker_is_closed_and_each_service_logs_in_as_its_own_principal() -> None:
    services = compose()["services"]
    assert isinstance(services, dict)
    broker = services["kafka"]["environment"]
    assert broker["KAFKA_LISTENERS"].startswith("SASL_PLAINTEXT://")
    assert "PLAINTEXT://" not in broker["KAFKA_LISTENERS"].replace("SASL_PLAINTEXT://", "")
    assert "SCRAM-SHA-512" in broker["KAFKA_SASL_ENABLED_MECHANISMS"]
    assert broker["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert broker["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert broker["KAFKA_SUPER_USERS"] == "User:admin"
    init = services["kafka-init"]
    assert "./deploy/kafka/acls.tsv:/init/acls.tsv:ro" in init["volumes"]
    assert (repo_root() / "deploy/container/kafka-init.sh").is_file()
    for principal in acl_principals():
        assert f"KAFKA_PASSWORD_{principal.upper()}" in init["environment"], principal
    for name in SERVICES:
        env = services[name]["environment"]
        assert env["MULTITRACK_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
        assert env["MULTITRACK_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env["MULTITRACK_KAFKA_USERNAME"] == name
        assert name in acl_principals()
        password = env["MULTITRACK_KAFKA_PASSWORD"]
        assert password.startswith(f"${{KAFKA_PASSWORD_{name.upper()}:-"), password
        assert init["environment"][f"KAFKA_PASSWORD_{name.upper()}"] == password
        dependency = services[name]["depends_on"]["kafka-init"]
        assert dependency == {"condition": "service_completed_successfully"}


def test_compose_runs_keycloak_with_the_realm_on_postgresql_and_services_trust_its_issuer() -> None:
    services = compose()["services"]
    assert isinstance(services, dict)
    keycloak = services["keycloak"]
    script = (repo_root() / "deploy/keycloak/keycloak.sh").read_text()
    version = re.search(r'KEYCLOAK_VERSION="\$\{KEYCLOAK_VERSION:-([0-9.]+)\}"', script)
    assert version is not None
    assert keycloak["image"] == f"quay.io/keycloak/keycloak:{version.group(1)}"
    assert "--import-realm" in keycloak["command"]
    realm = "./deploy/keycloak/multitrack-realm.json"
    assert f"{realm}:/opt/keycloak/data/import/multitrack-realm.json:ro" in keycloak["volumes"]
    env = keycloak["environment"]
    assert env["KC_DB"] == "postgres"
    assert env["KC_DB_URL"] == "jdbc:postgresql://postgres:5432/keycloak"
    created = (repo_root() / "deploy/container/create-databases.sql").read_text()
    assert "CREATE DATABASE keycloak;" in created
    realm_name = json.loads((repo_root() / realm).read_text())["realm"]
    issuer = f"{env['KC_HOSTNAME']}/realms/{realm_name}"
    # host address (when given), host port, container port; variables read at their defaults
    published = re.sub(r"\$\{[^:}]+:-([^}]*)\}", r"\1", keycloak["ports"][0]).split(":")
    assert env["KC_HOSTNAME"].endswith(f":{published[-2]}")
    for name in SERVICES:
        service = services[name]["environment"]
        assert service["MULTITRACK_OIDC_ISSUER"] == issuer
        jwks = service["MULTITRACK_OIDC_JWKS_URL"]
        assert (
            jwks
            == f"http://keycloak:{published[-1]}/realms/{realm_name}/protocol/openid-connect/certs"
        )
