"""Cross-service fixtures: the four services as uvicorn processes, PostgreSQL, the closed broker
(each service logged in as its own principal) and the identity provider whose tokens they take."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator, Awaitable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Protocol

import pytest

from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.postgres import Postgres
from multitrack_shared.testing.processes import SERVICES, Platform, platform_processes


class StartPlatform(Protocol):
    """Starts the four services; ``extra_env`` adds to (or overrides) each one's environment."""

    def __call__(self, extra_env: Mapping[str, str] | None = None) -> Awaitable[Platform]: ...


@pytest.fixture
async def start_platform(
    kafka_broker: Broker,
    keycloak: IdentityProvider,
    postgres: Postgres,
    topic_namespace: str,
    tmp_path: Path,
) -> AsyncIterator[StartPlatform]:
    started: list[Platform] = []

    async def start(extra_env: Mapping[str, str] | None = None) -> Platform:
        databases = {name: await postgres.new_database(name) for name in SERVICES}
        platform = platform_processes(
            broker=kafka_broker,
            databases=databases,
            topic_namespace=topic_namespace,
            oidc_issuer=keycloak.issuer.url,
            log_dir=tmp_path,
            extra_env=extra_env,
        )
        started.append(platform)
        platform.start()
        return platform

    yield start
    for platform in started:
        platform.stop()


def load_demo() -> ModuleType:
    """The `make demo` story, so that the suite plays it against real processes too."""
    return load_script("deploy/demo/demo.py", "multitrack_demo")


def load_script(relative_path: str, name: str) -> ModuleType:
    """A script of the repository (not a package module), imported as ``name``."""
    path = repo_root() / relative_path
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
