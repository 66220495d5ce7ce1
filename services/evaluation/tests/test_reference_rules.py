"""The rules of the reference data, without I/O."""

from __future__ import annotations

import pytest

from multitrack_evaluation.domain.reference import ReferenceEntry, ReferenceKind, new_entry
from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.events.vocabulary import CatalogueOrigin

TRUST = ReferenceEntry(ReferenceKind.standard_procedure, "trust", "Trust", "No agenda.", True, 4)
TRACK_ONE = ReferenceEntry(ReferenceKind.track, "1", "Government", "Diplomacy.", True, 1)


def test_an_item_is_reworded_and_keeps_its_code_and_place() -> None:
    reworded = TRUST.adjusted("No hidden agenda", "Purpose stated.", active=True)

    assert (reworded.code, reworded.position, reworded.label) == (
        4 and "trust",
        4,
        "No hidden agenda",
    )
    assert reworded.key == "standard_procedure:trust"


def test_a_procedure_can_be_switched_off_and_on_again() -> None:
    off = TRUST.adjusted(TRUST.label, TRUST.description, active=False)

    assert off.active is False
    assert off.adjusted(TRUST.label, TRUST.description, active=True) == TRUST


@pytest.mark.parametrize("kind", [ReferenceKind.track, ReferenceKind.peacebuilding_kind])
def test_tracks_and_kinds_of_peacebuilding_are_reworded_but_never_switched_off(
    kind: ReferenceKind,
) -> None:
    item = ReferenceEntry(kind, "1", "Label", "Text.", True, 1)

    assert item.adjusted("New label", "Text.", active=True).label == "New label"
    with pytest.raises(DomainError) as caught:
        item.adjusted("New label", "Text.", active=False)
    assert (caught.value.field, caught.value.code) == ("active", "fixed_vocabulary")


def test_a_new_procedure_comes_last_and_active() -> None:
    entry = new_entry(ReferenceKind.standard_procedure, "do_no_harm", "Do no harm", "x", [TRUST])

    assert (entry.position, entry.active) == (5, True)


def test_a_procedure_code_is_not_added_twice() -> None:
    with pytest.raises(Conflict) as caught:
        new_entry(ReferenceKind.standard_procedure, "trust", "Trust", "x", [TRUST])

    assert caught.value.field == "code"


@pytest.mark.parametrize("kind", [ReferenceKind.track, ReferenceKind.peacebuilding_kind])
def test_tracks_and_kinds_of_peacebuilding_do_not_grow(kind: ReferenceKind) -> None:
    with pytest.raises(DomainError) as caught:
        new_entry(kind, "cultural", "Cultural", "x", [TRACK_ONE])

    assert (caught.value.field, caught.value.code, caught.value.status_code) == (
        "kind",
        "fixed_vocabulary",
        422,
    )


# --- the catalogue of methods ---------------------------------------------------------------

PALABREO = ReferenceEntry(
    ReferenceKind.method, "palabreo", "Palabreo", "A word circle.", True, 1,
    origin=CatalogueOrigin.indigenous,
)  # fmt: skip


def test_a_method_joins_the_catalogue_with_its_origin_and_can_be_retired() -> None:
    minga = new_entry(
        ReferenceKind.method, "minga", "Minga", "Shared work.", [PALABREO],
        origin=CatalogueOrigin.local,
    )  # fmt: skip

    assert (minga.position, minga.active, minga.origin) == (2, True, CatalogueOrigin.local)
    retired = minga.adjusted(minga.label, minga.description, active=False)
    assert (retired.active, retired.origin) == (False, CatalogueOrigin.local)


def test_a_methods_origin_can_be_corrected() -> None:
    corrected = PALABREO.adjusted(
        PALABREO.label, PALABREO.description, True, origin=CatalogueOrigin.local
    )

    assert corrected.origin is CatalogueOrigin.local


def test_a_method_says_where_it_comes_from() -> None:
    with pytest.raises(DomainError) as caught:
        new_entry(ReferenceKind.method, "minga", "Minga", "Shared work.", [])

    assert (caught.value.field, caught.value.code) == ("origin", "origin_required")


def test_only_a_method_has_an_origin() -> None:
    with pytest.raises(DomainError) as added:
        new_entry(
            ReferenceKind.standard_procedure, "x", "X", "x.", [], origin=CatalogueOrigin.local
        )
    with pytest.raises(DomainError) as adjusted:
        TRUST.adjusted(TRUST.label, TRUST.description, True, origin=CatalogueOrigin.external)

    assert (added.value.field, added.value.code) == ("origin", "method_only")
    assert (adjusted.value.field, adjusted.value.code) == ("origin", "method_only")
