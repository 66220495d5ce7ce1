"""No published event carries a field that names a person or free text that may name one.

Every field of every event model is classified with the personal-data marks; a version that
carried marked fields is superseded by one that does not, stays registered (records of it are
on the topics and are replayed) and is listed as deprecated in the catalogue, naming its
successor. Producers cannot publish it any more.
"""

from __future__ import annotations

import pytest

from multitrack_shared.auth.personal import marked_fields
from multitrack_shared.events import platform_events
from multitrack_shared.events.catalogue import asyncapi_document
from multitrack_shared.events.envelope import SupersededEvent, still_published
from multitrack_shared.events.invitations import InvitationDeclined, InvitationDeclinedV2
from multitrack_shared.events.upcasting import current_type
from multitrack_shared.testing.fakes import FakeUnitOfWork
from multitrack_shared.times import utc_now

pytestmark = pytest.mark.unit

EVENTS = platform_events()
PUBLISHED = {t: e for t, e in EVENTS.items() if e.superseded_by is None}
SUPERSEDED = {t: e for t, e in EVENTS.items() if e.superseded_by is not None}


def version_of(event_type: str) -> tuple[str, int]:
    """``multitrack.lesson.recorded.v2`` → (``multitrack.lesson.recorded``, 2)."""
    stem, version = event_type.rsplit(".v", 1)
    return stem, int(version)


def test_every_event_still_published_carries_no_personal_or_may_name_people_field() -> None:
    assert {"multitrack.invitation.accepted.v2", "multitrack.lesson.recorded.v3"} <= set(PUBLISHED)
    carrying = {t: marked_fields(e) for t, e in PUBLISHED.items() if marked_fields(e)}
    assert carrying == {}


def test_every_event_that_carries_a_marked_field_is_superseded() -> None:
    marked = {t for t, e in EVENTS.items() if marked_fields(e)}
    assert marked <= set(SUPERSEDED)
    assert marked >= {
        "multitrack.invitation.accepted.v1",
        "multitrack.invitation.declined.v1",
        "multitrack.invitation.withdrawn.v1",
        "multitrack.engagement.status_changed.v1",
        "multitrack.engagement.lesson_responded.v1",
        "multitrack.lesson.retired.v1",
    }


@pytest.mark.parametrize("event_type", sorted(SUPERSEDED))
def test_a_superseded_version_names_a_later_version_of_the_same_event_that_is_published(
    event_type: str,
) -> None:
    successor = EVENTS[event_type].superseded_by
    assert successor in EVENTS
    assert current_type(event_type) in PUBLISHED
    (stem, version), (next_stem, next_version) = version_of(event_type), version_of(successor)
    assert (next_stem, next_version > version) == (stem, True)
    assert EVENTS[successor].topic == EVENTS[event_type].topic
    assert EVENTS[successor].key_field == EVENTS[event_type].key_field


@pytest.mark.parametrize("event_type", sorted(SUPERSEDED))
def test_a_superseded_version_is_listed_as_deprecated_naming_what_replaced_it(
    event_type: str,
) -> None:
    event = EVENTS[event_type]
    document = asyncapi_document()
    message = document["components"]["messages"][event_type.removeprefix("multitrack.")]
    assert message["deprecated"] is True
    assert f"replaced by {event.superseded_by}" in message["summary"]
    assert event.superseded_by in message["description"]
    assert document["components"]["schemas"][event.__name__]["deprecated"] is True
    assert (event.__doc__ or "").startswith(f"Deprecated: superseded by ``{event.superseded_by}``")


def test_events_still_published_are_not_listed_as_deprecated() -> None:
    document = asyncapi_document()
    for event_type, event in PUBLISHED.items():
        message = document["components"]["messages"][event_type.removeprefix("multitrack.")]
        assert "deprecated" not in message
        assert "deprecated" not in document["components"]["schemas"][event.__name__]
        assert not (event.__doc__ or "").startswith("Deprecated")


def test_a_superseded_version_still_decodes_from_what_is_on_the_topics() -> None:
    on_the_topic = {"invitation_id": "i-1", "rationale": "Ana Ruiz vouched for them.",
                    "declined_at": "2026-01-05T10:00:00Z"}  # fmt: skip

    decoded = InvitationDeclined.model_validate(on_the_topic)

    assert (decoded.invitation_id, decoded.rationale) == ("i-1", "Ana Ruiz vouched for them.")


async def test_a_unit_of_work_refuses_to_publish_a_superseded_version() -> None:
    superseded = InvitationDeclined(invitation_id="i-1", rationale="why", declined_at=utc_now())
    current = InvitationDeclinedV2(invitation_id="i-1", declined_at=utc_now())
    uow = FakeUnitOfWork()

    async with uow:
        with pytest.raises(SupersededEvent, match=r"publish multitrack\.invitation\.declined\.v2"):
            uow.publish(superseded)
        uow.publish(current)
        await uow.commit()

    assert uow.published == [current]
    assert still_published(current) is current
