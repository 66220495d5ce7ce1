"""Whether an event model still keeps the contract its version was committed with.

A version is a promise both ways: readers of the committed schema read what producers write
under the model, and the model reads every record already written under the committed schema
(a rebuild replays them). So, between a committed JSON Schema and the model's schema now:

- a field may be added if it is optional; descriptions, titles and examples may change;
- nothing else: a field removed or renamed, retyped (its type, format, items, bounds, default
  or its alternatives), an optional field made required or a required one optional, a required
  field added, an enum narrowed or widened: each breaks one side, and needs a new version.

Both schemas are read as pydantic writes them (``$ref`` into ``$defs``, ``anyOf`` for unions):
references are followed, so renaming a nested model alone breaks nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

ANNOTATIONS = frozenset(
    {"title", "description", "examples", "deprecated", "$schema", "$id", "$defs"}
)
"""Keywords that document a schema without changing what it admits."""
DOCUMENTATION_PREFIX = "x-"
"""Extension keywords document too (``x-superseded-by``, ``x-personal``); the two that name
where a version travels are compared."""
COMPARED_EXTENSIONS = frozenset({"x-event-type", "x-topic", "x-key"})

Schema = Mapping[str, Any]


def breaking_changes(committed: Schema, current: Schema) -> list[str]:
    """Every difference that breaks the committed contract, as ``<field path>: <what>``."""
    return list(_compare(committed, committed, current, current, "payload"))


def _resolve(root: Schema, node: Schema) -> Schema:
    seen: set[str] = set()
    while "$ref" in node:
        ref = str(node["$ref"])
        if ref in seen or not ref.startswith("#/$defs/"):
            raise ValueError(f"cannot follow {ref}")
        seen.add(ref)
        node = {**root["$defs"][ref.removeprefix("#/$defs/")], **_without(node, {"$ref"})}
    return node


def _without(node: Schema, keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in keys}


def _compared_keywords(node: Schema) -> set[str]:
    return {
        k
        for k in node
        if k not in ANNOTATIONS
        and (not k.startswith(DOCUMENTATION_PREFIX) or k in COMPARED_EXTENSIONS)
    }


def _compare(
    old_root: Schema, old: Schema, new_root: Schema, new: Schema, path: str
) -> Iterator[str]:
    old, new = _resolve(old_root, old), _resolve(new_root, new)
    structural = {"properties", "required", "items", "additionalProperties", "anyOf", "enum"}
    if "properties" in old or "properties" in new:
        yield from _compare_fields(old_root, old, new_root, new, path)
    for key in ("items", "additionalProperties", "propertyNames"):
        if isinstance(old.get(key), Mapping) and isinstance(new.get(key), Mapping):
            yield from _compare(old_root, old[key], new_root, new[key], f"{path}[{key}]")
            structural.add(key)
        elif key in old or key in new:
            yield from _differs(path, key, old.get(key), new.get(key))
            structural.add(key)
    if "anyOf" in old or "anyOf" in new:
        yield from _compare_alternatives(old_root, old, new_root, new, path)
    if "enum" in old or "enum" in new:
        yield from _compare_enum(old.get("enum"), new.get("enum"), path)
    for key in sorted((_compared_keywords(old) | _compared_keywords(new)) - structural):
        yield from _differs(path, key, old.get(key), new.get(key))


def _differs(path: str, key: str, old: Any, new: Any) -> Iterator[str]:
    if old != new:
        yield f"{path}: {key} {_shown(old)} became {_shown(new)}"


def _shown(value: Any) -> str:
    return "absent" if value is None else json.dumps(value, sort_keys=True)


def _compare_fields(
    old_root: Schema, old: Schema, new_root: Schema, new: Schema, path: str
) -> Iterator[str]:
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name in old_fields:
        if name not in new_fields:
            yield f"{path}.{name}: removed"
        else:
            yield from _compare(
                old_root, old_fields[name], new_root, new_fields[name], f"{path}.{name}"
            )
    for name in new_fields:
        if name not in old_fields and name in new_required:
            yield f"{path}.{name}: added as required (records already written lack it)"
    for name in sorted((new_required - old_required) & set(old_fields)):
        yield f"{path}.{name}: optional made required"
    for name in sorted((old_required - new_required) & set(new_fields)):
        yield f"{path}.{name}: required made optional (readers of the committed version expect it)"


def _compare_alternatives(
    old_root: Schema, old: Schema, new_root: Schema, new: Schema, path: str
) -> Iterator[str]:
    old_null, old_others = _alternatives(old)
    new_null, new_others = _alternatives(new)
    if old_null and not new_null:
        yield f"{path}: no longer admits null"
    if new_null and not old_null:
        yield f"{path}: admits null (readers of the committed version refuse it)"
    if len(old_others) == len(new_others) == 1:
        yield from _compare(old_root, old_others[0], new_root, new_others[0], path)
    elif _shapes(old_root, old_others) != _shapes(new_root, new_others):
        yield f"{path}: retyped"


NULL: Schema = {"type": "null"}


def _alternatives(node: Schema) -> tuple[bool, list[Schema]]:
    """Whether ``node`` admits null, and its other alternatives (itself, if it has none)."""
    alternatives = node.get("anyOf", [_without(node, {"default"})])
    others = [a for a in alternatives if _without(a, set(ANNOTATIONS)) != NULL]
    return len(others) < len(alternatives), others


def _shapes(root: Schema, alternatives: list[Schema]) -> list[str]:
    return sorted(json.dumps(_canonical(root, a), sort_keys=True) for a in alternatives)


def _canonical(root: Schema, node: Any) -> Any:
    """``node`` with references followed and annotations left out, for comparing shapes."""
    if isinstance(node, Mapping):
        node = _resolve(root, node)
        return {k: _canonical(root, v) for k, v in node.items() if k in _compared_keywords(node)}
    if isinstance(node, list):
        return [_canonical(root, item) for item in node]
    return node


def _compare_enum(old: Any, new: Any, path: str) -> Iterator[str]:
    if old is None:
        yield f"{path}: restricted to {sorted(new)}"
        return
    if new is None:
        yield f"{path}: enum lifted, readers of the committed version refuse values beyond {old}"
        return
    if narrowed := sorted(set(old) - set(new)):
        yield f"{path}: enum narrowed, no longer admits {narrowed}"
    if widened := sorted(set(new) - set(old)):
        yield f"{path}: enum widened, readers of the committed version refuse {widened}"
