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
    p.on("engagements", "GET", base, (200, samples.engagement()))
    p.on("engagements", "GET", f"{base}/coverage", (200, samples.coverage({3: 1, 4: 1})))
    p.on("engagements", "GET", f"{base}/activities", (200, [samples.ACTIVITY]))
    p.on("engagements", "GET", f"{base}/listening", (200, samples.LISTENING))
    p.on("engagements", "GET", f"{base}/analyses", (200, []))
    p.on("engagements", "GET", f"{base}/lessons", (200, samples.INBOX))
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
