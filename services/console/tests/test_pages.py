"""Each page, with the four services faked at the HTTP boundary."""

from __future__ import annotations

from . import samples
from .conftest import Console


async def test_an_anonymous_visitor_is_sent_to_sign_in(console: Console) -> None:
    answer = await console.http.get("/engagements/eng-1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?then=%2Fengagements%2Feng-1"


async def test_the_engagement_page_draws_the_compass_with_its_gaps(console: Console) -> None:
    console.sign_in()
    p = console.platform
    base = "/engagements/eng-1"
    parts = samples.overview(coverage=samples.coverage({3: 1, 4: 1}), activities=[samples.ACTIVITY])
    p.on("engagements", "GET", f"{base}/overview", (200, parts))
    p.on("partners", "GET", f"{base}/inclusion", (200, samples.INCLUSION))

    page = await console.http.get(base)

    assert page.status_code == 200, page.text
    assert 'data-track="4" data-weight="3" data-gap="false"' in page.text
    assert 'data-track="3" data-weight="1" data-gap="false"' in page.text
    assert 'data-track="1" data-weight="0" data-gap="true"' in page.text
    assert 'data-gaps="7"' in page.text
    assert 'data-kind="social" data-activities="1"' in page.text
    assert "imbalanced" in page.text
    assert "1 awaiting · 0 applied" in page.text
    assert all(r.headers["Authorization"] == "Bearer token-of-pat" for r in p.requests)
    # one read of each service the page needs, side by side
    assert sorted((r.url.host, r.url.path) for r in p.requests) == [
        ("engagements.test", f"{base}/overview"),
        ("partners.test", f"{base}/inclusion"),
    ]


async def test_the_pipeline_groups_invitations_by_state(console: Console) -> None:
    console.sign_in()
    found = [
        samples.invitation_in_brief("received", "inv-r"),
        samples.invitation_in_brief("accepted", "inv-a"),
        samples.invitation_in_brief("accepted", "inv-b"),
    ]
    console.platform.on("invitations", "GET", "/invitations/summaries", (200, found))

    page = await console.http.get("/invitations")

    assert page.status_code == 200
    accepted = page.text.split('id="stage-accepted"')[1].split("</section>")[0]
    assert "(2)" in accepted
    assert "/invitations/inv-a" in accepted
    assert "/invitations/inv-r" not in accepted


async def test_a_record_the_service_hides_is_a_404_page(console: Console) -> None:
    console.sign_in()
    console.platform.on("invitations", "GET", "/assessment-criteria", (200, samples.CRITERIA))

    page = await console.http.get("/invitations/someone-else-s")

    assert page.status_code == 404
    assert "No such invitation" in page.text


async def test_an_evaluation_charts_six_criteria_and_twelve_procedures(console: Console) -> None:
    console.sign_in()
    procedures = [{"code": f"p{n}", "label": f"Procedure {n}", "position": n} for n in range(1, 13)]
    evaluation = {
        "id": "ev-1",
        "engagement_id": "eng-1",
        "owner_org": "org-a",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "completed_at": "2027-01-15T00:00:00Z",
        "dac": {
            c: {"score": 3, "narrative": None}
            for c in (
                "relevance",
                "coherence",
                "effectiveness",
                "efficiency",
                "impact",
                "sustainability",
            )
        },
        "procedures": {
            "p1": {"rating": "met", "evidence": None},
            "p2": {"rating": "partly", "evidence": None},
        },
    }
    p = console.platform
    p.on("evaluation", "GET", "/evaluations/ev-1", (200, evaluation))
    p.on("evaluation", "GET", "/reference/standard_procedure", (200, procedures))

    page = await console.http.get("/evaluations/ev-1")

    assert page.status_code == 200
    assert page.text.count('data-testid="bar"') == 6 + 12
    assert 'aria-label="Relevance: 3 of 4"' in page.text
    assert 'aria-label="Procedure 1: 2 of 2"' in page.text
    assert 'aria-label="Procedure 2: 1 of 2"' in page.text
    assert 'aria-label="Procedure 3: 0 of 2"' in page.text


async def test_the_lessons_library_counts_responses_and_engagements_reached(
    console: Console,
) -> None:
    console.sign_in()
    lesson = {
        "id": "les-1",
        "owner_org": "org-a",
        "statement": "Hear every side first.",
        "confidence": "high",
        "active": True,
        "context": {"countries": ["CO"], "tracks": [4]},
        "responses": {
            "applied": 2,
            "adapted": 1,
            "rejected": 0,
            "items": [
                {"engagement_id": "eng-1", "response": "applied", "at": "2026-03-01"},
                {"engagement_id": "eng-2", "response": "applied", "at": "2026-03-02"},
                {"engagement_id": "eng-2", "response": "adapted", "at": "2026-04-02"},
            ],
        },
    }
    console.platform.on("evaluation", "GET", "/lessons", (200, [lesson]))
    console.platform.on("evaluation", "GET", "/lessons/les-1", (200, lesson))

    page = await console.http.get("/lessons")

    row = page.text.split('data-lesson="les-1"')[1].split("</tr>")[0]
    assert '<td data-testid="reached">2</td>' in row
    assert '<td data-testid="applied">2</td>' in row
    assert '<td data-testid="adapted">1</td>' in row


async def test_the_partners_registry_lists_each_partner_s_engagements(console: Console) -> None:
    console.sign_in()
    console.platform.on("partners", "GET", "/partners", (200, [samples.PARTNER]))
    console.platform.on("partners", "GET", "/partnerships", (200, [samples.PARTNERSHIP]))

    page = await console.http.get("/partners")

    assert '<a href="/partners/par-1">Women of Montes de María</a>' in page.text
    assert '<a href="/engagements/eng-1">co facilitator</a>' in page.text
    assert "women-led" in page.text


async def test_server_time_of_the_engagements_list_with_a_hundred_engagements(
    console: Console,
) -> None:
    """Figures to read (``-s``), not a timed assertion: the services are faked here."""
    console.sign_in()
    many = [samples.engagement(f"eng-{n}") for n in range(100)]
    console.platform.on("engagements", "GET", "/engagements", (200, many))

    await console.http.get("/engagements")  # the first request compiles the templates
    page = await console.http.get("/engagements")

    assert page.text.count('data-testid="engagement"') == 100
    print(f"engagements list, 100 engagements: {page.headers['server-timing']}")
