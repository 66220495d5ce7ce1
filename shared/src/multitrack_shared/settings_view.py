"""Settings as an operator may see them: each value as it is in effect, secrets masked, and
each setting's environment variable, type, default and description (the reference page).

A value is masked when its field is a ``SecretStr`` or when it is a URL naming a password
(a database URL): the password gives way to ``***``, the rest stays readable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import AliasChoices, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

MASK = "***"


def masked(settings: BaseSettings) -> dict[str, Any]:
    """Every field's value in effect, by environment variable, secrets masked."""
    return {
        environment_names(type(settings), name)[0]: _shown(getattr(settings, name))
        for name in type(settings).model_fields
    }


def _shown(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return MASK if value.get_secret_value() else ""
    if isinstance(value, str) and "://" in value:
        return _without_password(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _without_password(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.password is None:
        return url
    return parsed.render_as_string(hide_password=True)  # the password as ***, MASK


def environment_names(model: type[BaseSettings], name: str) -> list[str]:
    """The environment variables a field is read from, the preferred one first."""
    field = model.model_fields[name]
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        names = [c for c in alias.choices if isinstance(c, str) and c.isupper()]
        if names:
            return names
    prefix = str(model.model_config.get("env_prefix", ""))
    return [f"{prefix}{name}".upper()]


@dataclass(frozen=True)
class SettingDoc:
    variables: list[str]
    type: str
    default: str
    description: str


def reference(model: type[BaseSettings]) -> list[SettingDoc]:
    """One entry per field of ``model``, in declaration order."""
    return [
        SettingDoc(
            environment_names(model, name),
            _type_of(field),
            _default_of(field),
            " ".join((field.description or "").split()),
        )
        for name, field in model.model_fields.items()
    ]


BOUNDS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def _type_of(field: FieldInfo) -> str:
    annotation = field.annotation
    text = getattr(annotation, "__name__", None) or str(annotation)
    if text == "SecretStr":
        return "secret"
    if text == "Literal":
        text = " | ".join(str(a) for a in getattr(annotation, "__args__", ()))
    constraints = []
    for rule in field.metadata:
        for name, sign in BOUNDS.items():
            if getattr(rule, name, None) is not None:
                constraints.append(f"{sign} {getattr(rule, name)}")
        if getattr(rule, "pattern", None) is not None:
            constraints.append(f"matching `{rule.pattern}`")
    return text + (f", {', '.join(constraints)}" if constraints else "")


def _default_of(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    default = field.get_default(call_default_factory=True)
    if isinstance(default, SecretStr) or default == "":
        return "empty"
    if isinstance(default, bool):
        return json.dumps(default)
    return str(default)
