"""What the forms send to the services, and the CSRF check in front of every one of them."""

from __future__ import annotations

from . import samples
from .conftest import Console

ENGAGEMENT = "/engagements/eng-1"


def engagement_on(console: Console) -> None:
    p = console.platform
    p.on("engagements", "GET", f"{ENGAGEMENT}/overview", (200, samples.overview()))


async def test_a_form_without_the_session_s_token_is_refused_and_reaches_no_service(
    console: Console,
) -> None:
    console.sign_in()
    engagement_on(console)
    await console.form_token(ENGAGEMENT)
    console.platform.requests.clear()

    forged = await console.http.post(
        f"{ENGAGEMENT}/lessons/les-1/response",
        data={"response": "applied", "why": "x", "csrf_token": "not-this-session-s"},
    )
    missing = await console.http.post(
        f"{ENGAGEMENT}/lessons/les-1/response", data={"response": "applied", "why": "x"}
    )

    assert forged.status_code == 403
    assert missing.status_code == 403
    assert console.platform.requests == []


async def test_a_lesson_response_is_sent_as_the_person_and_the_page_says_so(
    console: Console,
) -> None:
    console.sign_in()
    engagement_on(console)
    path = f"{ENGAGEMENT}/lessons/les-1/response"
    console.platform.on("engagements", "POST", path, (201, {"response": "applied"}))
    token = await console.form_token(ENGAGEMENT)

    answer = await console.http.post(
        path, data={"response": "adapted", "why": "Circles first.", "csrf_token": token}
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == f"{ENGAGEMENT}#lessons"
    assert console.platform.sent("POST", path) == [{"response": "adapted", "why": "Circles first."}]
    page = await console.http.get(ENGAGEMENT)
    assert "Lesson adapted." in page.text


async def test_an_activity_is_sent_with_its_tracks_and_a_refusal_is_shown_beside_its_field(
    console: Console,
) -> None:
    console.sign_in()
    engagement_on(console)
    path = f"{ENGAGEMENT}/activities"
    refusal = {
        "error": {
            "code": "validation_failed",
            "message": "held_on is after the planning horizon.",
            "fields": [{"field": "body.held_on", "rule": "horizon", "message": "too far"}],
        }
    }
    console.platform.on("engagements", "POST", path, (422, refusal))
    token = await console.form_token(ENGAGEMENT)
    form = {
        "kind": "dialogue",
        "held_on": "2036-06-01",
        "place": "El Carmen",
        "tracks": ["3", "4"],
        "peacebuilding_kind": "social",
        "rpp_quadrant": "more_people_individual",
        "do_no_harm.note": "Neutral venue.",
        "csrf_token": token,
    }

    page = await console.http.post(path, data=form)

    (sent,) = console.platform.sent("POST", path)
    assert sent["tracks"] == [3, 4]
    assert sent["do_no_harm"] == {"note": "Neutral venue."}
    assert page.status_code == 422
    assert "Not recorded: held_on is after the planning horizon." in page.text
    assert 'role="alert"' in page.text
    assert '<span class="field-error" id="f-held_on-error" data-field="held_on">too far' in (
        page.text
    )
    assert 'value="2036-06-01"' in page.text
    assert 'name="tracks" value="4" checked' in page.text
    assert 'name="tracks" value="5" checked' not in page.text


async def test_an_activity_recorded_goes_back_to_the_compass(console: Console) -> None:
    console.sign_in()
    engagement_on(console)
    path = f"{ENGAGEMENT}/activities"
    console.platform.on("engagements", "POST", path, (201, {"id": "act-2"}))
    token = await console.form_token(ENGAGEMENT)

    answer = await console.http.post(
        path, data={"kind": "dialogue", "tracks": "3", "csrf_token": token}
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == f"{ENGAGEMENT}#compass"
    assert "Activity recorded." in (await console.http.get(ENGAGEMENT)).text


async def test_a_decision_and_an_assessment_are_sent_to_the_invitations_service(
    console: Console,
) -> None:
    console.sign_in()
    p = console.platform
    p.on("invitations", "GET", "/invitations/inv-1", (200, samples.invitation()))
    p.on("invitations", "GET", "/assessment-criteria", (200, samples.CRITERIA))
    p.on("invitations", "GET", "/invitations/inv-1/lessons", (200, samples.MATCHING))
    p.on("invitations", "PUT", "/invitations/inv-1/assessment", (200, samples.invitation()))
    p.on(
        "invitations",
        "POST",
        "/invitations/inv-1/decision",
        (200, samples.invitation(status="accepted")),
    )
    token = await console.form_token("/invitations/inv-1")

    await console.http.post(
        "/invitations/inv-1/assessment",
        data={
            "verdicts.party_to_conflict.verdict": "met",
            "verdicts.party_to_conflict.note": "The elders invited us.",
            "verdicts.local_partners.verdict": "unmet",
            "verdicts.local_partners.note": "",
            "assessed_by": "assessment team",
            "csrf_token": token,
        },
    )
    decided = await console.http.post(
        "/invitations/inv-1/decision",
        data={
            "outcome": "accept",
            "rationale": "Invited by a party.",
            "decided_by": "board",
            "csrf_token": token,
        },
    )

    assert p.sent("PUT", "/invitations/inv-1/assessment") == [
        {
            "assessed_by": "assessment team",
            "verdicts": {
                "party_to_conflict": {"verdict": "met", "note": "The elders invited us."},
                "local_partners": {"verdict": "unmet"},
            },
        }
    ]
    assert p.sent("POST", "/invitations/inv-1/decision") == [
        {"outcome": "accept", "rationale": "Invited by a party.", "decided_by": "board"}
    ]
    assert decided.status_code == 303
    assert "Invitation accepted." in (await console.http.get("/invitations/inv-1")).text


async def test_a_refused_decision_is_shown_beside_its_field_with_the_input_kept(
    console: Console,
) -> None:
    console.sign_in()
    p = console.platform
    p.on("invitations", "GET", "/invitations/inv-1", (200, samples.invitation()))
    p.on("invitations", "GET", "/assessment-criteria", (200, samples.CRITERIA))
    p.on("invitations", "GET", "/invitations/inv-1/lessons", (200, samples.MATCHING))
    refusal = {
        "error": {
            "code": "override_required",
            "message": "an essential criterion is unknown: give an override reason",
            "fields": [{"field": "rationale", "rule": "override", "message": "say why"}],
        }
    }
    p.on("invitations", "POST", "/invitations/inv-1/decision", (409, refusal))
    token = await console.form_token("/invitations/inv-1")

    page = await console.http.post(
        "/invitations/inv-1/decision",
        data={"outcome": "accept", "rationale": "Because.", "decided_by": "board",
              "csrf_token": token},
    )  # fmt: skip

    assert page.status_code == 409
    form = page.text.split('data-testid="decision-form"')[1].split("</form>")[0]
    assert "Not recorded: an essential criterion is unknown" in form
    assert 'data-field="rationale">say why' in form
    assert ">Because.</textarea>" in form
    assert 'value="accept" required checked' in form
