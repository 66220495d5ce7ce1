"""The reference page of every setting, ``docs/settings.md``, generated from the settings
models themselves::

    uv run multitrack settings --reference > docs/settings.md

A test fails when the committed page and this output differ.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings

from multitrack_cli.settings import CliSettings
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.settings_view import reference

HEADER = """\
# Settings

Generated from the settings models by `uv run multitrack settings --reference > docs/settings.md`;
a test fails when this page and the models differ. `multitrack settings` shows the values in
effect, secrets masked.
"""

SECTIONS: tuple[tuple[str, type[BaseSettings], str], ...] = (
    (
        "Services",
        ServiceSettings,
        "Every service reads these (`multitrack_shared.settings.ServiceSettings`); each process "
        "runs one service, so one prefix is enough. A service's own settings class sets only "
        "its name.",
    ),
    (
        "The operator's command line",
        CliSettings,
        "`multitrack` reads these (`multitrack_cli.settings.CliSettings`).",
    ),
)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def page() -> str:
    parts = [HEADER]
    for title, model, intro in SECTIONS:
        parts += [f"\n## {title}\n\n{intro}\n\n", "| variable | type | default | |\n"]
        parts.append("|---|---|---|---|\n")
        for doc in reference(model):
            names = " or ".join(f"`{n}`" for n in doc.variables)
            parts.append(
                f"| {names} | {_escape(doc.type)} | `{_escape(doc.default)}` | "
                f"{_escape(doc.description)} |\n"
            )
    return "".join(parts)
