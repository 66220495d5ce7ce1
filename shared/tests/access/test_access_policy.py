"""The one access policy, decided from the caller's organization and roles and a record's owner
and visibility; and the principal a token's claims name. No framework, no network."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from multitrack_shared.auth.policy import (
    Scope,
    can_read,
    changeable,
    may_see_personal,
    owner_of_new_record,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal, PrincipalKind, Role, system_principal
from multitrack_shared.auth.tokens import principal_from_claims
from multitrack_shared.errors import Forbidden, NotFound
from multitrack_shared.testing.principals import acting_for

pytestmark = pytest.mark.unit


A_COORDINATOR = acting_for("org-a", Role.coordinator)
A_EVALUATOR = acting_for("org-a", Role.evaluator)
A_OBSERVER = acting_for("org-a", Role.observer)
A_PARTNER = acting_for("org-a", Role.partner_system)
B_COORDINATOR = acting_for("org-b")
ADMIN = acting_for(None, Role.consortium_admin)
OBSERVER = acting_for(None, Role.observer, kind=PrincipalKind.person)
MANY_ORGS = acting_for(None, Role.coordinator)  # a token naming several organizations
SERVICE = system_principal("memos")
EVERYONE = (
    A_COORDINATOR,
    A_EVALUATOR,
    A_OBSERVER,
    A_PARTNER,
    B_COORDINATOR,
    ADMIN,
    OBSERVER,
    MANY_ORGS,
    SERVICE,
)


@dataclass(frozen=True)
class Record:
    owner_org: str | None
    visibility: str


A_SHARED = Record("org-a", "consortium")
A_PRIVATE = Record("org-a", "owner")


@pytest.mark.parametrize(
    ("caller", "record", "visible"),
    [
        (A_COORDINATOR, A_PRIVATE, True),
        (A_PARTNER, A_PRIVATE, True),
        (A_OBSERVER, A_PRIVATE, True),
        (B_COORDINATOR, A_PRIVATE, False),
        (B_COORDINATOR, A_SHARED, True),
        (ADMIN, A_PRIVATE, False),  # least privilege: admins act for no organization
        (ADMIN, A_SHARED, True),
        (OBSERVER, A_PRIVATE, False),
        (OBSERVER, A_SHARED, True),
        (MANY_ORGS, A_PRIVATE, False),
        (SERVICE, A_PRIVATE, True),
        (A_COORDINATOR, Record(None, "owner"), False),
    ],
)
def test_a_record_is_read_when_consortium_visible_or_owned_and_is_otherwise_not_found(
    caller: Principal, record: Record, visible: bool
) -> None:
    assert can_read(caller, record.owner_org, record.visibility) is visible
    if visible:
        assert readable(record, caller, "No memo m-1.") is record
        return
    with pytest.raises(NotFound) as hidden:
        readable(record, caller, "No memo m-1.", field="memo_id")
    with pytest.raises(NotFound) as missing:
        readable(None, caller, "No memo m-1.", field="memo_id")
    # a hidden record and a missing one are told apart by nothing
    assert (hidden.value.message, hidden.value.field) == (missing.value.message, "memo_id")


def test_lists_admit_exactly_what_a_read_would_show() -> None:
    records = [
        Record(o, v)
        for o, v in itertools.product(("org-a", "org-b", None), ("consortium", "owner"))
    ]
    for caller, record in itertools.product(EVERYONE, records):
        assert scope_of(caller).admits(record.owner_org, record.visibility) == can_read(
            caller, record.owner_org, record.visibility
        ), (caller.subject, record)
    assert scope_of(A_COORDINATOR) == Scope("org-a")
    assert scope_of(ADMIN) == Scope(None)
    assert scope_of(SERVICE).everything


@pytest.mark.parametrize(
    ("caller", "record", "refusal"),
    [
        (A_COORDINATOR, A_PRIVATE, None),
        (A_COORDINATOR, A_SHARED, None),
        (SERVICE, A_PRIVATE, None),
        (A_EVALUATOR, A_PRIVATE, (403, "role_required")),
        (A_PARTNER, A_SHARED, (403, "role_required")),
        (A_OBSERVER, A_SHARED, (403, "role_required")),
        (B_COORDINATOR, A_SHARED, (403, "not_owner")),
        (B_COORDINATOR, A_PRIVATE, (404, "not_found")),
        (ADMIN, A_SHARED, (403, "not_owner")),
        (ADMIN, A_PRIVATE, (404, "not_found")),
        (OBSERVER, A_PRIVATE, (404, "not_found")),
        (A_COORDINATOR, None, (404, "not_found")),
    ],
)
def test_only_the_owning_organization_changes_a_record_and_only_with_an_allowed_role(
    caller: Principal, record: Record | None, refusal: tuple[int, str] | None
) -> None:
    if refusal is None:
        assert changeable(record, caller, Role.coordinator, message="No memo m-1.") is record
        return
    with pytest.raises((Forbidden, NotFound)) as refused:
        changeable(record, caller, Role.coordinator, message="No memo m-1.")
    assert (refused.value.status_code, refused.value.code) == refusal


def test_an_operation_names_the_roles_that_may_call_it() -> None:
    require_role(A_COORDINATOR, Role.coordinator)
    require_role(A_EVALUATOR, Role.coordinator, Role.evaluator)
    require_role(SERVICE, Role.consortium_admin)
    for caller in (A_EVALUATOR, A_OBSERVER, A_PARTNER, ADMIN, OBSERVER):
        with pytest.raises(Forbidden) as refused:
            require_role(caller, Role.coordinator)
        assert refused.value.code == "role_required"
        assert "coordinator" in refused.value.message


def test_a_new_record_is_owned_by_the_callers_organization_and_nobody_else_can_own_one() -> None:
    assert owner_of_new_record(A_COORDINATOR) == "org-a"
    assert owner_of_new_record(B_COORDINATOR) == "org-b"
    for organizationless in (ADMIN, OBSERVER, MANY_ORGS, SERVICE):
        with pytest.raises(Forbidden) as refused:
            owner_of_new_record(organizationless)
        assert refused.value.code == "no_organization"


@pytest.mark.parametrize(
    ("caller", "sees"),
    [
        (A_COORDINATOR, True),
        (A_EVALUATOR, True),
        (A_OBSERVER, True),
        (A_PARTNER, False),  # personal data stays inside the platform
        (B_COORDINATOR, False),
        (ADMIN, False),
        (OBSERVER, False),
        (SERVICE, True),
    ],
)
def test_personal_data_is_seen_by_the_owning_organizations_people_only(
    caller: Principal, sees: bool
) -> None:
    assert may_see_personal(caller, "org-a") is sees


def test_a_client_credentials_token_names_its_organization_and_platform_roles() -> None:
    principal = principal_from_claims(
        {
            "sub": "3f1c",
            "organization": ["org-a"],
            "roles": ["coordinator", "offline_access", "default-roles-multitrack"],
            "azp": "org-a-coordinator",
            "client_id": "org-a-coordinator",
            "preferred_username": "service-account-org-a-coordinator",
        }
    )

    assert principal == Principal(
        subject="3f1c",
        organization="org-a",
        roles=frozenset({Role.coordinator}),
        kind=PrincipalKind.client,
        client_id="org-a-coordinator",
        username="service-account-org-a-coordinator",
    )


def test_a_persons_token_with_the_organization_map_names_the_alias() -> None:
    principal = principal_from_claims(
        {
            "sub": "9a7e",
            "organization": {"org-b": {"id": "5d2c", "name": ["Birchwood"]}},
            "roles": "evaluator",
            "azp": "multitrack-console",
            "preferred_username": "org-b.evaluator",
        }
    )

    assert (principal.organization, principal.roles) == ("org-b", frozenset({Role.evaluator}))
    assert (principal.kind, principal.client_id) == (PrincipalKind.person, "multitrack-console")


def test_a_token_naming_no_or_several_organizations_acts_for_none() -> None:
    claims_of_organization: list[object] = [
        None,
        [],
        ["org-a", "org-b"],
        {"org-a": {}, "org-b": {}},
    ]
    for claim in claims_of_organization:
        claims = {"sub": "s", "roles": ["coordinator"], "organization": claim}
        assert principal_from_claims(claims).organization is None, claim
