"""A Dockerfile read into its stages, and its builder stage played on this machine.

No Docker engine runs here, so the image tests read the services' Dockerfiles: the instructions
of each stage, the runtime stage's environment, command and health check. ``play_build_stage``
does what a builder stage does, in a folder standing for the image's root: the ``COPY`` of
files from the build context, ``WORKDIR``, ``ENV`` and ``RUN``. A ``COPY --from=<image>`` of a
tool is left out: the tool (uv) comes from this machine instead.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

IMAGE_ROOT = "/app"
"""Every path the services' Dockerfiles name lies under it, so it maps to one local folder."""


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def command(self) -> str:
        """A ``RUN``'s shell command, its leading ``--flag=value`` words left out."""
        return re.sub(r"^(--\S+\s+)*", "", self.arguments)

    def flags_and_words(self) -> tuple[dict[str, str], list[str]]:
        """``--name=value`` flags first, then the remaining words, as Docker reads them."""
        flags: dict[str, str] = {}
        words = shlex.split(self.arguments)
        while words and words[0].startswith("--"):
            name, _, value = words.pop(0)[2:].partition("=")
            flags[name] = value
        return flags, words


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def one(self, keyword: str) -> Instruction:
        found = self.all(keyword)
        assert len(found) == 1, f"{self.name or self.base}: {len(found)} {keyword}"
        return found[0]

    def env(self) -> dict[str, str]:
        """The stage's ``ENV`` pairs, ``$NAME`` left unexpanded."""
        pairs: dict[str, str] = {}
        for instruction in self.all("ENV"):
            for word in shlex.split(instruction.arguments):
                name, sep, value = word.partition("=")
                assert sep, f"ENV {instruction.arguments}: write NAME=value pairs"
                pairs[name] = value
        return pairs

    def exec_form(self, keyword: str) -> list[str]:
        """A ``CMD`` (or a ``HEALTHCHECK``'s ``CMD``) written as a JSON array."""
        _, words = self.one(keyword).flags_and_words()
        text = self.one(keyword).arguments
        if keyword == "HEALTHCHECK":
            assert words[0] == "CMD", text
            text = text[text.index("CMD") + len("CMD") :]
        command = json.loads(text)
        assert isinstance(command, list), text
        return [str(word) for word in command]


def logical_lines(text: str) -> list[str]:
    """Instructions with their continuation lines joined; comments and blank lines dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    assert not pending, "the last instruction ends with a line continuation"
    return lines


def parse(path: Path) -> list[Stage]:
    stages: list[Stage] = []
    for line in logical_lines(path.read_text()):
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
            continue
        assert stages, f"{path}: {keyword} before any FROM"
        stages[-1].instructions.append(Instruction(keyword, arguments.strip()))
    return stages


def local(image_path: str, root: Path) -> str:
    """Where a path of the image lies under ``root``."""
    return image_path.replace(IMAGE_ROOT, str(root / IMAGE_ROOT.lstrip("/")))


def expand(value: str, env: dict[str, str]) -> str:
    for name, current in env.items():
        value = value.replace(f"${{{name}}}", current).replace(f"${name}", current)
    return value


def stage_environment(stage: Stage, root: Path, base: dict[str, str]) -> dict[str, str]:
    env = dict(base)
    for name, value in stage.env().items():
        env[name] = expand(local(value, root), env)
    return env


def play_build_stage(stage: Stage, context: Path, root: Path, base_env: dict[str, str]) -> None:
    """The stage's WORKDIR, COPY from the context, ENV and RUN, under ``root``."""
    env = stage_environment(stage, root, base_env)
    workdir = root
    for instruction in stage.instructions:
        flags, words = instruction.flags_and_words()
        if instruction.keyword == "WORKDIR":
            workdir = Path(local(words[0], root))
            workdir.mkdir(parents=True, exist_ok=True)
        elif instruction.keyword == "COPY" and "from" not in flags:
            *sources, target = words
            for source in sources:
                copy_into(context / source, workdir / target, many=len(sources) > 1)
        elif instruction.keyword == "RUN":
            # --mount flags only speed a rebuild up; the command is the same without them.
            subprocess.run(["sh", "-c", instruction.command()], cwd=workdir, env=env, check=True)


def copy_into(source: Path, target: Path, *, many: bool) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
        return
    destination = target / source.name if many or str(target).endswith("/") else target
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, destination)


def host_environment() -> dict[str, str]:
    """This machine's environment (its PATH, certificates, caches) without the project's own
    settings and without the virtual environment the tests run in."""
    left_out = ("MULTITRACK_", "KAFKA_", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_RUN_")
    return {name: value for name, value in os.environ.items() if not name.startswith(left_out)}
