"""Recording a party heard, a conflict analysis version and an evaluation: what each form
sends, a refusal shown field by field with the input kept, and the CSRF check in front."""

from __future__ import annotations

import re
from typing import Any

import pytest

from . import samples
from .conftest import Console
from .test_forms import ENGAGEMENT, engagement_on

DAC = ("relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability")
PROCEDURES = [
    {"code": f"p{n}", "label": f"Procedure {n}", "position": n, "active": True}
    for n in range(1, 13)
]


def refusal(message: str, *fields: tuple[str, str]) -> dict[str, Any]:
    return {
        "error": {
            "code": "validation_error",
            "message": message,
            "fields": [{"field": f, "rule": "invalid", "message": m} for f, m in fields],
        }
    }


def field_error(page: str, name: str) -> str:
    """The message shown beside the form field ``name`` (empty when there is none)."""
    found = re.search(rf'data-field="{re.escape(name)}">([^<]*)<', page)
    return found.group(1) if found else ""


async def test_a_party_heard_is_sent_as_the_ledger_takes_it_then_the_page_again(
    console: Console,
) -> None:
    console.sign_in()
    engagement_on(console)
    path = f"{ENGAGEMENT}/listening"
    console.platform.on("engagements", "POST", path, (201, {"id": "heard-1"}))
    token = await console.form_token(ENGAGEMENT)

    answer = await console.http.post(
        path,
        data={
            "who": "Rosa Villa",
            "side": "landowners",
            "track": "3",
            "needs": "Titles respected\n\n Safe roads ",
            "heard_by": "field team",
            "heard_on": "2026-05-20",
            "csrf_token": token,
        },
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == f"{ENGAGEMENT}#heard"
    assert console.platform.sent("POST", path) == [
        {
            "who": "Rosa Villa",
            "side": "landowners",
            "track": 3,
            "needs": ["Titles respected", "Safe roads"],
            "heard_by": "field team",
            "heard_on": "2026-05-20",
        }
    ]
    assert "Heard: landowners recorded." in (await console.http.get(ENGAGEMENT)).text


async def test_a_refused_party_heard_is_shown_field_by_field_with_the_input_kept(
    console: Console,
) -> None:
    console.sign_in()
    engagement_on(console)
    path = f"{ENGAGEMENT}/listening"
    refused = refusal(
        "Invalid input: body.who, body.needs.1",
        ("body.who", "must not be blank"),
        ("body.needs.1", "contains a control character"),
    )
    console.platform.on("engagements", "POST", path, (422, refused))
    token = await console.form_token(ENGAGEMENT)

    page = await console.http.post(
        path,
        data={
            "who": " ",
            "side": "landowners",
            "track": "3",
            "needs": "Titles respected\nRoads",
            "heard_by": "field team",
            "heard_on": "2026-05-20",
            "csrf_token": token,
        },
    )

    assert page.status_code == 422
    form = page.text.split('data-testid="heard-form"')[1].split("</form>")[0]
    assert 'role="alert"' in form
    assert "Not recorded: Invalid input: body.who, body.needs.1" in form
    assert field_error(form, "who") == "must not be blank"
    assert field_error(form, "needs") == "contains a control character"
    assert 'aria-invalid="true" aria-describedby="f-who-error"' in form
    assert 'value="landowners"' in form  # what was typed is kept
    assert "Titles respected\nRoads</textarea>" in form
    assert 'value="3" selected' in form
    assert "<details open>" in page.text.split('id="record-heard"')[1]


async def test_a_new_analysis_version_sends_the_filled_rows_and_names_a_refused_one_by_its_row(
    console: Console,
) -> None:
    console.sign_in()
    engagement_on(console)
    path = f"{ENGAGEMENT}/analyses"
    refused = refusal("Invalid input: body.actors.0.side", ("body.actors.0.side", "too long"))
    console.platform.on("engagements", "POST", path, (422, refused))
    token = await console.form_token(ENGAGEMENT)
    form = {
        "analysed_on": "2026-05-02",
        "participants": "María Pérez\nJorge Díaz",
        "actors.0.name": "",
        "actors.0.side": "",
        "actors.0.track": "",
        "actors.0.role": "party",
        "actors.1.name": "Asociación de Campesinos",
        "actors.1.side": "land claimants" * 30,
        "actors.1.track": "4",
        "actors.1.role": "party",
        "causes": "Unresolved land titles",
        "dividers": "",
        "connectors": "Shared market town",
        "csrf_token": token,
    }

    page = await console.http.post(path, data=form)

    (sent,) = console.platform.sent("POST", path)
    assert sent["actors"] == [
        {
            "name": "Asociación de Campesinos",
            "side": "land claimants" * 30,
            "track": 4,
            "role": "party",
        }
    ]
    assert sent["participants"] == ["María Pérez", "Jorge Díaz"]
    assert (sent["causes"], sent["dividers"]) == (["Unresolved land titles"], [])
    assert page.status_code == 422
    assert field_error(page.text, "actors.1.side") == "too long"
    assert field_error(page.text, "actors.0.side") == ""
    assert 'value="Asociación de Campesinos"' in page.text


async def test_an_analysis_version_recorded_goes_back_to_the_analyses(console: Console) -> None:
    console.sign_in()
    engagement_on(console)
    path = f"{ENGAGEMENT}/analyses"
    console.platform.on("engagements", "POST", path, (201, {"version": 2}))
    token = await console.form_token(ENGAGEMENT)

    answer = await console.http.post(
        path,
        data={
            "analysed_on": "2026-05-02",
            "participants": "María Pérez",
            "actors.0.name": "Campesinos",
            "actors.0.side": "land claimants",
            "actors.0.track": "4",
            "actors.0.role": "party",
            "csrf_token": token,
        },
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == f"{ENGAGEMENT}#analyses"
    assert "Conflict analysis version 2 recorded." in (await console.http.get(ENGAGEMENT)).text


def evaluation_offered(console: Console) -> None:
    digest = {"engagement_id": "eng-1", "name": "Montes de María", "country": "CO"}
    console.platform.on("evaluation", "GET", "/engagements", (200, [{**digest, "owner_org": "a"}]))
    console.platform.on("evaluation", "GET", "/reference/standard_procedure", (200, PROCEDURES))


def evaluation_form(token: str) -> dict[str, str]:
    form = {
        "engagement_id": "eng-1",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "evaluated_by": "external team",
        "indicators.trust.value": "0.6",
        "indicators.trust.note": "",
        "rpp_effectiveness.resist_violence.met": "yes",
        "rpp_effectiveness.resist_violence.note": "No clashes at the market.",
        "rpp_effectiveness.grievances_addressed.met": "",
        "baseline_analysis_version": "",
        "csrf_token": token,
    }
    for c in DAC:
        form |= {f"dac.{c}.score": "3", f"dac.{c}.narrative": f"{c} narrative"}
    for p in PROCEDURES:
        form |= {f"procedures.{p['code']}.rating": "met", f"procedures.{p['code']}.evidence": "ok"}
    return form


async def test_the_evaluation_form_offers_six_criteria_and_twelve_procedures(
    console: Console,
) -> None:
    console.sign_in()
    evaluation_offered(console)

    page = await console.http.get("/evaluations/new?engagement_id=eng-1")

    assert page.status_code == 200
    assert page.text.count("data-criterion=") == 6
    assert page.text.count("data-procedure=") == 12
    assert '<option value="eng-1" selected>Montes de María (CO, a)</option>' in page.text
    assert '<label for="f-dac-impact-score" class="visually-hidden">Impact: score</label>' in (
        page.text
    )


async def test_an_evaluation_is_sent_whole_and_its_page_shown(console: Console) -> None:
    console.sign_in()
    evaluation_offered(console)
    console.platform.on("evaluation", "POST", "/evaluations", (201, {"id": "ev-9"}))
    token = await console.form_token("/evaluations/new")

    answer = await console.http.post("/evaluations", data=evaluation_form(token))

    assert answer.status_code == 303
    assert answer.headers["location"] == "/evaluations/ev-9"
    (sent,) = console.platform.sent("POST", "/evaluations")
    assert sent["dac"]["impact"] == {"score": 3, "narrative": "impact narrative"}
    assert sent["procedures"]["p12"] == {"rating": "met", "evidence": "ok"}
    assert len(sent["procedures"]) == 12
    assert sent["indicators"] == {"trust": {"value": 0.6}}
    assert sent["rpp_effectiveness"] == {
        "resist_violence": {"met": True, "note": "No clashes at the market."}
    }
    assert "baseline_analysis_version" not in sent


async def test_a_refused_evaluation_is_shown_field_by_field_with_the_input_kept(
    console: Console,
) -> None:
    console.sign_in()
    evaluation_offered(console)
    refused = refusal(
        "the period cannot end before it starts",
        ("body.dac.impact.narrative", "must not be blank"),
        ("period_end", "the period cannot end before it starts"),  # a rule of the domain
    )
    console.platform.on("evaluation", "POST", "/evaluations", (422, refused))
    token = await console.form_token("/evaluations/new")
    form = evaluation_form(token) | {"dac.impact.narrative": "", "period_end": "2025-01-01"}

    page = await console.http.post("/evaluations", data=form)

    assert page.status_code == 422
    assert field_error(page.text, "dac.impact.narrative") == "must not be blank"
    assert field_error(page.text, "period_end") == "the period cannot end before it starts"
    assert 'id="f-period_end" name="period_end" value="2025-01-01"' in page.text
    assert ">relevance narrative</textarea>" in page.text
    assert '<a href="#f-dac-impact-narrative">dac.impact.narrative</a>' in page.text


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (f"{ENGAGEMENT}/listening", "engagements"),
        (f"{ENGAGEMENT}/analyses", "engagements"),
        ("/evaluations", "evaluation"),
    ],
)
async def test_a_form_without_the_session_s_token_reaches_no_service(
    console: Console, path: str, service: str
) -> None:
    console.sign_in()
    engagement_on(console)
    await console.form_token(ENGAGEMENT)
    console.platform.on(service, "POST", path, (201, {"id": "x", "version": 1}))
    console.platform.requests.clear()

    forged = await console.http.post(path, data={"who": "x", "csrf_token": "not-the-session-s"})
    missing = await console.http.post(path, data={"who": "x"})

    assert (forged.status_code, missing.status_code) == (403, 403)
    assert console.platform.requests == []


async def test_the_engagement_page_offers_the_latest_analysis_to_start_the_next_from(
    console: Console,
) -> None:
    console.sign_in()
    engagement_on(console)
    latest = {
        "version": 1,
        "analysed_on": "2026-03-01",
        "participants": ["María Pérez"],
        "actors": [{"name": "Campesinos", "side": "land claimants", "track": 4, "role": "party"}],
        "sides": ["land claimants"],
        "causes": ["Land titles"],
        "dividers": [],
        "connectors": [],
    }
    parts = samples.overview(analyses=[latest])
    console.platform.on("engagements", "GET", f"{ENGAGEMENT}/overview", (200, parts))

    page = await console.http.get(ENGAGEMENT)

    form = page.text.split('data-testid="analysis-form"')[1].split("</form>")[0]
    assert 'name="actors.0.side" value="land claimants"' in form
    assert 'name="actors.3.name" value=""' in form  # three blank rows after the latest's one
    assert 'name="actors.4.name"' not in form
    assert ">Land titles</textarea>" in form
    assert "Record version 2" in form
    assert samples.engagement()["id"] in page.text
