"""A form as the person filled it in, what it sends, and what a service refused in it.

A form's fields are named by the dotted path of the request body they fill (``dac.impact.score``,
``actors.2.side``), so a service's field problem names the field to show it beside. Where the
form and the body differ (a list typed one item a line, rows left blank and not sent) the
``Outgoing`` says which body path came from which field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from multitrack_console.application.ports import Json, Problem, Refused


@dataclass(frozen=True)
class Filled:
    """The fields of a submitted form, by name; a name may repeat (checkboxes)."""

    values: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, items: Iterable[tuple[str, object]]) -> Filled:
        values: dict[str, list[str]] = {}
        for name, value in items:
            if isinstance(value, str):
                values.setdefault(name, []).append(value)
        return cls({name: tuple(given) for name, given in values.items()})

    def get(self, name: str) -> str:
        return self.values.get(name, ("",))[0].strip()

    def all(self, name: str) -> tuple[str, ...]:
        return self.values.get(name, ())

    def lines(self, name: str) -> list[str]:
        """A list typed one item a line, blank lines left out."""
        return [line.strip() for line in self.get(name).splitlines() if line.strip()]

    def rows(self, prefix: str) -> list[int]:
        """The row numbers of fields named ``<prefix>.<n>.<column>``, in order."""
        found = {
            int(parts[1])
            for name in self.values
            if len(parts := name.split(".")) == 3 and parts[0] == prefix and parts[1].isdigit()
        }
        return sorted(found)


@dataclass(frozen=True)
class Outgoing:
    """A request body built from a form, and the form field each body path came from."""

    body: Json
    renames: Mapping[str, str] = field(default_factory=dict)

    def field_of(self, path: str) -> str:
        """The form field a body path came from: its longest renamed prefix replaced."""
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            renamed = self.renames.get(".".join(parts[:end]))
            if renamed is not None:
                return ".".join([renamed, *parts[end:]])
        return path


def listed(name: str, items: list[str]) -> dict[str, str]:
    """Each item of a list typed one a line comes from that one field."""
    return {f"{name}.{n}": name for n in range(len(items))}


def number(text: str) -> int | float | str:
    """A number typed in; anything else is sent as it is, for the service to name the rule."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


@dataclass(frozen=True)
class FormState:
    """A form shown again after a refusal: the input kept, each problem beside its field."""

    name: str
    filled: Filled | None = None
    message: str = ""
    problems: tuple[Problem, ...] = ()

    @classmethod
    def blank(cls, name: str) -> FormState:
        return cls(name)

    @classmethod
    def refused(cls, name: str, filled: Filled, outgoing: Outgoing, refused: Refused) -> FormState:
        problems = tuple(
            Problem(outgoing.field_of(p.field), p.message) for p in refused.problems if p.field
        )
        return cls(name, filled, refused.message, problems)

    def value(self, name: str, default: object = "") -> str:
        """What the person typed, once they have sent the form; ``default`` before."""
        if self.filled is None:
            return "" if default is None else str(default)
        return self.filled.get(name)

    def text(self, name: str, default: Iterable[object] = ()) -> str:
        """A field holding a list one item a line."""
        if self.filled is None:
            return "\n".join(str(item) for item in default)
        return self.filled.values.get(name, ("",))[0]

    def chosen(self, name: str, value: object, default: bool = False) -> bool:
        """Whether an option or a checkbox is to be shown chosen."""
        if self.filled is None:
            return default
        return str(value) in self.filled.all(name)

    def errors(self, name: str) -> list[str]:
        return [p.message for p in self.problems if p.field == name]
