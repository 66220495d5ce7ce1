"""Old versions are read as the current one, one upcaster per step, each in ``events.upcasting``.

A record is validated against its own version (the contract it was written under), then
carried to the current version: what that version no longer carries is dropped, the rest kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from multitrack_shared.events import evaluation as ev
from multitrack_shared.events import invitations as inv
from multitrack_shared.events import platform_events
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.upcasting import (
    UnknownEventType,
    current_type,
    read_event,
    steps,
    upcast,
    upcaster,
)
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.testing.superseded import as_replayed

pytestmark = pytest.mark.unit

AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
CONFIDED = "Ana Ruiz vouched for it"

ACCEPTED_V1: dict[str, Any] = {
    "invitation_id": "inv-1",
    "ownership": {"owner_org": "org-a", "visibility": "owner"},
    "inviter": {"name": "Ana Ruiz", "kind": "council", "track": 3, "is_party_to_conflict": True},
    "conflict": {"name": "Valley land dispute", "country": "CO"},
    "support_requested": "A dialogue between the valley's communities",
    "rationale": CONFIDED,
    "overridden_criteria": {"local_partners": CONFIDED, "safety": CONFIDED},
    "commitment_years": 6,
    "accepted_at": AT.isoformat(),
}


def test_a_v1_acceptance_is_read_as_a_v2_without_name_rationale_or_reasons() -> None:
    read = read_event(inv.InvitationAccepted.event_type, ACCEPTED_V1)

    assert read == inv.InvitationAcceptedV2(
        invitation_id="inv-1",
        ownership=Ownership(owner_org="org-a", visibility=Visibility.owner),
        inviter=inv.InviterProfile(kind="council", track=3, is_party_to_conflict=True),
        conflict=ConflictContext(name="Valley land dispute", country="CO"),
        support_requested="A dialogue between the valley's communities",
        overridden_criteria=["local_partners", "safety"],
        commitment_years=6,
        accepted_at=AT,
    )
    assert "Ana Ruiz" not in repr(read)


def test_a_current_version_is_read_as_itself() -> None:
    lesson = ev.LessonRetiredV2(lesson_id="l-1", retired_at=AT)
    assert read_event(lesson.event_type, lesson.model_dump(mode="json")) == lesson
    assert upcast(lesson) is lesson


def test_a_record_is_validated_against_its_own_version_before_it_is_upcast() -> None:
    # The rationale was required of a .v1 acceptance, though the .v2 drops it: a .v1 record
    # without it broke its own contract and is refused, not silently read.
    broken = {k: v for k, v in ACCEPTED_V1.items() if k != "rationale"}
    with pytest.raises(ValidationError, match="rationale"):
        read_event(inv.InvitationAccepted.event_type, broken)


def test_a_type_nothing_declares_is_refused() -> None:
    with pytest.raises(UnknownEventType):
        read_event("multitrack.lesson.recorded.v9", {})


def test_every_superseded_platform_version_has_its_one_step_and_reaches_a_current_one() -> None:
    superseded = {t: e for t, e in platform_events().items() if e.superseded_by is not None}
    assert {t: target.event_type for t, target in steps().items()} == {
        t: e.superseded_by for t, e in superseded.items()
    }
    for event_type in platform_events():
        assert platform_events()[current_type(event_type)].superseded_by is None


def test_a_step_must_go_to_the_successor_its_source_names_and_come_once() -> None:
    with pytest.raises(TypeError, match="is not superseded by"):
        upcaster(ev.LessonRecorded, ev.LessonRevisedV2)
    with pytest.raises(TypeError, match="has two upcasters"):
        upcaster(ev.LessonRecorded, ev.LessonRecordedV2)


def test_the_lesson_steps_drop_the_evidence_and_the_reason_and_keep_the_rest() -> None:
    recorded = ev.LessonRecordedV3(
        lesson_id="l-1",
        ownership=Ownership(owner_org="org-a"),
        statement="Listen to every side first",
        confidence=Confidence.high,
        context=ev.LessonContextV3(countries=["CO"], tracks=[3]),
        recorded_at=AT,
    )
    retired = ev.LessonRetiredV2(lesson_id="l-1", retired_at=AT)

    assert as_replayed(recorded, ev.LessonRecorded, evidence=CONFIDED) == recorded
    assert as_replayed(retired, ev.LessonRetired, reason=CONFIDED) == retired


def test_a_lesson_of_v2_reads_as_v3_naming_no_conflict_and_v1_goes_both_steps() -> None:
    recorded = ev.LessonRecordedV3(
        lesson_id="l-1",
        ownership=Ownership(owner_org="org-a"),
        statement="Listen to every side first",
        confidence=Confidence.high,
        context=ev.LessonContextV3(countries=["CO"], conflict_ids=["conflict-1"]),
        recorded_at=AT,
    )
    without_conflicts = recorded.model_copy(
        update={"context": ev.LessonContextV3(countries=["CO"])}
    )

    assert as_replayed(recorded, ev.LessonRecordedV2) == without_conflicts
    assert as_replayed(recorded, ev.LessonRecorded, evidence=CONFIDED) == without_conflicts
    assert current_type(ev.LessonRevised.event_type) == ev.LessonRevisedV3.event_type


def test_a_replayed_record_must_be_read_as_the_version_asked_for() -> None:
    retired = ev.LessonRetiredV2(lesson_id="l-1", retired_at=AT)
    with pytest.raises(TypeError, match="is not superseded by"):
        as_replayed(retired, ev.LessonRecorded, evidence=CONFIDED)
