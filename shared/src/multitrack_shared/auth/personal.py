"""Marking personal data in pydantic models, withholding it, and listing where it is.

A field that names or identifies a person (a contact person, someone heard, a facilitator, an
official) is ``Personal``; free text that may name one (a rationale, a reason, a note, a "why",
evidence) is ``MayNamePeople``. Mark the field itself, not the items of a list it holds::

    class ContactPublic(BaseModel):
        name: Annotated[str | None, Personal] = Field(description="...", examples=["..."])
        note: Annotated[str | None, MayNamePeople] = Field(default=None, description="...")

The marks show in the JSON schema (OpenAPI, AsyncAPI) as ``x-personal`` and
``x-may-name-people``. Responses pass through ``withhold_personal`` before they leave: a caller
who may not see the record's personal data (``policy.may_see_personal``) gets both kinds
nulled, so a marked field must admit None. ``marked_fields`` lists every marked path of a model
class: tests use it to prove that no event carries one, and the README's classification.
Framework-free: pydantic only.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

PERSONAL = "x-personal"
MAY_NAME_PEOPLE = "x-may-name-people"

Personal: Any = Field(json_schema_extra={PERSONAL: True})
"""``Annotated[str | None, Personal]``: the field names or identifies a person."""
MayNamePeople: Any = Field(json_schema_extra={MAY_NAME_PEOPLE: True})
"""``Annotated[str | None, MayNamePeople]``: free text that may name a person."""


class Marking(StrEnum):
    personal = PERSONAL
    may_name_people = MAY_NAME_PEOPLE


@dataclass(frozen=True)
class MarkedField:
    path: str
    """Dotted, ``[]`` for a list's items and ``{}`` for a mapping's values: ``contacts[].name``."""
    marking: Marking


M = TypeVar("M", bound=BaseModel)


def marking_of(field: FieldInfo) -> Marking | None:
    extra = field.json_schema_extra
    if not isinstance(extra, Mapping):
        return None
    return next((m for m in Marking if extra.get(m.value)), None)


def withhold_personal(model: M, *, may_see_personal: bool) -> M:
    """``model`` as a caller sees it: every marked field nulled, at any depth, unless it may."""
    if may_see_personal:
        return model
    withheld: M = _withheld(model)
    return withheld


def marked_fields(model_class: type[BaseModel]) -> list[MarkedField]:
    """Every personal or may-name-people field of ``model_class``, nested models included."""
    return _marked(model_class, "", frozenset())


def _withheld(value: Any) -> Any:
    if isinstance(value, BaseModel):
        updates: dict[str, Any] = {}
        for name, field in type(value).model_fields.items():
            current = getattr(value, name)
            if marking_of(field) is not None:
                _require_nullable(type(value), name)
                if current is not None:
                    updates[name] = None
                continue
            replaced = _withheld(current)
            if replaced is not current:
                updates[name] = replaced
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list | tuple):
        items = [_withheld(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        entries = {key: _withheld(item) for key, item in value.items()}
        return value if all(entries[k] is value[k] for k in value) else entries
    return value


@cache
def _require_nullable(model_class: type[BaseModel], name: str) -> None:
    annotation = model_class.model_fields[name].annotation
    if annotation is None or annotation is Any or type(None) in get_args(annotation):
        return
    raise TypeError(
        f"{model_class.__name__}.{name} is marked personal but does not admit None, "
        "so it cannot be withheld: declare it `X | None`"
    )


def _marked(model_class: type[BaseModel], prefix: str, seen: frozenset[type]) -> list[MarkedField]:
    if model_class in seen:
        return []
    found: list[MarkedField] = []
    for name, field in model_class.model_fields.items():
        path = f"{prefix}{name}"
        marking = marking_of(field)
        if marking is not None:
            found.append(MarkedField(path, marking))
            continue
        for nested, suffix in _models_within(field.annotation, ""):
            found.extend(_marked(nested, f"{path}{suffix}.", seen | {model_class}))
    return found


def _models_within(annotation: Any, suffix: str) -> list[tuple[type[BaseModel], str]]:
    """The model classes a field's type holds, each with the path suffix that reaches it."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, suffix)]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _models_within(args[0], suffix)
    if origin in (Union, types.UnionType):
        return [found for arg in args for found in _models_within(arg, suffix)]
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return _models_within(args[-1], f"{suffix}{{}}") if args else []
    if isinstance(origin, type) and issubclass(origin, Iterable):
        return [found for arg in args for found in _models_within(arg, f"{suffix}[]")]
    return []
