"""Personal data is marked where it is declared, withheld from callers who may not see it and
never logged (that no event carries it: ``shared/tests/test_events_carry_nothing_personal.py``)."""

from __future__ import annotations

import io
import json
from typing import Annotated

import pytest
import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Column, MetaData, String, Table, insert
from sqlalchemy.exc import IntegrityError

from multitrack_shared.auth.personal import (
    MAY_NAME_PEOPLE,
    PERSONAL,
    MarkedField,
    Marking,
    MayNamePeople,
    Personal,
    marked_fields,
    withhold_personal,
)
from multitrack_shared.db.engine import create_engine
from multitrack_shared.logging import WITHHELD, configure_logging, get_logger

from .memos import MemoWritten

pytestmark = pytest.mark.unit


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: Annotated[str | None, Personal] = Field(description="The contact person.")
    role: str = Field(description="What they do, e.g. elder, liaison.")


class Meeting(BaseModel):
    title: str = Field(description="What the meeting was.")
    lead: Contact | None = Field(default=None, description="Who led it.")
    contacts: list[Contact] = Field(default_factory=list, description="Who took part.")
    by_day: dict[str, Contact] = Field(default_factory=dict, description="Host of each day.")
    reserves: tuple[Contact, ...] = Field(default=(), description="Who could stand in.")
    why: Annotated[str | None, MayNamePeople] = Field(default=None, description="Why it was held.")


def a_meeting() -> Meeting:
    return Meeting(
        title="Elders' council",
        lead=Contact(name="Ana Ruiz", role="elder"),
        contacts=[Contact(name="Luis Pérez", role="liaison"), Contact(name=None, role="guest")],
        by_day={"monday": Contact(name="Marta Gil", role="host")},
        reserves=(Contact(name="Rosa Díaz", role="elder"),),
        why="Ana Ruiz asked for it after the flood.",
    )


def test_a_caller_who_may_not_see_personal_data_gets_every_marked_field_nulled_at_any_depth() -> (
    None
):
    meeting = a_meeting()

    shown = withhold_personal(meeting, may_see_personal=False)

    assert shown.lead == Contact(name=None, role="elder")
    assert [c.name for c in shown.contacts] == [None, None]
    assert shown.by_day["monday"] == Contact(name=None, role="host")
    assert shown.reserves == (Contact(name=None, role="elder"),)
    assert shown.why is None
    assert (shown.title, [c.role for c in shown.contacts]) == (meeting.title, ["liaison", "guest"])
    for name in ("Ana Ruiz", "Luis Pérez", "Marta Gil", "Rosa Díaz"):
        assert name not in shown.model_dump_json()
    # the original is left as it was, for the caller who may see it
    assert meeting.lead is not None
    assert meeting.lead.name == "Ana Ruiz"
    assert withhold_personal(meeting, may_see_personal=True) is meeting


def test_every_marked_field_is_listed_with_its_path() -> None:
    assert sorted(marked_fields(Meeting), key=lambda f: f.path) == [
        MarkedField("by_day{}.name", Marking.personal),
        MarkedField("contacts[].name", Marking.personal),
        MarkedField("lead.name", Marking.personal),
        MarkedField("reserves[].name", Marking.personal),
        MarkedField("why", Marking.may_name_people),
    ]


def test_the_marks_show_in_the_json_schema_beside_the_fields_description() -> None:
    schema = Meeting.model_json_schema()

    name = schema["$defs"]["Contact"]["properties"]["name"]
    assert (name[PERSONAL], name["description"]) == (True, "The contact person.")
    assert schema["properties"]["why"][MAY_NAME_PEOPLE] is True
    assert PERSONAL not in schema["$defs"]["Contact"]["properties"]["role"]


def test_a_marked_field_that_cannot_be_nulled_is_refused_when_withheld() -> None:
    class Official(BaseModel):
        name: Annotated[str, Personal] = Field(description="Always present: wrongly so.")

    with pytest.raises(TypeError, match=r"Official\.name"):
        withhold_personal(Official(name="Sr. Gómez"), may_see_personal=False)


def test_a_log_line_never_carries_a_body_or_a_credential() -> None:
    written = io.StringIO()
    saved = structlog.get_config()
    try:
        configure_logging("memos", "INFO", as_json=True)
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(written))
        get_logger("test").info(
            "request", body={"contact_name": "Ana Ruiz"}, token="eyJ.secret", memo_id="m-1"
        )
    finally:
        structlog.configure(**saved)
        structlog.contextvars.clear_contextvars()

    line = json.loads(written.getvalue())
    assert (line["body"], line["token"], line["memo_id"]) == (WITHHELD, WITHHELD, "m-1")


def test_an_event_that_fails_validation_is_reported_without_its_values() -> None:
    with pytest.raises(ValidationError) as refused:
        MemoWritten.model_validate(
            {"memo_id": "m-1", "title": ["Ana Ruiz"], "ownership": {"owner_org": "org-a"}}
        )

    assert "title" in str(refused.value)
    assert "Ana Ruiz" not in str(refused.value)
    assert "Ana Ruiz" not in repr(refused.value)


async def test_a_database_error_is_reported_without_the_rows_values() -> None:
    metadata = MetaData()
    people = Table("people", metadata, Column("name", String(100), primary_key=True))
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(insert(people).values(name="Ana Ruiz"))
        with pytest.raises(IntegrityError) as refused:
            await connection.execute(insert(people).values(name="Ana Ruiz"))
    await engine.dispose()

    assert "UNIQUE" in str(refused.value)
    assert "Ana Ruiz" not in str(refused.value)
