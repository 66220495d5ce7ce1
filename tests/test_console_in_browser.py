"""The console in a real headless Chromium (Debian's ``chromium``, driven by Playwright) in front
of the four services as real processes, signing people in on the identity provider's own page.

Screenshots of every page go to ``var/test-artifacts/console/`` (one PNG per page), and axe-core
(``tests/browser/axe-core``) is injected into each: no serious or critical violation. The
server time of each page (its ``Server-Timing`` header) is printed, as figures to read, not as
an assertion: run with ``-s`` to see them.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from multitrack_shared.messaging.access import PARTNER
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.consortium import (
    CONSOLE_CLIENT_ID,
    UserCredentials,
    add_person,
)
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import ServiceProcess, console_process
from multitrack_shared.testing.samples import assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

CHROMIUM = "/usr/bin/chromium"
AXE = repo_root() / "tests" / "browser" / "axe-core" / "axe.min.js"
ARTIFACTS = repo_root() / "var" / "test-artifacts" / "console"
BLOCKING_IMPACTS = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(" "))}));
}"""


@pytest.fixture
async def console(
    start_platform: StartPlatform,
    keycloak: IdentityProvider,
    kafka_broker: Broker,
    topic_namespace: str,
    tmp_path: Path,
) -> AsyncIterator[ServiceProcess]:
    """The console in front of the platform, its live feed read as partner systems read it."""
    platform = await start_platform()
    # A public client of this console's own, set up as the demo's: test sessions sharing the
    # identity provider provision the demo's console client again, each for its own address.
    client_id = f"{CONSOLE_CLIENT_ID}-{uuid.uuid4().hex[:8]}"
    settings = {
        **kafka_broker.environment(PARTNER),
        "MULTITRACK_TOPIC_NAMESPACE": topic_namespace,
        "MULTITRACK_CONSOLE_CLIENT_ID": client_id,
    }
    server = console_process(
        platform, oidc_issuer=keycloak.issuer.url, log_dir=tmp_path, extra_env=settings
    )
    with keycloak.admin() as admin:
        admin.ensure_public_client(client_id, server.url, direct_access_grants=False)
    server.start()
    try:
        await asyncio.to_thread(server.wait_live)
        server.env["PLATFORM_INVITATIONS"] = platform.url("invitations")
        server.env["PLATFORM_EVALUATION"] = platform.url("evaluation")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def people(keycloak: IdentityProvider) -> dict[str, UserCredentials]:
    """A coordinator person of each organization, of this test's own: the demo people's
    passwords are provisioned anew by every test session sharing the identity provider."""
    run = uuid.uuid4().hex[:8]
    with keycloak.admin() as admin:
        return {
            org: add_person(admin, f"console-{run}.{org}", org, "coordinator", "Console test")
            for org in ("org-a", "org-b")
        }


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        await launched.close()


async def test_a_coordinator_signs_in_accepts_an_invitation_and_steers_the_engagement(
    console: ServiceProcess,
    browser: Browser,
    tokens: TokenSource,
    people: dict[str, UserCredentials],
) -> None:
    invitations = console.env["PLATFORM_INVITATIONS"]
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
        invitation = await created(http, f"{invitations}/invitations", invitation_body())
        await expect_ok(
            http.put(f"{invitations}/invitations/{invitation}/assessment", json=assessment_body())
        )
        owner_only = await created(
            http, f"{invitations}/invitations", invitation_body(visibility="owner")
        )

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await signed_in(context, console, people["org-a"])
    feed = await context.new_page()  # open before the events it should show
    await feed.goto(f"{console.url}/feed")
    await check(page, console, "/invitations", "invitations")
    assert owner_only in await page.content()  # its own organization's owner-only record

    await check(page, console, f"/invitations/{invitation}", "invitation")
    await page.check("input[name=outcome][value=accept]")
    await page.fill("#f-rationale", "Invited by a party; every criterion met.")
    await page.click("text=Record the decision")
    await page.wait_for_selector("text=Invitation accepted.")

    engagement = await eventually(
        lambda: engagement_listed(page, console), within=60, what="the engagement in the list"
    )
    await check(page, console, "/engagements", "engagements")
    await check(page, console, engagement, "engagement")
    assert await weight(page, 3) == 0  # business: a gap before the activity
    await page.click("text=Record an activity")
    await page.fill("#f-place", "El Carmen de Bolívar")
    await page.check("input[name=tracks][value='3']")
    await page.fill("#f-do_no_harm-note", "Held at the shared market, away from guarded land.")
    await page.click("text=Record the activity")
    await page.wait_for_selector("text=Activity recorded.")
    assert await weight(page, 3) == 1
    assert await page.get_attribute("g.track[data-track='3']", "data-gap") == "false"
    await page.click("text=Record a party heard")
    await page.fill("#f-who", "Rosa Villa")
    await page.fill("#f-side", "returning families")
    await page.select_option("#f-track", "4")
    await page.fill("#f-needs", "Safe return to the farms")
    await page.fill("#f-heard_by", "field team")
    await page.click("text=Record the party heard")
    await page.wait_for_selector("text=Heard: returning families recorded.")
    assert "returning families" in await page.inner_text("#heard")

    lesson = await record_lesson(console, tokens)
    await eventually(
        lambda: shows(page, f"{console.url}{engagement}", "[data-testid=inbox-lesson]"),
        within=60,
        what="the lesson in the engagement's inbox",
    )
    await page.fill("[data-testid=inbox-lesson] input[name=why]", "Listening circles first.")
    await page.click("[data-testid=inbox-lesson] button[value=applied]")
    await page.wait_for_selector("text=Lesson applied.")
    assert "1 applied" in await page.inner_text("[data-testid=lesson-counts]")
    await eventually(
        lambda: shows(
            page, f"{console.url}/lessons", f"[data-lesson='{lesson}'] [data-testid=applied]", "1"
        ),
        within=60,
        what="the response counted on the lessons page",
    )
    for path, name in (
        ("/lessons", "lessons"),
        ("/partners", "partners"),
        ("/evaluations", "evaluations"),
        ("/feed", "feed"),
    ):
        await check(page, console, path, name)
    # The live feed showed the consortium-visible events as they happened.
    await feed.wait_for_selector("#feed-list li:has-text('multitrack.lesson.recorded')")
    await feed.screenshot(path=str(ARTIFACTS / "feed-live.png"), full_page=True)
    await context.close()

    # A person of another organization sees the consortium-visible invitation, not the other.
    other = await browser.new_context(viewport={"width": 820, "height": 1180})  # a tablet
    page = await signed_in(other, console, people["org-b"])
    await check(page, console, "/invitations", "invitations-org-b")
    assert invitation in await page.content()
    assert owner_only not in await page.content()
    hidden = await page.goto(f"{console.url}/invitations/{owner_only}")
    assert hidden is not None
    assert hidden.status == 404
    await other.close()


async def signed_in(
    context: BrowserContext, console: ServiceProcess, person: UserCredentials
) -> Page:
    """``person`` signed in on the identity provider's own page."""
    page = await context.new_page()
    await page.goto(f"{console.url}/")
    try:
        await page.wait_for_selector("#kc-login")  # Keycloak's sign-in form, not the console's
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "sign-in-failed.png"), full_page=True)
        raise
    assert not page.url.startswith(console.url)
    await page.fill("#username", person.username)
    if not await page.is_visible("#password"):  # organizations on: the username comes first
        await page.click("#kc-login")
        await page.wait_for_selector("#password")
    await page.fill("#password", person.password)
    await page.click("#kc-login")
    await page.wait_for_url(f"{console.url}/engagements")
    assert person.username in await page.inner_text("[data-testid=who]")
    return page


async def check(page: Page, console: ServiceProcess, path: str, name: str) -> None:
    """Open the page, keep its screenshot, print its server time, and run axe-core on it."""
    answer = await page.goto(f"{console.url}{path}")
    assert answer is not None
    assert answer.status == 200, await page.content()
    timing = answer.headers.get("server-timing", "")
    print(f"console page {name}: {timing}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    await page.add_script_tag(content=AXE.read_text())
    violations: list[dict[str, Any]] = await page.evaluate(RUN_AXE)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"{name}: {blocking}"


async def engagement_listed(page: Page, console: ServiceProcess) -> str | None:
    await page.goto(f"{console.url}/engagements")
    link = await page.query_selector("[data-testid=engagement] a")
    return await link.get_attribute("href") if link else None


async def shows(page: Page, url: str, selector: str, text: str | None = None) -> bool:
    await page.goto(url)
    found = await page.query_selector(selector)
    if found is None:
        return False
    return text is None or (await found.inner_text()).strip() == text


async def weight(page: Page, track: int) -> int:
    value = await page.get_attribute(f"g.track[data-track='{track}']", "data-weight")
    assert value is not None
    return int(value)


async def record_lesson(console: ServiceProcess, tokens: TokenSource) -> str:
    evaluation = console.env["PLATFORM_EVALUATION"]
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "evaluator")) as http:
        return await created(
            http,
            f"{evaluation}/lessons",
            {
                "statement": "Open land dialogues with listening circles before mixed sessions.",
                "evidence": "Attendance of returning women tripled.",
                "confidence": "medium",
                "visibility": "consortium",
                "context": {"regions": ["Caribbean region"], "conflict_types": ["land"]},
            },
        )


async def created(http: httpx.AsyncClient, url: str, body: dict[str, Any]) -> str:
    answer = await http.post(url, json=body)
    assert answer.status_code == 201, answer.text
    identifier: str = answer.json()["id"]
    assert re.fullmatch(r"[\w-]+", identifier)
    return identifier


async def expect_ok(call: Any) -> None:
    answer: httpx.Response = await call
    assert answer.is_success, answer.text
