"""``deploy/kubernetes/``: the local overlay rendered as kustomize would, every resource valid
against the Kubernetes schemas in strict mode, and each service's resources agreeing with the
code: its image's port and health paths, settings it reads, replicas its topics can use."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from multitrack_console.bootstrap import ConsoleSettings
from multitrack_shared.messaging.consumer import consumed_topics
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.processes import SERVICES

from .kustomize import Resource, merge, render, split_image
from .test_compose_matches_code import environment_names, image_port, settings_class

KUBERNETES_VERSION = "1.33.0"
"""The one version the manifests are validated for (kubernetes-validate ships its schemas)."""

MANIFESTS = repo_root() / "deploy" / "kubernetes"
OVERLAY = MANIFESTS / "overlays" / "local"


def rendered() -> list[Resource]:
    return render(OVERLAY)


def resource(resources: list[Resource], kind: str, name: str) -> Resource:
    (found,) = [r for r in resources if r["kind"] == kind and r["metadata"]["name"] == name]
    return found


def container_of(resources: list[Resource], service: str) -> dict[str, Any]:
    (container,) = resource(resources, "Deployment", service)["spec"]["template"]["spec"][
        "containers"
    ]
    assert isinstance(container, dict)
    return container


def test_every_resource_of_the_local_overlay_is_valid_in_strict_mode() -> None:
    resources = rendered()
    assert len(resources) == 1 + 5 * len(SERVICES) + 3  # the console: Secret, Deployment, Service

    for each in resources:
        kubernetes_validate.validate(each, KUBERNETES_VERSION, strict=True)


def test_strict_validation_refuses_a_field_kubernetes_does_not_know() -> None:
    deployment = resource(rendered(), "Deployment", "invitations")
    deployment["spec"]["replicaCount"] = 2

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_the_overlay_puts_everything_in_its_namespace_with_local_images_and_settings() -> None:
    resources = rendered()
    base = render(MANIFESTS / "base")

    assert {r["metadata"].get("namespace") for r in resources} == {"multitrack"}
    assert {r["metadata"].get("namespace") for r in base} == {None}
    for service in SERVICES:
        assert container_of(resources, service)["image"] == f"multitrack-{service}:local"
        assert container_of(base, service)["image"] == f"multitrack-{service}:0.1.0"
    settings = resource(resources, "ConfigMap", "multitrack-settings")["data"]
    assert settings["MULTITRACK_TOPIC_REPLICATION_FACTOR"] == "1"
    assert settings["MULTITRACK_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_listens_where_its_image_does_and_is_probed_at_its_health_paths(
    service: str,
) -> None:
    resources = rendered()
    container = container_of(resources, service)
    (port,) = container["ports"]

    assert str(port["containerPort"]) == image_port(service)
    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": port["name"]}
    assert container["startupProbe"]["httpGet"] == {"path": "/health/live", "port": port["name"]}
    assert container["readinessProbe"]["httpGet"] == {
        "path": "/health/ready",
        "port": port["name"],
    }
    (service_port,) = resource(resources, "Service", service)["spec"]["ports"]
    assert service_port["targetPort"] == port["name"]
    assert set(container["resources"]) == {"requests", "limits"}
    assert set(container["resources"]["requests"]) == {"cpu", "memory"}
    assert set(container["resources"]["limits"]) == {"cpu", "memory"}


@pytest.mark.parametrize("service", SERVICES)
def test_service_autoscaler_and_budget_select_the_deployments_pods(service: str) -> None:
    resources = rendered()
    deployment = resource(resources, "Deployment", service)
    pods = deployment["spec"]["template"]["metadata"]["labels"]
    selects = resource(resources, "Service", service)["spec"]["selector"]
    budget = resource(resources, "PodDisruptionBudget", service)["spec"]
    autoscaler = resource(resources, "HorizontalPodAutoscaler", service)["spec"]

    assert deployment["spec"]["selector"]["matchLabels"].items() <= pods.items()
    assert selects.items() <= pods.items()
    assert budget["selector"]["matchLabels"].items() <= pods.items()
    assert autoscaler["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": service,
    }
    assert budget["minAvailable"] < autoscaler["minReplicas"] <= deployment["spec"]["replicas"]


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_scales_beyond_the_partitions_of_the_topics_it_consumes(service: str) -> None:
    handlers = importlib.import_module(f"multitrack_{service}.bootstrap").SERVICE.handlers
    partitions = max(topic.partitions for topic in consumed_topics(handlers))
    autoscaler = resource(rendered(), "HorizontalPodAutoscaler", service)["spec"]

    assert autoscaler["maxReplicas"] == partitions


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_reads_settings_from_the_config_map_and_secrets_from_its_secret(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    resources = rendered()
    container = container_of(resources, service)
    sources = [next(iter(source.values()))["name"] for source in container["envFrom"]]
    assert sources == ["multitrack-settings", service]
    secret = resource(resources, "Secret", service)["stringData"]
    environment = (
        resource(resources, "ConfigMap", "multitrack-settings")["data"]
        | secret
        | {variable["name"]: variable["value"] for variable in container["env"]}
    )

    assert set(environment) <= environment_names(settings_class(service))
    assert {"MULTITRACK_DATABASE_URL", "MULTITRACK_KAFKA_PASSWORD"} <= set(secret)
    assert all("CHANGE-ME" in value for value in secret.values()), "placeholders only"
    for name in [*environment, "KAFKA_BOOTSTRAP_SERVERS"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = settings_class(service)()
    assert settings.kafka_username == service
    assert settings.database_url.endswith(f"/{service}")


def test_the_console_runs_once_behind_its_service_and_reaches_the_four_by_their_services(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resources = rendered()
    deployment = resource(resources, "Deployment", "console")
    assert deployment["spec"]["replicas"] == 1  # its sessions live in the process
    container = container_of(resources, "console")
    assert container["image"] == "multitrack-console:local"
    environment = (
        resource(resources, "ConfigMap", "multitrack-settings")["data"]
        | resource(resources, "Secret", "console")["stringData"]
        | {variable["name"]: variable["value"] for variable in container["env"]}
    )
    for name in [*environment, "KAFKA_BOOTSTRAP_SERVERS"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = ConsoleSettings()
    assert settings.service_urls == {name: f"http://{name}" for name in SERVICES}
    assert settings.kafka_username == "partner"
    assert settings.secure_cookies
    assert container["ports"][0]["containerPort"] == 8080


WEBHOOK_SECRET_KEY = "MULTITRACK_WEBHOOK_SECRET_KEY"


def test_the_services_base_manifests_differ_only_in_name_and_most_replicas() -> None:
    def normalized(service: str) -> str:
        documents = list(yaml.safe_load_all((MANIFESTS / "base" / f"{service}.yaml").read_text()))
        for document in documents:
            if document["kind"] == "HorizontalPodAutoscaler":
                document["spec"]["maxReplicas"] = 0
            if document["kind"] == "Secret":
                # The partners service alone signs webhooks, with secrets it encrypts.
                document["stringData"].pop(WEBHOOK_SECRET_KEY, None)
        return yaml.safe_dump_all(documents).replace(service, "<service>")

    first, *others = SERVICES
    for service in others:
        assert normalized(service) == normalized(first)


def test_the_renderer_merges_named_lists_item_by_item_and_replaces_other_lists() -> None:
    base = {
        "containers": [{"name": "a", "image": "x:1", "args": ["1"]}, {"name": "b", "image": "y"}],
        "labels": {"keep": "1", "change": "1"},
    }
    patch = {"containers": [{"name": "a", "args": ["2"]}], "labels": {"change": "2"}}

    assert merge(base, patch) == {
        "containers": [{"name": "a", "image": "x:1", "args": ["2"]}, {"name": "b", "image": "y"}],
        "labels": {"keep": "1", "change": "2"},
    }


def test_the_renderer_refuses_what_it_does_not_implement(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: []\ncommonLabels: {a: b}\n")

    with pytest.raises(ValueError, match="commonLabels"):
        render(tmp_path)


def test_a_registry_port_stays_part_of_the_image_name() -> None:
    assert split_image("registry.local:5000/multitrack-invitations:1.2") == (
        "registry.local:5000/multitrack-invitations",
        "1.2",
    )
    assert split_image("registry.local:5000/multitrack-invitations") == (
        "registry.local:5000/multitrack-invitations",
        "",
    )
