"""What the container images rely on: migrations found however a service is installed, and a
health probe made of the standard library alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from multitrack_shared.db.migrations import service_migrations
from multitrack_shared.http import probe


def make_migrations(folder: Path) -> Path:
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text("")
    return folder


def make_package(root: Path) -> Path:
    package = root / "multitrack_sample"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "bootstrap.py").write_text("")
    return package / "bootstrap.py"


def test_a_checkout_finds_the_migrations_beside_its_src_folder(tmp_path: Path) -> None:
    service = tmp_path / "services" / "sample"
    module = make_package(service / "src")
    checkout = make_migrations(service / "migrations")

    assert service_migrations(str(module)) == checkout


def test_an_installed_package_finds_the_migrations_its_wheel_carries(tmp_path: Path) -> None:
    module = make_package(tmp_path / "lib" / "python3.11" / "site-packages")
    packed = make_migrations(module.parent / "migrations")

    assert service_migrations(str(module)) == packed


def test_the_copy_inside_the_package_comes_before_a_folder_two_levels_up(tmp_path: Path) -> None:
    service = tmp_path / "services" / "sample"
    module = make_package(service / "src")
    make_migrations(service / "migrations")
    packed = make_migrations(module.parent / "migrations")

    assert service_migrations(str(module)) == packed


def test_no_migrations_anywhere_is_refused_naming_the_package(tmp_path: Path) -> None:
    module = make_package(tmp_path / "src")
    (tmp_path / "migrations").mkdir()  # a folder without env.py is no Alembic folder

    with pytest.raises(FileNotFoundError, match="multitrack_sample"):
        service_migrations(str(module))


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health/live" else 503)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test's output is its assertions."""


@pytest.fixture
def health_server() -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_the_probe_exits_0_on_200_and_1_on_any_other_status(
    health_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UVICORN_PORT", str(health_server))

    assert probe.main([]) == 0
    assert probe.main(["/health/live"]) == 0
    assert probe.main(["/health/ready"]) == 1


def test_the_probe_exits_1_when_nothing_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UVICORN_PORT", "1")

    assert probe.main([]) == 1


def test_the_probe_asks_this_host_at_uvicorns_port_or_8000() -> None:
    assert probe.probe_url("/health/ready", {"UVICORN_PORT": "9100"}) == (
        "http://127.0.0.1:9100/health/ready"
    )
    assert probe.probe_url(environ={}) == "http://127.0.0.1:8000/health/live"
