"""The part of kustomize that ``deploy/kubernetes/`` uses, to render it without a binary.

A kustomization here lists ``resources`` (files of YAML documents, or folders holding a
kustomization), and may set a ``namespace``, change ``images`` (``newName``/``newTag``) and apply
``patches`` given by ``path``: a patch names a resource by kind and name and is merged into it
as kustomize's strategic merge does for these resources: mappings merge key by key, lists of
mappings that carry a ``name`` (containers, ports, env, volumes) merge item by item, other lists
are replaced. Any other field of a kustomization is refused, so that a manifest never relies on
something this renderer would silently skip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Resource = dict[str, Any]

SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
CLUSTER_WIDE = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}


def render(folder: Path) -> list[Resource]:
    """The resources of the kustomization in ``folder``, as ``kustomize build`` prints them."""
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    unsupported = set(kustomization) - SUPPORTED
    if unsupported:
        raise ValueError(f"{folder}: this renderer does not support {sorted(unsupported)}")
    resources: list[Resource] = []
    for entry in kustomization.get("resources", []):
        path = (folder / entry).resolve()
        resources += render(path) if path.is_dir() else documents(path)
    for patch in kustomization.get("patches", []):
        if set(patch) != {"path"}:
            raise ValueError(f"{folder}: only patches given by path are supported: {patch}")
        for document in documents(folder / patch["path"]):
            apply_patch(resources, document)
    for image in kustomization.get("images", []):
        retag(resources, image)
    if "namespace" in kustomization:
        for resource in resources:
            if resource["kind"] not in CLUSTER_WIDE:
                resource["metadata"]["namespace"] = kustomization["namespace"]
    return resources


def documents(path: Path) -> list[Resource]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


def identity(resource: Resource) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


def apply_patch(resources: list[Resource], patch: Resource) -> None:
    targets = [r for r in resources if identity(r) == identity(patch)]
    if len(targets) != 1:
        raise ValueError(f"a patch of {identity(patch)} matches {len(targets)} resources")
    merged = merge(targets[0], patch)
    resources[resources.index(targets[0])] = merged


def merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    if named_list(base) and named_list(patch):
        by_name = {item["name"]: item for item in base}
        for item in patch:
            name = item["name"]
            by_name[name] = merge(by_name[name], item) if name in by_name else item
        return list(by_name.values())
    return patch


def named_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(i, dict) and "name" in i for i in value)


def retag(resources: list[Resource], image: dict[str, str]) -> None:
    for resource in resources:
        pod = resource.get("spec", {}).get("template", {}).get("spec", {})
        for container in pod.get("containers", []) + pod.get("initContainers", []):
            name, tag = split_image(container["image"])
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"


def split_image(reference: str) -> tuple[str, str]:
    """``name:tag`` apart; a registry's ``host:port/`` is part of the name."""
    name, sep, tag = reference.rpartition(":")
    if not sep or "/" in tag:
        return reference, ""
    return name, tag
