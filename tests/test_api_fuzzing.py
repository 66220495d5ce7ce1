"""Schemathesis against the four services as real processes, on PostgreSQL and a real broker.

Every check, the examples, coverage, fuzzing and stateful phases, a fixed seed and a bounded
number of cases per operation (``fuzzing/schemathesis.toml``, where every departure from
schemathesis's defaults is named with its reason). ``make test`` generates ``SHORT_EXAMPLES``
cases per operation; ``MULTITRACK_FUZZ_EXAMPLES`` asks for another count (the toml's 10, or
more, for a longer run). Each operation is called with a token of the
role that may perform it (``fuzzing/hooks.py``); ``ignored_auth`` checks that an operation
taking a caller refuses a call without one. Zero failures: a failure is a finding to
fix in the services.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx
import pytest

from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

FUZZING = Path(__file__).parent / "fuzzing"
SHORT_EXAMPLES = 3
"""Generated cases per operation in ``make test``: every check still meets every operation in
every phase, in a fraction of the time the toml's count takes."""


def max_examples() -> int:
    """``MULTITRACK_FUZZ_EXAMPLES`` when set (e.g. 10, as the toml, for a fuller run)."""
    return int(os.environ.get("MULTITRACK_FUZZ_EXAMPLES") or SHORT_EXAMPLES)


A_PARTNER = {
    "name": "Red de Mujeres del Caribe",
    "kind": "women's organization",
    "tracks": [4],
    "countries": ["CO"],
    "is_local": True,
    "women_led": True,
    "womens_rights_org": True,
}


async def known_records(platform: Platform, tokens: TokenSource) -> dict[str, str]:
    """Records no service's own API can make, for the fuzzer to reach beyond 404: an engagement
    (opened by an accepted invitation, and known to partners and evaluation from its event) and
    a partner to form partnerships with, both org-a's. Named as schemathesis.toml reads them."""
    url = platform.url
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
        created = await http.post(f"{url('invitations')}/invitations", json=invitation_body())
        invitation = f"{url('invitations')}/invitations/{created.json()['id']}"
        assert (await http.put(f"{invitation}/assessment", json=assessment_body())).is_success
        assert (await http.post(f"{invitation}/decision", json=acceptance_body())).is_success
        partner = (await http.post(f"{url('partners')}/partners", json=A_PARTNER)).json()["id"]

        async def engagement() -> str | None:
            found = (await http.get(f"{url('engagements')}/engagements")).json()
            return str(found[0]["id"]) if found else None

        engagement_id = await eventually(engagement, what="an engagement opened")
        for known_to in (
            f"{url('partners')}/engagements/{engagement_id}/inclusion",
            f"{url('evaluation')}/engagements/{engagement_id}/digest",
        ):

            async def known(where: str = known_to) -> bool:
                return (await http.get(where)).is_success

            await eventually(known, what=f"the engagement known at {known_to}")
    return {"FUZZ_ENGAGEMENT_ID": engagement_id, "FUZZ_PARTNER_ID": partner}


async def fuzz(service: str, url: str, env: dict[str, str]) -> tuple[int, str]:
    """Run schemathesis against one service: its exit status and its report."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(FUZZING / "schemathesis.toml"),
        "run",
        f"{url}/openapi.json",
        "--max-examples",
        str(max_examples()),
        "--no-color",
        env={**os.environ, **env, "SCHEMATHESIS_HOOKS": str(FUZZING / "hooks.py")},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    report, _ = await process.communicate()
    return process.returncode or 0, f"== {service}\n{report.decode(errors='replace')}"


@pytest.mark.broker
@pytest.mark.postgres
async def test_every_service_passes_every_schemathesis_check(
    start_platform: StartPlatform, tokens: TokenSource, consortium: Consortium, tmp_path: Path
) -> None:
    platform = await start_platform()
    records = await known_records(platform, tokens)
    # The callers of hooks.py: the demo consortium's clients.
    credentials = tmp_path / "credentials.json"
    consortium.write(credentials)
    env = {**records, "FUZZ_CREDENTIALS": str(credentials)}

    results = await asyncio.gather(
        *(fuzz(name, service.url, env) for name, service in platform.services.items())
    )

    failed = [report for status, report in results if status != 0]
    assert not failed, "\n\n".join(failed)
