"""``deploy/grafana/multitrack-services.json``: a Grafana dashboard that is valid JSON, whose
every query names only metric families the services export, and that shows every family."""

from __future__ import annotations

import json
import re
from typing import Any

from prometheus_client.metrics_core import Metric

from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.observability.progress import ConsumerProgress
from multitrack_shared.testing.paths import repo_root

DASHBOARD = repo_root() / "deploy" / "grafana" / "multitrack-services.json"
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def exported_families() -> dict[str, set[str]]:
    """Each family a service exports (its own, named ``multitrack_``) → its sample names."""
    metrics = ServiceMetrics("any")
    metrics.registry.register(ConsumerProgress(stall_seconds=60))
    families: list[Metric] = list(metrics.registry.collect())
    return {
        family.name: {family.name + suffix for suffix in SUFFIXES[family.type]}
        for family in families
        if family.name.startswith("multitrack_")
    }


def queries(dashboard: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def test_the_dashboard_is_json_with_unique_panels_reading_one_prometheus_source() -> None:
    dashboard = json.loads(DASHBOARD.read_text())

    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    assert dashboard["uid"] == "multitrack-services"
    (source,) = dashboard["templating"]["list"]
    assert (source["name"], source["type"], source["query"]) == (
        "datasource",
        "datasource",
        "prometheus",
    )
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["targets"], panel["title"]
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_every_query_names_only_exported_families_and_every_family_is_shown() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    families = exported_families()
    samples = set().union(*families.values())

    named = {name for expr in queries(dashboard) for name in re.findall(r"\bmultitrack_\w+", expr)}

    assert named <= samples, sorted(named - samples)
    shown = {family for family, names in families.items() if names & named}
    assert shown == set(families), sorted(set(families) - shown)
    assert {"multitrack_outbox_pending", "multitrack_outbox_oldest_age_seconds"} <= shown
    assert "multitrack_consumer_lag" in shown
