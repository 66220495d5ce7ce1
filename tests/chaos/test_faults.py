"""Each fault scenario against a platform of its own: after the drain, nothing accepted is
lost, nothing is applied twice, nothing exists for a refused write, every invitation's events
keep their order, and no answer is a 500."""

from __future__ import annotations

from pathlib import Path

import pytest

from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import TokenSource

from .conftest import LINES
from .harness import FULL, Ground, Scenario, chosen_scale, run_scenario
from .infrastructure import OwnBroker, OwnPostgres
from .scenarios import SCENARIOS

pytestmark = pytest.mark.timeout(1200)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
async def test_scenario_keeps_every_promise(
    scenario: Scenario,
    chaos_broker: OwnBroker,
    chaos_postgres: OwnPostgres,
    keycloak: IdentityProvider,
    tokens: TokenSource,
    topic_namespace: str,
    tmp_path: Path,
) -> None:
    ground = Ground(
        broker=chaos_broker,
        postgres=chaos_postgres,
        auth=tokens.auth("org-a", "coordinator"),
        admin=tokens.auth(None, "consortium-admin"),
        evaluator=tokens.auth("org-a", "evaluator"),
        issuer=keycloak.issuer.url,
        namespace=topic_namespace,
        log_dir=tmp_path,
    )
    findings, recovery, broken = await run_scenario(scenario, ground)
    line = findings.line(scenario.name, recovery)
    LINES.append(line)
    print(line)
    assert findings.clean, "\n".join([line, *findings.detail[:20]])
    assert broken == [], broken
    assert findings.accepted > 0
    if scenario.sends_twice or (scenario.redelivers and chosen_scale() is FULL):
        assert findings.duplicates_delivered > 0, line
