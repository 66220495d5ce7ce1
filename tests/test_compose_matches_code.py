"""``docker-compose.yml`` names only what the code has: each service's own Dockerfile, settings
the services read, the port they listen on, health paths they serve; and it starts each
container after the ones it needs are healthy. (Its validity against the Compose schema is
checked in ``test_deploy_files.py``.)"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from pydantic_settings import BaseSettings

from multitrack_console.bootstrap import ConsoleSettings
from multitrack_shared.settings import ENV_PREFIX, ServiceSettings
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.processes import SERVICES

from .dockerfile import parse

COMPOSE = repo_root() / "docker-compose.yml"
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z0-9_]+)(?::?-(?P<default>[^}]*))?\}")


def compose_services() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    services = loaded["services"]
    assert isinstance(services, dict)
    return services


def with_defaults(value: str) -> str:
    """A value as compose reads it when the environment sets none of its variables."""
    return INTERPOLATION.sub(lambda match: match.group("default") or "", value)


def settings_class(service: str) -> type[ServiceSettings]:
    parts = importlib.import_module(f"multitrack_{service}.bootstrap").SERVICE
    settings: type[ServiceSettings] = parts.settings_class
    return settings


def environment_names(settings: type[BaseSettings]) -> set[str]:
    """Every variable the settings read: the prefixed field names and their aliases."""
    names = {f"{ENV_PREFIX}{name.upper()}" for name in settings.model_fields}
    for field in settings.model_fields.values():
        choices = getattr(field.validation_alias, "choices", [])
        names |= {choice for choice in choices if isinstance(choice, str) and choice.isupper()}
    return names


def image_port(service: str) -> str:
    runtime = parse(repo_root() / "services" / service / "Dockerfile")[-1]
    return runtime.env()["UVICORN_PORT"]


def make_run_port(service: str) -> tuple[str, str]:
    """The variable and default port ``make run`` gives the service."""
    script = (repo_root() / "deploy" / "local" / "run.sh").read_text()
    match = re.search(rf'\[{service}\]="\$\{{(\w+):-(\d+)\}}"', script)
    assert match is not None, service
    return match.group(1), match.group(2)


def test_every_multitrack_variable_compose_names_is_a_setting_of_the_service_given_it() -> None:
    named = set(re.findall(rf"\b{ENV_PREFIX}[A-Z0-9_]+", COMPOSE.read_text()))
    assert named, "compose configures the services through their settings"

    given: set[str] = set()
    for service in SERVICES:
        environment = compose_services()[service]["environment"]
        names = {name for name in environment if name.startswith(ENV_PREFIX)}
        unknown = names - environment_names(settings_class(service))
        assert not unknown, f"{service} reads no {sorted(unknown)}"
        given |= names
    console = set(compose_services()["console"]["environment"])
    assert not console - environment_names(ConsoleSettings), "the console reads no such setting"
    given |= console
    assert not named - given, "compose names settings it gives no service"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_accepts_the_environment_compose_gives_it(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in os.environ:
        if name.startswith((ENV_PREFIX, "KAFKA_")):
            monkeypatch.delenv(name)
    environment = compose_services()[service]["environment"]
    for name, value in environment.items():
        monkeypatch.setenv(name, with_defaults(str(value)))

    settings = settings_class(service)()

    assert settings.service_name == service
    assert settings.database_url.endswith(f"@postgres:5432/{service}")
    assert settings.kafka_username == service
    assert settings.kafka_password.get_secret_value()


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_built_from_its_own_dockerfile(service: str) -> None:
    build = compose_services()[service]["build"]

    assert build["context"] == "."
    assert (repo_root() / build["dockerfile"]) == repo_root() / "services" / service / "Dockerfile"
    assert (repo_root() / build["dockerfile"]).is_file()


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_publishes_its_listening_port_on_127_0_0_1_where_make_run_does(
    service: str,
) -> None:
    (published,) = compose_services()[service]["ports"]
    address, host_port, container_port = with_defaults(published).split(":")
    variable, default = make_run_port(service)

    assert address == "127.0.0.1"
    assert container_port == image_port(service)
    assert host_port == default
    assert f"${{{variable}:-{default}}}" in published


def test_only_the_services_publish_ports_apart_from_the_identity_provider_and_the_console() -> None:
    publishing = {name for name, spec in compose_services().items() if spec.get("ports")}

    assert publishing - {"keycloak", "console"} == set(SERVICES)


def test_the_console_is_published_where_make_run_serves_it_and_reaches_the_four() -> None:
    console = compose_services()["console"]
    assert console["ports"] == ["${BIND_ADDRESS:-127.0.0.1}:${CONSOLE_PORT:-8080}:8080"]
    assert console["build"]["dockerfile"] == "services/console/Dockerfile"
    settings = ConsoleSettings.model_validate(
        {k.removeprefix("MULTITRACK_").lower(): v for k, v in console["environment"].items()}
    )
    assert settings.service_urls == {name: f"http://{name}:8000" for name in SERVICES}
    assert (
        settings.oidc_issuer
        == compose_services()["invitations"]["environment"]["MULTITRACK_OIDC_ISSUER"]
    )


def test_the_identity_provider_is_published_on_the_loopback_under_its_issuer_port() -> None:
    keycloak = compose_services()["keycloak"]
    (published,) = keycloak["ports"]

    assert with_defaults(published) == "127.0.0.1:8180:8080"
    assert keycloak["environment"]["KC_HOSTNAME"] == "http://localhost:8180"


async def readiness(service: str, path: str, tmp_path: Path) -> httpx.Response:
    """The service's answer at ``path``, in process, its broker out of reach."""
    settings = settings_class(service)(
        database_url=f"sqlite+aiosqlite:///{tmp_path / service}.db",
        kafka_bootstrap_servers="127.0.0.1:9",
        oidc_issuer="http://127.0.0.1:9/realms/multitrack",
    )
    app = importlib.import_module(f"multitrack_{service}.main").create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.get(path)


@pytest.mark.parametrize("service", SERVICES)
async def test_each_service_health_check_asks_its_readiness_which_is_its_database_alone(
    service: str, tmp_path: Path
) -> None:
    command = compose_services()[service]["healthcheck"]["test"]
    assert command[0] == "CMD"
    program, flag, module, path = command[1:]

    assert (program, flag) == ("python", "-m")
    assert importlib.util.find_spec(module) is not None
    response = await readiness(service, path, tmp_path)
    # No broker answers here: a broker outage leaves a service ready (writes wait in the outbox).
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


def test_every_container_waited_for_as_healthy_has_a_health_check() -> None:
    services = compose_services()
    for name, spec in services.items():
        for needed, condition in spec.get("depends_on", {}).items():
            assert needed in services, f"{name} depends on an unknown {needed}"
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[needed], f"{name} waits for {needed}"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_starts_after_its_database_broker_and_identity_provider(
    service: str,
) -> None:
    depends_on = compose_services()[service]["depends_on"]

    assert depends_on == {
        "kafka-init": {"condition": "service_completed_successfully"},
        "postgres": {"condition": "service_healthy"},
        "keycloak": {"condition": "service_healthy"},
    }
