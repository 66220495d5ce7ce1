"""`make demo`: a multi-year story played through the four HTTP APIs of a running platform.

It prints the story as it happens and exits non-zero as soon as the platform does not behave as
the story says. Run it against `make run` (default URLs and credentials file) or pass
--invitations etc. and --credentials.

Every call carries a bearer token of the actor who makes it in the story, a client of the demo
consortium from the credentials file (client-credentials grant): org-a's coordinator (the
default) and evaluator, org-b's coordinator, the consortium admin for membership. A new record's
owner is the caller's organization: the services take it from the token, never from a body.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.samples import CRITERIA
from multitrack_shared.times import latest_today


def today_anywhere() -> date:
    """The latest local day on Earth: the furthest a dated record may be from the platform's
    clock without being in the future."""
    return latest_today(datetime.now(UTC))


def days_after(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


class StoryBroke(Exception):
    """The platform did not behave as the story says."""


@dataclass
class Platform:
    invitations: str
    engagements: str
    partners: str
    evaluation: str


@dataclass(frozen=True)
class Actor:
    """Who acts in the story: a client of the demo consortium, by organization and role."""

    organization: str | None
    role: str


ORG_A_COORDINATOR = Actor("org-a", "coordinator")
ORG_A_EVALUATOR = Actor("org-a", "evaluator")
ORG_B_COORDINATOR = Actor("org-b", "coordinator")
CONSORTIUM_ADMIN = Actor(None, "consortium-admin")
MEMBERS = {
    "org-a": ("Alder Peace Network", ["lead", "implementer"]),
    "org-b": ("Birchwood Dialogue Forum", ["implementer"]),
}
METHODS = {
    "palabrero_circle": (
        "Palabrero circle",
        "indigenous",
        "Wayuu word-keepers' way of settling disputes by dialogue.",
    ),
    "problem_solving_workshop": (
        "Problem-solving workshop",
        "external",
        "Facilitated interactive conflict resolution between the sides.",
    ),
}
"""The consortium's catalogue of methods, as far as the story uses it: code, label, origin."""

IATI_IDENTITIES = {"org-a": ("CO-NIT-900123456", "22"), "org-b": ("GB-CHC-1122334", "21")}
"""Each member's IATI organisation identifier and type: its engagements report in IATI."""


class ClientToken(httpx.Auth):
    """A client's bearer token (client-credentials grant), fetched again shortly before it
    expires; shared by the threads a test may play the story in."""

    RENEW_BEFORE_SECONDS = 30

    def __init__(self, token_endpoint: str, client_id: str, client_secret: str) -> None:
        self._endpoint = token_endpoint
        self._credentials = (client_id, client_secret)
        self._lock = threading.Lock()
        self._token = ""
        self._renew_at = 0.0

    def sync_auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request

    def token(self) -> str:
        with self._lock:
            if time.monotonic() >= self._renew_at:
                granted = httpx.post(
                    self._endpoint,
                    data={"grant_type": "client_credentials"},
                    auth=self._credentials,
                    timeout=15,
                )
                if granted.status_code != 200:
                    raise StoryBroke(
                        f"no token for {self._credentials[0]}: {granted.status_code} "
                        f"{granted.text[:200]}"
                    )
                body = granted.json()
                self._token = str(body["access_token"])
                lifetime = float(body["expires_in"]) - self.RENEW_BEFORE_SECONDS
                self._renew_at = time.monotonic() + max(lifetime, 0)
            return self._token


class Actors:
    """The tokens of the story's actors, from the demo consortium's credentials."""

    def __init__(self, consortium: Consortium) -> None:
        self._consortium = consortium
        self._tokens: dict[Actor, ClientToken] = {}

    @classmethod
    def from_file(cls, path: Path) -> Actors:
        return cls(Consortium.read(path))

    def auth(self, actor: Actor) -> ClientToken:
        if actor not in self._tokens:
            client = self._consortium.client(actor.organization, actor.role)
            self._tokens[actor] = ClientToken(
                self._consortium.issuer.token_endpoint, client.client_id, client.client_secret
            )
        return self._tokens[actor]


class Story:
    def __init__(
        self,
        platform: Platform,
        actors: Actors,
        *,
        out: Callable[[str], None] = print,
        patience: float = 60,
    ) -> None:
        self.p = platform
        self.actors = actors
        # Whoever a call does not name acts as org-a's coordinator.
        self.http = httpx.Client(timeout=15, auth=actors.auth(ORG_A_COORDINATOR))
        self.out = out
        self.patience = patience

    # -- narration and checks ------------------------------------------------------------------
    def chapter(self, title: str) -> None:
        self.out(f"\n== {title}")

    def say(self, line: str) -> None:
        self.out(f"   {line}")

    def call(
        self,
        method: str,
        url: str,
        expect: int,
        body: Any = None,
        *,
        actor: Actor = ORG_A_COORDINATOR,
        **params: Any,
    ) -> Any:
        response = self.http.request(
            method, url, json=body, params=params or None, auth=self.actors.auth(actor)
        )
        if response.status_code != expect:
            raise StoryBroke(
                f"{method} {url} answered {response.status_code}, expected {expect}: {response.text[:500]}"
            )
        return response.json() if response.content else None

    def wait_for(self, what: str, probe: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self.patience
        while True:
            found = probe()
            if found:
                return found
            if time.monotonic() > deadline:
                raise StoryBroke(f"waited {self.patience:.0f}s for {what}")
            time.sleep(0.3)

    @staticmethod
    def expect(condition: bool, what: str) -> None:
        if not condition:
            raise StoryBroke(what)

    def create(
        self, service: str, path: str, body: dict[str, Any], *, actor: Actor = ORG_A_COORDINATOR
    ) -> Any:
        """POST a new record, owned by the actor's organization (the service takes the owner
        from the actor's token)."""
        assert actor.organization is not None, "records belong to a member organization"
        return self.call("POST", f"{service}{path}", 201, body, actor=actor)

    # -- steps reused by the story ---------------------------------------------------------------
    def invite(
        self,
        *,
        inviter: dict[str, Any],
        conflict: dict[str, Any],
        support: str,
        actor: Actor = ORG_A_COORDINATOR,
    ) -> str:
        body = {
            "inviter": inviter,
            "conflict": conflict,
            "support_requested": support,
            "channel": "letter",
            "other_parties_aware": True,
        }
        if "conflict_id" not in conflict:
            return str(self.create(self.p.invitations, "/invitations", body, actor=actor)["id"])

        def received() -> Any:
            # the invitations service learns the shared conflict from its event: until then
            # it answers unknown_conflict and keeps nothing
            answer = self.http.post(
                f"{self.p.invitations}/invitations", json=body, auth=self.actors.auth(actor)
            )
            if answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_conflict":
                return None
            if answer.status_code != 201:
                raise StoryBroke(f"an invitation naming a conflict answered {answer.text[:500]}")
            return answer.json()["id"]

        return str(self.wait_for("the shared conflict in the invitations service", received))

    def assess(
        self,
        invitation_id: str,
        unmet: dict[str, str] | None = None,
        *,
        actor: Actor = ORG_A_COORDINATOR,
    ) -> dict[str, Any]:
        unmet = unmet or {}
        verdicts = {
            c: {
                "verdict": "unmet" if c in unmet else "met",
                "note": unmet.get(c, "checked with the inviter"),
            }
            for c in CRITERIA
        }
        body = {"assessed_by": "assessment team", "verdicts": verdicts}
        url = f"{self.p.invitations}/invitations/{invitation_id}/assessment"
        return dict(self.call("PUT", url, 200, body, actor=actor))

    def accept(
        self, invitation_id: str, rationale: str, *, actor: Actor = ORG_A_COORDINATOR
    ) -> None:
        body = {"outcome": "accept", "rationale": rationale, "decided_by": "board"}
        url = f"{self.p.invitations}/invitations/{invitation_id}/decision"
        self.call("POST", url, 200, body, actor=actor)

    def ensure_members(self) -> None:
        """The consortium admin makes sure both member organizations are members."""
        url = f"{self.p.partners}/members"
        listed = {m["name"] for m in self.call("GET", url, 200, actor=CONSORTIUM_ADMIN)}
        for organization, (name, roles) in MEMBERS.items():
            if name not in listed:
                iati_org_id, iati_org_type = IATI_IDENTITIES[organization]
                body = {
                    "name": name,
                    "roles": roles,
                    "organization": organization,
                    "iati_org_id": iati_org_id,
                    "iati_org_type": iati_org_type,
                }
                self.call("POST", url, 201, body, actor=CONSORTIUM_ADMIN)

    def ensure_methods(self) -> None:
        """The consortium admin makes sure the catalogue holds the methods of the story."""
        url = f"{self.p.evaluation}/reference/method"
        listed = {m["code"] for m in self.call("GET", url, 200, actor=CONSORTIUM_ADMIN)}
        for code, (label, origin, description) in METHODS.items():
            if code not in listed:
                body = {"code": code, "label": label, "description": description, "origin": origin}
                self.call("POST", url, 201, body, actor=CONSORTIUM_ADMIN)

    def record_activity(self, engagement_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Record an activity once engagements has heard of the catalogue's methods and
        trainers it names (they travel as events: until then it answers 422 ``unknown_method``
        or ``unknown_trainer``)."""
        url = f"{self.p.engagements}/engagements/{engagement_id}/activities"

        def recorded() -> Any:
            response = self.http.post(url, json=body, auth=self.actors.auth(ORG_A_COORDINATOR))
            unknown = ("unknown_method", "unknown_trainer")
            if response.status_code == 422 and response.json()["error"]["code"] in unknown:
                return None
            if response.status_code != 201:
                raise StoryBroke(f"POST {url} answered {response.status_code}: {response.text}")
            return response.json()

        found: dict[str, Any] = self.wait_for("the catalogues in engagements", recorded)
        return found

    def catalogue_trainer(self, body: dict[str, Any]) -> dict[str, Any]:
        """Catalogue a trainer once partners has heard of the catalogue's methods it names
        (they travel as events: until then it answers 422 ``unknown_method``)."""
        url = f"{self.p.partners}/trainers"

        def catalogued() -> Any:
            response = self.http.post(url, json=body, auth=self.actors.auth(ORG_A_COORDINATOR))
            if response.status_code == 422 and response.json()["error"]["code"] == "unknown_method":
                return None
            if response.status_code != 201:
                raise StoryBroke(f"POST {url} answered {response.status_code}: {response.text}")
            return response.json()

        found: dict[str, Any] = self.wait_for("the catalogue of methods in partners", catalogued)
        return found

    def engagement_of(self, invitation_id: str) -> dict[str, Any]:
        def opened() -> Any:
            found = self.call(
                "GET", f"{self.p.engagements}/engagements", 200, invitation_id=invitation_id
            )
            return found[0] if found else None

        return dict(self.wait_for(f"the engagement of invitation {invitation_id}", opened))

    def inbox(self, engagement_id: str) -> list[dict[str, Any]]:
        return list(
            self.call("GET", f"{self.p.engagements}/engagements/{engagement_id}/lessons", 200)
        )

    def lesson_ids(self, items: list[dict[str, Any]]) -> set[str]:
        return {item["lesson_id"] for item in items}


def montes_de_maria(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Montes de María land conflict",
        "country": "CO",
        "region": "Caribbean region",
        "conflict_type": "land",
        "phase": "post-agreement",
        **extra,
    }


def play(story: Story) -> dict[str, str]:
    """The whole story; returns the ids it created, for callers that check more."""
    p = story.p
    ids: dict[str, str] = {}

    story.chapter("The consortium")
    story.ensure_members()
    story.say(
        "Two member organizations, by the consortium admin: "
        + " and ".join(name for name, _ in MEMBERS.values())
        + "."
    )
    story.ensure_methods()
    story.say(
        "Its catalogue of methods, local and external: "
        + ", ".join(f"{label} ({origin})" for label, origin, _ in METHODS.values())
        + "."
    )

    story.chapter("Year 1 — the conflict, a shared record of the consortium")
    conflict = story.create(
        p.engagements,
        "/conflicts",
        {
            **montes_de_maria(),
            "actors": [
                {"name": "Asociación de Campesinos", "side": "rural communities", "track": 4,
                 "role": "party"},
                {"name": "Ganaderos del Sabanal", "side": "landowners", "track": 3,
                 "role": "party"},
            ],
        },
    )  # fmt: skip
    ids["conflict"] = conflict["id"]
    story.say(
        "Alder registers the Montes de María land conflict once, for the whole consortium: "
        "invitations and engagements about it will name it."
    )

    story.chapter("Year 1 — two invitations arrive at Alder Peace Network (org-a)")
    ids["inv_elders"] = story.invite(
        inviter={
            "name": "Council of Elders of Montes de María",
            "kind": "community council",
            "track": 4,
            "is_party_to_conflict": True,
            "side": "rural communities",
        },
        conflict=montes_de_maria(conflict_id=ids["conflict"]),
        support="Dialogue between land claimants and returning families",
    )
    story.say("The Council of Elders of Montes de María (track 4, a party) invites the consortium.")
    ids["inv_company"] = story.invite(
        inviter={
            "name": "Northern Palm Holdings",
            "kind": "business",
            "track": 3,
            "is_party_to_conflict": False,
            "side": None,
        },
        conflict=montes_de_maria(name="Palm plantation dispute"),
        support="Mediation with communities contesting our concession",
    )
    story.say("A palm-oil company, not a party to the conflict, asks for mediation on its terms.")
    criteria = story.call("GET", f"{p.invitations}/assessment-criteria", 200)
    essential = [c["code"] for c in criteria if c["essential"]]
    story.expect(
        [c["code"] for c in criteria] == list(CRITERIA) and "do_no_harm" in essential,
        "invitations assess against the consortium's criteria, do no harm essential",
    )
    story.say(
        f"Each is assessed against the consortium's {len(criteria)} criteria, bearing on the "
        f"standard procedures; {len(essential)} essential: {', '.join(essential)}."
    )

    assessed = story.assess(
        ids["inv_company"],
        {
            "party_to_conflict": "The company is not a party to the conflict.",
            "no_conflict_of_interest": "It would fund the process it asks us to mediate.",
        },
    )
    story.expect(
        sorted(assessed["assessment"]["unmet"]) == ["no_conflict_of_interest", "party_to_conflict"],
        "the company's assessment should name the two unmet criteria",
    )
    refused = story.http.post(
        f"{p.invitations}/invitations/{ids['inv_company']}/decision",
        json={"outcome": "accept", "rationale": "Tempting", "decided_by": "board"},
    )
    story.expect(
        refused.status_code == 422 and refused.json()["error"]["code"] == "override_required",
        "accepting with unmet criteria and no override must be refused",
    )
    story.call(
        "POST",
        f"{p.invitations}/invitations/{ids['inv_company']}/decision",
        200,
        {
            "outcome": "decline",
            "decided_by": "board",
            "rationale": "Involvement only through invitation by a party; conflict of interest.",
        },
    )
    story.say("Assessed: two criteria unmet; accepting without an override is refused; declined.")

    story.assess(ids["inv_elders"])
    story.accept(
        ids["inv_elders"], "Invited by a party; every criterion met; local partners ready."
    )
    e1 = story.engagement_of(ids["inv_elders"])
    ids["e1"] = e1["id"]
    story.expect(e1["status"] == "listening", "a new engagement starts by listening")
    story.say(
        f"Accepted. Engagement opened by the event, listening, committed until {e1['committed_until']}."
    )
    refused = story.http.post(
        f"{p.engagements}/engagements", json={"invitation_id": ids["inv_elders"]}
    )
    story.expect(refused.status_code == 405, "engagements must refuse a create call")

    story.chapter("Year 1 — conflict analysis and listening to all sides")
    story.call(
        "POST",
        f"{p.engagements}/engagements/{ids['e1']}/analyses",
        201,
        {
            "analysed_on": "2026-03-10",
            "participants": ["Ana Ruiz", "Local research team"],
            "actors": [
                {
                    "name": "Council of Elders",
                    "side": "rural communities",
                    "track": 4,
                    "role": "party",
                },
                {
                    "name": "Association of returning families",
                    "side": "returning families",
                    "track": 4,
                    "role": "party",
                },
                {
                    "name": "Cattle ranchers' federation",
                    "side": "landowners",
                    "track": 3,
                    "role": "party",
                },
                {
                    "name": "Land restitution unit",
                    "side": "landowners",
                    "track": 1,
                    "role": "stakeholder",
                },
                {
                    "name": "Diocese of Sincelejo",
                    "side": "rural communities",
                    "track": 7,
                    "role": "capacity_for_peace",
                },
            ],
            "causes": ["Contested titles after displacement"],
            "dividers": ["Armed guards on disputed land"],
            "connectors": ["Shared market in El Carmen"],
        },
    )
    for who, side, track in [
        ("Elders' council", "rural communities", 4),
        ("Returning families' assembly", "returning families", 4),
        ("Ranchers' federation board", "landowners", 3),
    ]:
        story.call(
            "POST",
            f"{p.engagements}/engagements/{ids['e1']}/listening",
            201,
            {
                "who": who,
                "side": side,
                "track": track,
                "needs": ["security of tenure"],
                "heard_by": "listening team",
                "heard_on": "2026-04-02",
            },
        )
    listening = story.call("GET", f"{p.engagements}/engagements/{ids['e1']}/listening", 200)
    story.expect(
        listening["summary"]["complete"] is True,
        "listening should be complete once every side is heard",
    )
    story.say("Three sides named in the analysis; each heard; listening complete.")
    story.call("POST", f"{p.engagements}/engagements/{ids['e1']}/status", 200, {"to": "active"})
    story.say("The engagement turns active.")

    story.chapter("Year 2 — partners and activities")
    local = story.create(
        p.partners,
        "/partners",
        {
            "name": "Mujeres Tejiendo Paz",
            "kind": "women's organization",
            "tracks": [4, 6],
            "countries": ["CO"],
            "is_local": True,
            "women_led": True,
            "womens_rights_org": True,
            "contact_people": [{"name": "Luz Mery Díaz"}],
        },
    )
    story.create(
        p.partners,
        "/partners",
        {
            "name": "Global Mediation Institute",
            "kind": "conflict-resolution professionals",
            "tracks": [2, 5],
            "countries": ["CO", "KE"],
            "is_local": False,
            "women_led": False,
            "womens_rights_org": False,
        },
        actor=ORG_B_COORDINATOR,
    )
    story.say(
        "Alder registers a local women-led partner; Birchwood Dialogue Forum (org-b) shares an "
        "international one with the whole consortium."
    )

    def suggested() -> Any:
        found = story.http.get(f"{p.partners}/engagements/{ids['e1']}/suggested-partners")
        return found.json() if found.status_code == 200 and found.json() else None

    suggestions = story.wait_for("partner suggestions", suggested)
    order = [s["partner_id"] for s in suggestions]
    story.expect(
        local["id"] in order
        and all(s["is_local"] for s in suggestions[: order.index(local["id"])]),
        "local partners are suggested first",
    )
    story.say(f"Suggested partners, local first: {', '.join(s['name'] for s in suggestions)}.")
    story.call(
        "POST",
        f"{p.partners}/partnerships",
        201,
        {
            "partner_id": local["id"],
            "engagement_id": ids["e1"],
            "role": "co_facilitator",
            "starts_on": "2027-01-15",
        },
    )
    story.record_activity(
        ids["e1"],
        {
            "kind": "dialogue",
            "held_on": days_after(e1["start_date"], 83),
            "place": "El Carmen de Bolívar",
            "tracks": [3, 4],
            "peacebuilding_kind": "social",
            "rpp_quadrant": "more_people_socio_political",
            "methods": [{"code": "palabrero_circle"}, {"code": "problem_solving_workshop"}],
            "facilitators": [
                {"name": "Luz Mery Díaz", "local": True},
                {"name": "Tom Reyes", "local": True},
                {"name": "Jane Okafor", "local": False},
            ],
            "participants": [
                {
                    "sex": "female",
                    "role": "participant",
                    "track": 4,
                    "side": "returning families",
                    "count": 14,
                },
                {
                    "sex": "male",
                    "role": "participant",
                    "track": 4,
                    "side": "rural communities",
                    "count": 9,
                },
                {"sex": "male", "role": "delegate", "track": 3, "side": "landowners", "count": 4},
                {"sex": "female", "role": "facilitator", "track": 4, "count": 2},
            ],
            "do_no_harm": {
                "note": "Held at the shared market, away from guarded land; transport for all sides.",
                "dividers": ["Armed guards on disputed land"],
                "connectors": ["Shared market in El Carmen"],
            },
        },
    )
    story.say(
        "A dialogue in El Carmen de Bolívar: 29 participants, led locally, a blend of methods."
    )
    register = f"{p.engagements}/engagements/{ids['e1']}/harm-register"
    risk = story.create(
        p.engagements,
        f"/engagements/{ids['e1']}/harm-register",
        {
            "kind": "risk",
            "category": "security",
            "severity": "high",
            "noted_on": e1["start_date"],  # seen now, ahead of the consultation planned there
            "place": "Vereda El Salado",
            "description": "Guards on the disputed land photograph who comes to the dialogues.",
            "affected": [{"role": "participant", "count": 9, "side": "rural communities"}],
            "dividers": ["Armed guards on disputed land"],
        },
    )
    refused = story.http.post(
        f"{p.engagements}/engagements/{ids['e1']}/activities",
        json={
            "kind": "consultation",
            "held_on": days_after(e1["start_date"], 95),
            "place": "vereda el salado",
            "tracks": [4],
            "peacebuilding_kind": "social",
            "rpp_quadrant": "more_people_individual",
            "methods": [],
            "facilitators": [],
            "participants": [],
            "do_no_harm": {"note": "Planned at the vereda's school."},
        },
    )
    story.expect(
        refused.status_code == 409 and refused.json()["error"]["code"] == "mitigation_required",
        "an activity where an open high-severity risk has no mitigation must wait for one",
    )
    story.call(
        "POST",
        f"{register}/{risk['id']}/review",
        200,
        {"mitigation": "Meet in the parish hall of El Carmen; no photographs, no lists."},
    )
    story.say(
        "Do No Harm: a high risk to 9 participants in El Salado holds back the consultation there "
        "until its mitigation is recorded."
    )

    def counted() -> Any:
        figures = story.call("GET", f"{p.partners}/engagements/{ids['e1']}/inclusion", 200)
        return figures if figures["participants"]["total"] == 29 else None

    inclusion = story.wait_for("inclusion figures from the activity event", counted)
    story.say(
        f"Inclusion: {inclusion['participants']['women']} women of {inclusion['participants']['total']}"
        f" participants; {inclusion['partners']['local']} local partner(s)."
    )
    coverage = story.call("GET", f"{p.engagements}/engagements/{ids['e1']}/coverage", 200)
    gaps = [gap["track"] for gap in coverage["gaps"]]
    story.expect(4 not in gaps and 3 not in gaps, "tracks 3 and 4 are covered by the dialogue")
    story.say(
        "Nine-track coverage; gaps in "
        + ", ".join(f"{g['track']} ({g['label']})" for g in coverage["gaps"])
        + "."
    )

    play_training(story, ids)
    play_funding(story, ids, e1)

    story.chapter("Year 3 — evaluation and a lesson learned")
    story.wait_for(
        "the engagement digest in evaluation",
        lambda: story.http.get(f"{p.evaluation}/engagements/{ids['e1']}/digest").status_code == 200,
    )
    procedures = story.call(
        "GET", f"{p.evaluation}/reference/standard_procedure", 200, actor=ORG_A_EVALUATOR
    )
    evaluation = story.call(
        "POST",
        f"{p.evaluation}/evaluations",
        201,
        {
            **evaluation_body(ids["e1"], e1["start_date"], procedures),
            "baseline_analysis_version": 1,
        },
        actor=ORG_A_EVALUATOR,
    )
    story.say(
        f"Evaluation {evaluation['id'][:8]} completed against all twelve standard procedures."
    )
    computed = {k: v["value"] for k, v in evaluation["indicators"].items() if k != "trust"}
    story.expect(
        computed["responsibility"] == 0.75 and computed["transformation"] == 0.625,
        "the evaluation computes the skills share and the attitudes from the records",
    )
    story.say(
        f"Computed from the records, not typed in: {computed}; by quarter: "
        + ", ".join(q["quarter"] for q in evaluation["evidence"]["quarters"])
        + "."
    )
    lesson = story.create(
        p.evaluation,
        "/lessons",
        {
            "statement": "Open land dialogues with women-led local partners' listening circles before mixed sessions.",
            "evidence": "Evaluation of Montes de María, years 1-2: attendance of returning women tripled.",
            "confidence": "medium",
            "context": {"regions": ["Caribbean region"], "conflict_types": ["land"], "tracks": [4]},
            "source_engagement_id": ids["e1"],
        },
        actor=ORG_A_EVALUATOR,
    )
    ids["lesson"] = lesson["id"]
    story.say(
        "Alder's evaluator records a lesson for the whole consortium: open land dialogues with "
        "women-led listening circles."
    )

    story.chapter("Year 4 — the lesson reaches Birchwood's (org-b) next engagement in the region")
    ids["inv_sucre"] = story.invite(
        inviter={
            "name": "Sucre Land Restitution Roundtable",
            "kind": "civil society",
            "track": 4,
            "is_party_to_conflict": True,
            "side": "claimants",
        },
        conflict={
            "name": "Sucre land restitution",
            "country": "CO",
            "region": "Caribbean region",
            "conflict_type": "land",
            "phase": "post-agreement",
            "conflict_id": ids["conflict"],
        },
        support="Facilitation of restitution dialogues",
        actor=ORG_B_COORDINATOR,
    )

    def matched() -> Any:
        found = story.call("GET", f"{p.invitations}/invitations/{ids['inv_sucre']}/lessons", 200)
        return found if ids["lesson"] in story.lesson_ids(found) else None

    listed = story.wait_for("the lesson in the new invitation's assessment", matched)
    story.say(
        f"The Sucre invitation's assessment lists the lesson: {'; '.join(listed[0]['reasons'])}."
    )
    story.assess(ids["inv_sucre"], actor=ORG_B_COORDINATOR)
    story.accept(
        ids["inv_sucre"], "A party invites; the region's lessons apply.", actor=ORG_B_COORDINATOR
    )
    e2 = story.engagement_of(ids["inv_sucre"])
    ids["e2"] = e2["id"]
    briefing = story.wait_for(
        "the lesson in the briefing of the new engagement",
        lambda: [
            b
            for b in story.call("GET", f"{p.engagements}/engagements/{ids['e2']}/briefing", 200)
            if b["lesson_id"] == ids["lesson"]
        ],
    )
    story.say(f"Engagement opened in Sucre with a briefing of {len(briefing)} lesson(s).")
    story.call(
        "POST",
        f"{p.engagements}/engagements/{ids['e2']}/lessons/{ids['lesson']}/response",
        201,
        {"response": "applied", "why": "We began with the women's listening circle of San Onofre."},
        actor=ORG_B_COORDINATOR,
    )
    story.say("Birchwood applies Alder's lesson in Sucre, and says why.")
    compass = story.call("GET", f"{p.engagements}/conflicts/{ids['conflict']}/compass", 200)
    story.expect(
        compass["members"] == ["org-a", "org-b"] and len(compass["engagements"]) == 2,
        "the conflict's compass shows both members' engagements",
    )
    story.say(
        "The consortium's compass for Montes de María: "
        f"{len(compass['engagements'])} engagements of {', '.join(compass['members'])}; "
        "nobody covers "
        + ", ".join(f"{t['track']} ({t['label']})" for t in compass["uncovered"])
        + "."
    )

    def counted_back() -> Any:
        found = story.call("GET", f"{p.evaluation}/lessons/{ids['lesson']}", 200)
        return found if found["responses"]["applied"] == 1 else None

    counted_lesson = story.wait_for("the response counted on the lesson", counted_back)
    story.say(
        f"Evaluation counts it: applied {counted_lesson['responses']['applied']}, "
        f"adapted {counted_lesson['responses']['adapted']}, rejected {counted_lesson['responses']['rejected']}."
    )
    story.chapter("The loop is closed.")
    play_ending(story, ids, e1, procedures)
    return ids


def play_funding(story: Story, ids: dict[str, str], e1: dict[str, Any]) -> None:
    """Funding by source, never from participants; budget lines a year each; the engagement
    reported to donors as an IATI activity."""
    p = story.p
    engagement = f"{p.engagements}/engagements/{ids['e1']}"
    funder = story.create(
        p.partners,
        "/partners",
        {
            "name": "Caribbean Peace Fund",
            "kind": "funder",
            "tracks": [9],
            "countries": ["CO"],
            "is_local": False,
            "women_led": False,
            "womens_rights_org": False,
            "iati_org_id": "XM-DAC-7",
            "iati_org_type": "60",
        },
    )
    start = e1["start_date"]
    grant = {
        "funder_id": funder["id"],
        "kind": "grant",
        "amount": 450000,
        "currency": "EUR",
        "period_start": start,
        "period_end": days_after(start, 3 * 365),
    }
    story.wait_for(
        "the funder known to engagements",
        lambda: story.http.post(f"{engagement}/funding", json=grant).status_code == 201,
    )
    fee = story.http.post(f"{engagement}/funding", json={**grant, "kind": "participant_fee"})
    story.expect(
        fee.status_code == 422 and fee.json()["error"]["code"] == "participants_never_billed",
        "a participant fee is refused: participants are never billed",
    )
    for year in range(3):
        first = days_after(start, 365 * year)
        story.call(
            "POST",
            f"{engagement}/budget",
            201,
            {
                "amount": 150000,
                "currency": "EUR",
                "period_start": first,
                "period_end": days_after(first, 364),
                "status": "committed" if year == 0 else "indicative",
            },
        )
    story.say(
        "The Caribbean Peace Fund grants EUR 450,000 over three years, budgeted a year at a "
        "time; a participant fee is refused: participants are never billed."
    )
    report = story.http.get(f"{engagement}/iati")
    story.expect(
        report.status_code == 200
        and report.text.count("<budget ") == 3
        and "XM-DAC-7" in report.text,
        "the engagement reports in IATI with its funding and budget",
    )
    story.say(f"Reported to donors as IATI 2.03 ({len(report.content)} bytes): {engagement}/iati.")


def play_training(story: Story, ids: dict[str, str]) -> None:
    """A training designed and led locally, its trainees followed up at a set interval, and an
    attitude instrument administered to one side (standards 8, 10, 11 and 12)."""
    p = story.p
    story.chapter("Year 2 — a training, its follow-up, attitudes measured")
    today = today_anywhere().isoformat()
    engagement = f"{p.engagements}/engagements/{ids['e1']}"
    trainer = story.catalogue_trainer(
        {
            "name": "Luz Mery Díaz",
            "organization": "Tejiendo Paz",
            "methods": ["palabrero_circle"],
            "local": True,
        },
    )
    story.say(
        f"A local trainer in the consortium's catalogue, of {trainer['organization']}, "
        "training in the palabrero circle (the name stays with org-a)."
    )
    training = story.record_activity(
        ids["e1"],
        {
            "kind": "training",
            "held_on": today,
            "place": "San Jacinto",
            "tracks": [4],
            "peacebuilding_kind": "social",
            "rpp_quadrant": "more_people_individual",
            "methods": [{"code": "palabrero_circle"}],
            "facilitators": [{"name": "Luz Mery Díaz", "local": True}],
            "participants": [
                {"sex": "female", "role": "mediator", "track": 4, "count": 9},
                {"sex": "male", "role": "mediator", "track": 4, "count": 7},
            ],
            "do_no_harm": {"note": "Trainees chosen by both communities' councils alike."},
            "designed_locally": True,
            "training": {
                "curriculum": ["Active listening", "Mediating boundary disputes"],
                "trainers": [trainer["id"]],
                "follow_up_months": [3, 12],
            },
        },
    )
    follow_up = story.call(
        "POST",
        f"{engagement}/follow-ups",
        201,
        {
            "held_on": today,
            "participants_reached": 12,
            "using_skills": 9,
            "training_id": training["id"],
            "months_after": 3,
        },
    )
    story.say(
        f"A training of 16 mediators, designed and led locally; at its 3-month follow-up "
        f"{follow_up['using_skills']} of {follow_up['participants_reached']} use the skills."
    )
    story.call(
        "POST",
        f"{p.evaluation}/attitude-instruments",
        201,
        {
            "code": "acceptance_of_returnees",
            "label": "Acceptance of returning families",
            "items": [
                "I would buy from a returning family's shop.",
                "I would let my children play with theirs.",
            ],
            "scale_low": 1,
            "scale_high": 5,
        },
        actor=ORG_A_EVALUATOR,
    )
    story.wait_for(
        "the engagement digest in evaluation",
        lambda: story.http.get(f"{p.evaluation}/engagements/{ids['e1']}/digest").status_code == 200,
    )
    measured = story.call(
        "POST",
        f"{p.evaluation}/attitude-measurements",
        201,
        {
            "engagement_id": ids["e1"],
            "instrument": "acceptance_of_returnees",
            "side": "rural communities",
            "administered_on": today,
            "respondents": 30,
            "item_means": [3.4, 3.6],
        },
        actor=ORG_A_EVALUATOR,
    )
    story.say(f"Rural communities' acceptance of returning families: {measured['score']} of 1.")

    def followed() -> Any:
        digest = story.call("GET", f"{p.evaluation}/engagements/{ids['e1']}/digest", 200)
        return digest["trends"] if any(q["skills_share"] for q in digest["trends"]) else None

    trends = story.wait_for("the follow-up in the digest's trends", followed)
    story.say(f"Trends by quarter in evaluation's digest: {[q['quarter'] for q in trends]}.")


def evaluation_body(
    engagement_id: str, start_date: str, procedures: list[dict[str, Any]]
) -> dict[str, Any]:
    """An evaluation of the engagement from its first day to today, every procedure met."""
    return {
        "engagement_id": engagement_id,
        "period_start": start_date,
        "period_end": today_anywhere().isoformat(),
        "evaluated_by": "external evaluator",
        "dac": {
            c: {"score": 3, "narrative": f"{c} judged good"}
            for c in [
                "relevance",
                "coherence",
                "effectiveness",
                "efficiency",
                "impact",
                "sustainability",
            ]
        },
        "procedures": {
            item["code"]: {"rating": "met", "evidence": "field notes"}
            for item in procedures
            if item.get("active", True)
        },
        "indicators": {
            "trust": {"value": 0.6, "note": "survey"},
            "responsibility": {"note": "computed from the follow-ups"},
            "empowerment": {"note": "computed from the activities"},
            "transformation": {"note": "computed from the attitude measurements"},
        },
    }


def play_conflict_link(story: Story, ids: dict[str, str], e3: dict[str, Any]) -> None:
    """An engagement opened without the shared record is linked to it afterwards: the
    conflict's compass and search count it, and a lesson naming the conflict reaches it."""
    p = story.p
    conflict = ids["conflict"]
    story.say(
        "The fishing grounds dispute turns out to be part of the Montes de María conflict: "
        "Alder links the engagement, opened without the shared record, to it."
    )
    linked = story.call(
        "PUT",
        f"{p.engagements}/engagements/{e3['id']}/conflict",
        200,
        {"conflict_id": conflict},
    )
    story.expect(linked["conflict"]["conflict_id"] == conflict, "the engagement is linked")
    on_it = story.call("GET", f"{p.engagements}/engagements", 200, conflict_id=conflict)
    compass = story.call("GET", f"{p.engagements}/conflicts/{conflict}/compass", 200)
    story.expect(
        e3["id"] in {e["id"] for e in on_it}
        and e3["id"] in {e["engagement_id"] for e in compass["engagements"]},
        "the linked engagement is searched by its conflict and on the compass",
    )
    story.say(
        f"GET /engagements?conflict_id= now lists {len(on_it)} engagements on it, and so does "
        "the compass."
    )
    lesson = story.create(
        p.evaluation,
        "/lessons",
        {
            "statement": "On this conflict, meet ranchers and fishers apart before any joint "
            "session on the wetlands.",
            "evidence": "Montes de María, year 4: two joint sessions broke up, separate ones held.",
            "confidence": "medium",
            "context": {"conflict_ids": [conflict]},
            "source_engagement_id": ids["e1"],
        },
        actor=ORG_A_EVALUATOR,
    )
    ids["conflict_lesson"] = lesson["id"]

    def reached() -> Any:
        inbox = story.inbox(e3["id"])
        return [i for i in inbox if i["lesson_id"] == lesson["id"]]

    [item] = story.wait_for("the conflict's lesson in the linked engagement's inbox", reached)
    story.say(
        "A lesson recorded for this conflict alone reaches every engagement on it, this one "
        f"included ({'; '.join(item['reasons'])}), and no other."
    )


def play_ending(
    story: Story, ids: dict[str, str], e1: dict[str, Any], procedures: list[dict[str, Any]]
) -> None:
    """Ending well: a commitment extended, and an engagement whose invitation is withdrawn,
    which plans its exit, closes on a final evaluation and is followed up after it closed."""
    p = story.p
    story.chapter("Year 5 — ending well")
    until = days_after(e1["committed_until"], 730)
    extended = story.call(
        "POST",
        f"{p.engagements}/engagements/{ids['e1']}/extension",
        200,
        {"committed_until": until},
    )
    story.expect(extended["committed_until"] == until, "the commitment is extended")
    story.say(f"Montes de María's councils want more: the commitment runs until {until}.")

    ids["inv_bolivar"] = story.invite(
        inviter={
            "name": "Bolívar Fishers' Association",
            "kind": "community association",
            "track": 4,
            "is_party_to_conflict": True,
            "side": "fishing communities",
        },
        conflict=montes_de_maria(name="Ciénaga fishing grounds dispute"),
        support="Dialogue between fishers and cattle ranchers over the wetlands",
    )
    story.assess(ids["inv_bolivar"])
    story.accept(ids["inv_bolivar"], "Invited by a party; every criterion met.")
    e3 = story.engagement_of(ids["inv_bolivar"])
    ids["e3"] = e3["id"]
    engagement = f"{p.engagements}/engagements/{ids['e3']}"
    play_conflict_link(story, ids, e3)
    story.call(
        "POST",
        f"{p.invitations}/invitations/{ids['inv_bolivar']}/withdrawal",
        200,
        {"reason": "The association settled the dispute with the ranchers itself."},
    )

    def closing() -> Any:
        found = story.call("GET", engagement, 200)
        return found if found["status"] == "closing" else None

    withdrawn = story.wait_for("the engagement closing after the withdrawal", closing)
    story.expect(
        withdrawn["closing_reason"] == "invitation_withdrawn",
        "a withdrawn invitation closes its engagement's way",
    )
    story.say("The fishers withdraw their invitation: their engagement begins closing.")
    today = today_anywhere().isoformat()
    story.call(
        "PUT",
        f"{engagement}/exit-plan",
        200,
        {
            "handover": "The fishers' own dialogue committee keeps the wetlands agreement.",
            "planned_end_on": today,
            "follow_up_until": days_after(today, 365),
        },
    )
    story.wait_for(
        "the new engagement's digest in evaluation",
        lambda: story.http.get(f"{p.evaluation}/engagements/{ids['e3']}/digest").status_code == 200,
    )
    final = story.call(
        "POST",
        f"{p.evaluation}/evaluations",
        201,
        evaluation_body(ids["e3"], e3["start_date"], procedures),
        actor=ORG_A_EVALUATOR,
    )

    def closed() -> Any:
        answer = story.http.post(f"{engagement}/status", json={"to": "closed"})
        return answer.json() if answer.status_code == 200 else None

    ended = story.wait_for("closing on the final evaluation", closed)
    story.expect(
        ended["ending"]["closure"]["final_evaluation_id"] == final["id"],
        "the engagement closes on its final evaluation",
    )
    story.say("An exit plan, a final evaluation, and the engagement closes on it.")
    story.call(
        "POST",
        f"{engagement}/follow-ups",
        201,
        {"held_on": today, "participants_reached": 11, "using_skills": 8},
    )
    counted = story.call("GET", engagement, 200)["ending"]["follow_ups"]
    story.expect(counted["after_closure"] == 1, "a follow-up after closure counts")
    story.say(
        f"Followed up after closing: {counted['using_skills']} of "
        f"{counted['participants_reached']} participants use the skills they gained."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invitations", default="http://127.0.0.1:8001")
    parser.add_argument("--engagements", default="http://127.0.0.1:8002")
    parser.add_argument("--partners", default="http://127.0.0.1:8003")
    parser.add_argument("--evaluation", default="http://127.0.0.1:8004")
    parser.add_argument(
        "--credentials",
        type=Path,
        default=Path("var/credentials.json"),
        help="the demo consortium's credentials, as `make run` writes them",
    )
    args = parser.parse_args(argv)
    if not args.credentials.is_file():
        print(
            f"No {args.credentials}: start the platform with `make run`, which writes it.",
            file=sys.stderr,
        )
        return 1
    story = Story(
        Platform(args.invitations, args.engagements, args.partners, args.evaluation),
        Actors.from_file(args.credentials),
    )
    try:
        for url in (args.invitations, args.engagements, args.partners, args.evaluation):
            story.call("GET", f"{url}/health/live", 200)
        play(story)
    except httpx.ConnectError as unreachable:
        print(
            f"\nThe platform does not answer ({unreachable}); start it with `make run`.",
            file=sys.stderr,
        )
        return 1
    except (StoryBroke, httpx.HTTPError) as broke:
        print(f"\nThe story broke: {broke}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
