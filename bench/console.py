"""``python -m bench.console``: each console page's server time, with the demo data and with
100 engagements (issue 13: every page under 200 ms).

Starts a broker of its own, the four services on PostgreSQL and the identity provider (as
``make bench`` does), plays ``make demo``'s story through their APIs, then measures every page
of a console app in this process, signed in as org-a's coordinator with a real token: each
page's ``Server-Timing`` (the console's whole answer, its calls to the services included), once
with the demo's data, then again once the platform holds 100 engagements (each with a partner)
and has applied every event of them.
Prints a table; writes ``console.json`` beside ``make bench``'s results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from multitrack_console.bootstrap import ConsoleParts, ConsoleSettings
from multitrack_console.entrypoints.web.sessions import COOKIE
from multitrack_console.main import create_app
from multitrack_shared.heap import freeze_startup_heap
from multitrack_shared.logging import configure_logging
from multitrack_shared.testing.paths import repo_root
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import SERVICES, Platform
from multitrack_shared.testing.quiet import quiet
from multitrack_shared.testing.samples import partner_body

from .figures import Figure, Results, Target, median_of, percentile
from .ground import Ground, provide_ground
from .report import table
from .workload import Api, at_most, checked

RESULTS = Path(__file__).parent / "results"
ENGAGEMENTS = 100
TARGET_MS = 200.0
WARMUP = 3
TIMED = 20
FILL_REGION = "Bench console region"
TIMING_PREFIX = "app;dur="
LIST_LIMIT = 200


async def run(engagements: int, timed: int, credentials: Path | None = None) -> Results:
    results = Results(f"console, {engagements} engagements")
    async with provide_ground(closed_broker=False, credentials=credentials) as ground:
        results.broker = ground.broker_kind
        platform = await ground.start_services(namespace=ground.namespace())
        try:
            await asyncio.to_thread(play_demo, ground, platform)
            async with signed_in_console(ground, platform) as console:
                await console.sign_in()
                paths = await pages(console)
                await measure_pages(console, "demo", paths, timed, results)
                await fill(ground, platform, engagements)
                await quiet(platform)  # the fill's events applied everywhere before timing
                # The same records again, but the partner in the most engagements (the fill's).
                paths["partner"] = await busiest_partner(console) or paths["partner"]
                await measure_pages(console, f"{engagements}_engagements", paths, timed, results)
                await engagement_calls(console, paths["engagement"], timed)
        finally:
            await asyncio.to_thread(platform.stop)
    return results


def play_demo(ground: Ground, platform: Platform) -> None:
    """``make demo``'s story, as its own command plays it, against these services."""
    credentials = ground.work_dir / "credentials.json"
    ground.tokens.consortium.write(credentials)
    urls = [arg for name in SERVICES for arg in (f"--{name}", platform.url(name))]
    played = subprocess.run(
        [sys.executable, str(repo_root() / "deploy" / "demo" / "demo.py"), *urls,
         "--credentials", str(credentials)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if played.returncode != 0:
        raise RuntimeError(f"the demo story broke:\n{played.stdout[-2000:]}{played.stderr}")


class SignedInConsole:
    """The console app in this process, its session seeded with a person's real token."""

    def __init__(self, ground: Ground, parts: ConsoleParts, http: httpx.AsyncClient) -> None:
        self.ground, self.parts, self.http = ground, parts, http

    async def sign_in(self) -> None:
        """A fresh session with a fresh token: one expiring mid-run would be refused."""
        token = await self.ground.tokens.for_person("org-a", "coordinator")
        person = self.ground.tokens.consortium.user("org-a", "coordinator")
        session = self.parts.state.sessions.seed(
            {
                "person": {
                    "subject": person.username,
                    "username": person.username,
                    "organization": "org-a",
                    "roles": ["coordinator"],
                },
                "tokens": {"access_token": token, "expires_at": time.time() + 3600},
            }
        )
        self.http.cookies.set(COOKIE, session)

    async def server_ms(self, path: str) -> float:
        answer = await self.http.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"GET {path}: {answer.status_code} {answer.text[:300]}")
        timing = answer.headers["server-timing"]
        return float(timing.removeprefix(TIMING_PREFIX))

    async def api(self, service: str, path: str) -> Any:
        """What the services show this person (to find records to open)."""
        token = await self.ground.tokens.for_person("org-a", "coordinator")
        url = self.parts.settings.service_urls[service]
        answer = await self.parts.http.get(
            f"{url}{path}", headers={"Authorization": f"Bearer {token}"}
        )
        return checked(answer, 200).json()


@asynccontextmanager
async def signed_in_console(ground: Ground, platform: Platform) -> AsyncIterator[SignedInConsole]:
    settings = ConsoleSettings(
        oidc_issuer=ground.identity.issuer.url,
        invitations_url=platform.url("invitations"),
        engagements_url=platform.url("engagements"),
        partners_url=platform.url("partners"),
        evaluation_url=platform.url("evaluation"),
    )
    parts = ConsoleParts(settings)
    app = create_app(parts=parts)
    # What the console's lifespan does in a process of its own; ASGITransport runs no lifespan,
    # and this process's heap (the ground, the workload) would otherwise pause its answers.
    freeze_startup_heap()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1:8080", timeout=30
        ) as http:
            yield SignedInConsole(ground, parts, http)
    finally:
        await parts.close()


async def pages(console: SignedInConsole) -> dict[str, str]:
    """Every page of the console, each record page opened on the first record listed."""
    invitations, engagements, partners, evaluations = await asyncio.gather(
        console.api("invitations", "/invitations?limit=1"),
        console.api("engagements", "/engagements?limit=1"),
        console.api("partners", "/partners?limit=1"),
        console.api("evaluation", "/evaluations?limit=1"),
    )
    found = {
        "invitations": "/invitations",
        "engagements": "/engagements",
        "partners": "/partners",
        "evaluations": "/evaluations",
        "evaluation_form": "/evaluations/new",
        "lessons": "/lessons",
        "feed": "/feed",
    }
    for name, listed, path in (
        ("invitation", invitations, "/invitations"),
        ("engagement", engagements, "/engagements"),
        ("partner", partners, "/partners"),
        ("evaluation", evaluations, "/evaluations"),
    ):
        if listed:
            found[name] = f"{path}/{listed[0]['id']}"
    return found


async def busiest_partner(console: SignedInConsole) -> str | None:
    partnerships = await console.api("partners", f"/partnerships?limit={LIST_LIMIT}")
    counted = Counter(str(p["partner_id"]) for p in partnerships)
    return f"/partners/{counted.most_common(1)[0][0]}" if counted else None


async def measure_pages(
    console: SignedInConsole, phase: str, paths: dict[str, str], timed: int, results: Results
) -> None:
    await console.sign_in()
    for name, path in paths.items():
        for _ in range(WARMUP):
            await console.server_ms(path)
        samples = [await console.server_ms(path) for _ in range(timed)]
        slowest = max(range(len(samples)), key=samples.__getitem__)
        print(
            f"{phase:>18} {path:<60} p50 {median_of(samples):7.1f} ms,"
            f" slowest {samples[slowest]:7.1f} ms (request {slowest + 1} of {len(samples)})",
            file=sys.stderr,
        )
        prefix = f"P.f.console_{name}_{phase}"
        results.add(
            Figure(
                f"{prefix}_p50",
                median_of(samples),
                "ms",
                target=Target(TARGET_MS, at_least=False),
                samples=tuple(samples),
            )
        )
        results.add(Figure(f"{prefix}_p95", percentile(samples, 95), "ms"))


ENGAGEMENT_CALLS = (
    ("engagements", "/overview"),
    ("partners", "/inclusion"),
)
"""The engagement page's two calls, side by side: everything the engagements service holds for
it in one read, and the partners service's inclusion figures."""


async def engagement_calls(console: SignedInConsole, page: str, timed: int) -> None:
    """What the slowest page waits for: each call it makes side by side, timed alone."""
    for service, suffix in ENGAGEMENT_CALLS:
        samples = []
        for _ in range(timed):
            started = time.perf_counter()
            await console.api(service, f"{page}{suffix}")
            samples.append((time.perf_counter() - started) * 1000)
        print(f"  {service} GET {page}{suffix}: p50 {median_of(samples):.1f} ms", file=sys.stderr)


async def fill(ground: Ground, platform: Platform, engagements: int) -> None:
    """Engagements until org-a's coordinator sees ``engagements``, each with a partner."""
    async with Api.of_org_a(platform, ground.tokens) as api:
        coord = api.coordinator
        listed = checked(
            await coord.get(f"{api.engagements}/engagements", params={"limit": 200}), 200
        ).json()
        missing = max(0, engagements - len(listed))
        print(f"opening {missing} more engagements", file=sys.stderr)
        invitations = await api.assessed_invitations(missing, FILL_REGION)
        await at_most(8, [partial(api.accept, i) for i in invitations])
        opened = await api.all_readable(invitations)
        partners = platform.url("partners")
        partner = checked(
            await coord.post(f"{partners}/partners", json=partner_body(name="Bench partner")), 201
        ).json()["id"]
        await at_most(8, [partial(partnered, coord, partners, partner, e) for e in opened])


async def partnered(http: httpx.AsyncClient, partners: str, partner: str, engagement: str) -> None:
    """A partnership, once the partners service has heard of the engagement."""
    body = {
        "partner_id": partner,
        "engagement_id": engagement,
        "role": "co_facilitator",
        "starts_on": time.strftime("%Y-%m-%d", time.gmtime()),
    }

    async def formed() -> bool:
        answer = await http.post(f"{partners}/partnerships", json=body)
        if answer.status_code in (404, 409, 422) and "engagement" in answer.text:
            return False  # the engagement's event has not reached the partners service yet
        checked(answer, 201)
        return True

    await eventually(formed, within=120, what=f"a partnership on {engagement}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console", description=__doc__)
    parser.add_argument("--engagements", type=int, default=ENGAGEMENTS)
    parser.add_argument("--timed", type=int, default=TIMED, help="timed requests per page")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where console.json goes")
    parser.add_argument(
        "--credentials",
        type=Path,
        help="the demo consortium's credentials file: its people keep their passwords",
    )
    args = parser.parse_args(argv)
    configure_logging("bench", level="WARNING", as_json=False)
    results = asyncio.run(run(args.engagements, args.timed, args.credentials))
    document = results.as_json()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "console.json").write_text(json.dumps(document, indent=2) + "\n")
    print(table(document))
    missed = [f.name for f in results.figures.values() if f.met is False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
