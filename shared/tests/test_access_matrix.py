"""The mechanics the services' access tests share: reading what a response shows at a marked
path."""

from __future__ import annotations

import pytest

from multitrack_shared.testing.access_matrix import values_at

pytestmark = pytest.mark.unit

MEETING = {
    "title": "Elders' council",
    "lead": {"name": "Ana Ruiz"},
    "contacts": [{"name": "Luis Pérez"}, {"name": None}],
    "by_day": {"monday": {"name": "Marta Gil"}},
    "notes": {"first": ["a", "b"], "second": ["c"]},
    "absent": None,
}


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("title", ["Elders' council"]),
        ("lead.name", ["Ana Ruiz"]),
        ("contacts[].name", ["Luis Pérez", None]),
        ("by_day{}.name", ["Marta Gil"]),
        ("notes{}[]", ["a", "b", "c"]),
        ("absent", [None]),
        ("absent.name", []),
        ("absent[].name", []),
        ("nowhere.name", []),
    ],
)
def test_values_at_a_marked_path_are_every_value_it_reaches(
    path: str, values: list[object]
) -> None:
    assert values_at(MEETING, path) == values
