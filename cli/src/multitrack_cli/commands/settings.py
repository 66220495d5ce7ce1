"""``multitrack settings``: the configuration in effect — the command line's own and each
service's — with secrets masked; ``--reference`` prints the reference page of every setting
(``docs/settings.md``)."""

from __future__ import annotations

import asyncio
from typing import Any

from multitrack_cli.platform import OperatorError, Platform
from multitrack_cli.render import table
from multitrack_cli.report import Report
from multitrack_cli.settings import CliSettings
from multitrack_shared.settings_view import masked


async def effective(platform: Platform) -> Report:
    async def of(service: str) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = await platform.get(service, "/operations/settings")
            return dict(answer["settings"])
        except OperatorError as exc:
            return {"error": str(exc)}

    answers = await asyncio.gather(*(of(s) for s in platform.services))
    data = {"cli": masked(platform.settings), **dict(zip(platform.services, answers, strict=True))}
    lines = []
    for name, values in data.items():
        lines += [f"{name}", *table(["variable", "value"], sorted(values.items())), ""]
    return Report(data, lines[:-1])


def own(settings: CliSettings) -> Report:
    """The command line's settings alone (when no service need be asked)."""
    values = masked(settings)
    return Report({"cli": values}, table(["variable", "value"], sorted(values.items())))
