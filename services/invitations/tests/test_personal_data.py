"""Personal data in invitations: every marked field is shown to the people of the owning
organization (coordinators, evaluators, observers) and withheld, as null, from everyone else:
other organizations, consortium admins and partner systems, even those of the owner."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_invitations.adapters.uow import InvitationsUnitOfWork
from multitrack_invitations.entrypoints.api.schemas.invitations_public import (
    InvitationPublic,
    InvitationSummary,
)
from multitrack_invitations.entrypoints.consumers import handlers
from multitrack_shared.auth.personal import Marking, marked_fields
from multitrack_shared.events.common import Ownership
from multitrack_shared.events.evaluation import LessonContext, LessonRecorded
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.access_matrix import values_at
from multitrack_shared.testing.inprocess import apply_events
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

from .conftest import OWNER

MARKED = marked_fields(InvitationPublic)
NAMES = {
    "inviter.name": "Senator Ana Ruiz",
    "conflict.description": "Ana Ruiz's family disputes the holdings of Luis Pérez.",
    "support_requested": "Ana Ruiz asks for a facilitator her cousin trusts.",
}


def test_the_invitation_marks_who_and_the_free_text_that_may_name_people() -> None:
    assert {(m.path, m.marking) for m in MARKED} == {
        ("inviter.name", Marking.personal),
        ("conflict.description", Marking.may_name_people),
        ("support_requested", Marking.may_name_people),
        ("assessment.verdicts{}.note", Marking.may_name_people),
        ("assessment.assessed_by", Marking.personal),
        ("decision.rationale", Marking.may_name_people),
        ("decision.decided_by", Marking.personal),
        ("decision.overrides", Marking.may_name_people),
        ("withdrawal_reason", Marking.may_name_people),
    }


def test_the_brief_invitation_marks_who_invites_and_carries_no_free_text() -> None:
    assert {(m.path, m.marking) for m in marked_fields(InvitationSummary)} == {
        ("inviter.name", Marking.personal)
    }


@pytest.fixture
async def withdrawn(app: FastAPI, client: httpx.AsyncClient) -> str:
    """A consortium-visible invitation of org-a with every marked field filled: assessed with
    a lesson of org-a reaching it, accepted overriding an unmet criterion, then withdrawn."""
    lesson = LessonRecorded(
        lesson_id="lesson-1",
        ownership=Ownership(owner_org=OWNER),
        statement="Hear the families first.",
        evidence="Ana Ruiz's account of the 2019 dialogues.",
        confidence=Confidence.high,
        context=LessonContext(countries=["CO"]),
        recorded_at=datetime(2025, 1, 10, 8, 0, tzinfo=UTC),
    )
    await apply_events(app, Subscription[InvitationsUnitOfWork](handlers), [lesson])
    body = invitation_body(support_requested=NAMES["support_requested"])
    body["inviter"] = {**body["inviter"], "name": NAMES["inviter.name"]}
    body["conflict"] = {**body["conflict"], "description": NAMES["conflict.description"]}
    invitation_id = str((await client.post("/invitations", json=body)).json()["id"])
    steps = [
        ("PUT", "assessment", assessment_body(unmet=("local_partners",))),
        ("POST", "decision", acceptance_body(overrides={"local_partners": "Luis Pérez helps."})),
        ("POST", "withdrawal", {"reason": "Ana Ruiz was threatened."}),
    ]
    for method, step, json in steps:
        done = await client.request(method, f"/invitations/{invitation_id}/{step}", json=json)
        assert done.status_code == 200, done.text
    return invitation_id


def shown(document: dict[str, Any]) -> dict[str, list[Any]]:
    return {m.path: values_at(document, m.path) for m in MARKED}


async def answers(
    client: httpx.AsyncClient, invitation_id: str, auth: httpx.Auth
) -> list[dict[str, Any]]:
    """The invitation as read, and as listed by a search."""
    read = await client.get(f"/invitations/{invitation_id}", auth=auth)
    listed = await client.get("/invitations", auth=auth)
    assert (read.status_code, listed.status_code) == (200, 200), read.text
    return [read.json(), next(i for i in listed.json() if i["id"] == invitation_id)]


@pytest.mark.parametrize("role", ["coordinator", "evaluator", "observer"])
async def test_the_owning_organizations_people_see_every_marked_field(
    client: httpx.AsyncClient,
    withdrawn: str,
    tokens: TokenSource,
    org_a_observer: BearerAuth,
    role: str,
) -> None:
    auth = org_a_observer if role == "observer" else tokens.auth(OWNER, role)

    for answer in await answers(client, withdrawn, auth):
        seen = shown(answer)
        assert all(values and None not in values for values in seen.values()), seen
        assert {path: seen[path] for path in NAMES} == {p: [v] for p, v in NAMES.items()}


@pytest.mark.parametrize(
    "caller",
    [("org-b", "coordinator"), ("org-b", "evaluator"), (OWNER, "partner-system")],
    ids=lambda caller: "-".join(caller),
)
async def test_everyone_else_gets_every_marked_field_as_null_and_the_rest_as_it_is(
    client: httpx.AsyncClient, withdrawn: str, tokens: TokenSource, caller: tuple[str, str]
) -> None:
    as_owner = (await answers(client, withdrawn, tokens.auth(OWNER, "coordinator")))[0]

    for answer in await answers(client, withdrawn, tokens.auth(*caller)):
        assert all(set(values) == {None} for values in shown(answer).values()), shown(answer)
        assert "Ana Ruiz" not in str(answer)
        assert "Luis Pérez" not in str(answer)
        assert answer["status"] == as_owner["status"] == "withdrawn"
        assert answer["conflict"]["name"] == as_owner["conflict"]["name"]
        assert answer["inviter"]["track"] == as_owner["inviter"]["track"]
        assert answer["assessment"]["unmet"] == ["local_partners"]
        lessons = answer["assessment"]["matching_lessons"]
        assert [lesson["statement"] for lesson in lessons] == ["Hear the families first."]


async def test_a_consortium_admin_reads_a_consortium_visible_invitation_without_its_names(
    client: httpx.AsyncClient, withdrawn: str, tokens: TokenSource
) -> None:
    read = await client.get(f"/invitations/{withdrawn}", auth=tokens.auth(None, "consortium-admin"))

    assert read.status_code == 200
    assert all(set(values) == {None} for values in shown(read.json()).values())


async def test_the_brief_list_names_who_invites_to_the_owning_organization_alone(
    client: httpx.AsyncClient, withdrawn: str, tokens: TokenSource
) -> None:
    async def in_brief(auth: httpx.Auth) -> dict[str, Any]:
        listed = await client.get("/invitations/summaries", auth=auth)
        assert listed.status_code == 200, listed.text
        return next(i for i in listed.json() if i["id"] == withdrawn)

    own = await in_brief(tokens.auth(OWNER, "coordinator"))
    other = await in_brief(tokens.auth("org-b", "coordinator"))

    assert own["inviter"]["name"] == NAMES["inviter.name"]
    assert other["inviter"]["name"] is None
    assert {key: value for key, value in other.items() if key != "inviter"} == {
        key: value for key, value in own.items() if key != "inviter"
    }
    assert (own["status"], own["assessed"]) == ("withdrawn", True)
    assert "Ana Ruiz" not in str(other)
    assert "Luis Pérez" not in str(own)  # free text and the decision stay in the full record
