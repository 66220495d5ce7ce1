"""One partner's page: its profile and the engagements it takes a role in."""

from __future__ import annotations

from . import samples
from .conftest import Console


async def test_a_partner_s_page_shows_its_profile_and_its_engagements(console: Console) -> None:
    console.sign_in()
    p = console.platform
    p.on("partners", "GET", "/partners/par-1", (200, samples.PARTNER))
    p.on("partners", "GET", "/partnerships", (200, [samples.PARTNERSHIP]))
    other = {**samples.engagement("eng-0"), "conflict": {**samples.CONFLICT, "name": "Other"}}
    listed = [other, samples.engagement("eng-1")]
    p.on("engagements", "GET", "/engagements", (200, listed))

    page = await console.http.get("/partners/par-1")

    assert page.status_code == 200
    assert "<h1>Women of Montes de María</h1>" in page.text
    assert '<dd data-testid="tracks">4, 6</dd>' in page.text
    assert '<dd data-testid="women-led">yes</dd>' in page.text
    row = page.text.split('data-testid="partnership"')[1].split("</tr>")[0]
    assert '<a href="/engagements/eng-1">Montes de María land conflict</a>' in row
    assert "co facilitator" in row
    assert "Other" not in page.text
    (asked,) = [r for r in p.requests if r.url.path == "/partnerships"]
    assert asked.url.params["partner_id"] == "par-1"


async def test_a_partner_the_person_may_not_see_is_the_console_s_404_page(
    console: Console,
) -> None:
    console.sign_in()
    console.platform.on("partners", "GET", "/partnerships", (200, []))
    console.platform.on("engagements", "GET", "/engagements", (200, []))

    page = await console.http.get("/partners/someone-else-s")

    assert page.status_code == 404
    assert "No such partner" in page.text
