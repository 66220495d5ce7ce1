"""``make bench`` still works: its smoke run (a second or so per figure, one repetition) starts
its own broker and the four services, measures every figure and writes the results in the
issue's shape with the plot. Nothing here is timed: the figures of a smoke run mean nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.postgres import Postgres

FIGURE_KEYS = {"name", "value", "unit", "limit_name", "limit_value", "ratio", "target", "met"}
SERVICES = ("invitations", "engagements", "partners", "evaluation")
EXPECTED = {
    "L.kafka_producer_perf",
    "L.kafka_consumer_perf",
    "L.aiokafka_produce",
    "L.aiokafka_consume",
    "L.insert_with_outbox_postgresql",
    "L.insert_with_outbox_sqlite",
    "L.bare_endpoint",
    "P.a.intake",
    "P.a.intake_p99_at_50pct",
    "P.b.relay_drain_postgresql",
    "P.b.relay_drain_sqlite",
    "P.c.consumer_apply_postgresql",
    "P.c.consumer_apply_sqlite",
    "P.d.e2e_burst",
    "P.d.e2e_p50_at_50pct",
    "P.d.e2e_p99_at_80pct",
    "P.e.lessons_loop_p99",
    "P.f.replay",
    *(f"P.g.rss_peak_{s}" for s in SERVICES),
}

pytestmark = pytest.mark.timeout(600)


def test_the_benchmark_s_smoke_run_writes_every_figure_in_the_issue_s_shape(
    keycloak: IdentityProvider, consortium: Consortium, postgres: Postgres, tmp_path: Path
) -> None:
    # The session's people keep their passwords: later tests sign in with them.
    credentials = tmp_path / "credentials.json"
    consortium.write(credentials)
    env = {
        **os.environ,
        "MULTITRACK_OIDC_ISSUER": keycloak.issuer.url,
        "KEYCLOAK_ADMIN": keycloak.admin_username,
        "KEYCLOAK_ADMIN_PASSWORD": keycloak.admin_password,
        "MULTITRACK_PG_URL": postgres.base_url,
    }
    done = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "--smoke", "--open-broker"),
            *("--out", str(tmp_path), "--credentials", str(credentials)),
        ],
        cwd=repo_root(),
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert done.returncode == 0, done.stderr[-4000:]

    document = json.loads((tmp_path / "latest.json").read_text())
    assert set(document) == {"machine", "figures"}
    assert document["machine"]["scale"] == "smoke"
    figures = {f["name"]: f for f in document["figures"]}
    assert set(figures) >= EXPECTED, EXPECTED - set(figures)
    for figure in figures.values():
        assert set(figure) == FIGURE_KEYS, figure
        assert isinstance(figure["value"], int | float), figure
        assert figure["value"] >= 0 or figure["name"].startswith("P.g.rss_drift"), figure
        if figure["limit_value"]:
            assert figure["ratio"] == pytest.approx(
                figure["value"] / figure["limit_value"], rel=1e-2, abs=1e-3
            )
        assert (figure["met"] is None) == (figure["target"] is None), figure
    for name in EXPECTED:
        assert figures[name]["value"] > 0, figures[name]
    assert figures["P.a.intake"]["limit_name"] == "L.bare_endpoint"

    assert (tmp_path / "latest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    series = json.loads((tmp_path / "latest-series.json").read_text())
    assert set(series["rss_mib"]) == set(SERVICES)
    # The table is printed: one row per figure.
    assert all(name in done.stdout for name in figures)
