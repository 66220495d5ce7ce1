"""The repository needs nothing beside itself: a clone alone runs and tests the platform."""

from __future__ import annotations

import re
import subprocess

from multitrack_shared.testing.paths import repo_root

# Ways code reaches a folder beside the checkout: a relative climb out of it, or a path built
# from the checkout root's parent.
OUTSIDE = re.compile(r"\.\./\.\./|(?<![\w.])\.\./shared\b|repo_root\(\)\.parent")
CODE = (".py", ".sh", ".toml", ".yml", ".yaml", ".cfg", ".ini", "Makefile", "Dockerfile")
CLIMB = re.compile(r"(?:\.\./)+[\w./-]*")


def reads_outside(path: str, line: str) -> bool:
    """Whether a line that matches OUTSIDE leaves the checkout. kustomize resolves the paths of
    a kustomization from the file's own folder, so there a climb leaves only if it lands
    outside; anywhere else every match counts."""
    if not path.endswith("kustomization.yaml"):
        return True
    folder = (repo_root() / path).parent
    inside = repo_root().resolve()
    return any(
        not (folder / climb).resolve().is_relative_to(inside) for climb in CLIMB.findall(line)
    )


def tracked_code() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=repo_root(), capture_output=True, text=True, check=True
    )
    return [path for path in listed.stdout.splitlines() if path.endswith(CODE)]


def test_no_code_reads_outside_the_repository() -> None:
    this_file = "tests/test_self_contained.py"
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for path in tracked_code()
        if path != this_file
        for number, line in enumerate((repo_root() / path).read_text().splitlines(), 1)
        if OUTSIDE.search(line) and reads_outside(path, line)
    ]
    assert offenders == []


def test_a_kustomization_may_climb_to_its_base_but_not_out_of_the_checkout() -> None:
    overlay = "deploy/kubernetes/overlays/local/kustomization.yaml"

    assert not reads_outside(overlay, "  - ../../base")
    assert reads_outside(overlay, "  - ../../../../../shared")
    assert reads_outside("deploy/local/run.sh", "cd ../../base")


def test_the_schemas_the_tests_validate_against_are_in_the_repository_with_their_licences() -> None:
    schemas = repo_root() / "deploy" / "schemas"
    for name in (
        "asyncapi-3.0.0.json",
        "compose-spec.json",
        "LICENSE-asyncapi",
        "LICENSE-compose-spec",
    ):
        assert (schemas / name).is_file(), name
