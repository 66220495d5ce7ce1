"""The repository needs nothing beside itself: a clone alone runs and tests the platform."""

from __future__ import annotations

import re
import subprocess

from multitrack_shared.testing.paths import repo_root

# Ways code reaches a folder beside the checkout: a relative climb out of it, or a path built
# from the checkout root's parent.
OUTSIDE = re.compile(r"\.\./\.\./|(?<![\w.])\.\./shared\b|repo_root\(\)\.parent")
CODE = (".py", ".sh", ".toml", ".yml", ".yaml", ".cfg", ".ini", "Makefile", "Dockerfile")


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
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_the_schemas_the_tests_validate_against_are_in_the_repository_with_their_licences() -> None:
    schemas = repo_root() / "deploy" / "schemas"
    for name in (
        "asyncapi-3.0.0.json",
        "compose-spec.json",
        "LICENSE-asyncapi",
        "LICENSE-compose-spec",
    ):
        assert (schemas / name).is_file(), name
