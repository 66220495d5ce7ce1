"""What a service's OpenAPI document says beyond FastAPI: each operation's error statuses,
decided from its shape, and links from each create call to what it created."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel

from multitrack_shared.http.app import ServiceAPI
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.http.health import health_router
from multitrack_shared.http.versions import IfMatch, tagged
from multitrack_shared.observability.health import ServiceHealth
from multitrack_shared.validation import Name, Strict


class ThingCreate(Strict):
    name: Name


class ThingPublic(BaseModel):
    id: str
    name: str


def document(*, create_answers_etag: bool = False) -> dict[str, Any]:
    router = APIRouter(prefix="/things", responses=ERROR_RESPONSES)
    created = tagged(status.HTTP_201_CREATED) if create_answers_etag else None

    @router.post("", status_code=status.HTTP_201_CREATED, responses=created)
    async def create(body: ThingCreate) -> ThingPublic:
        raise NotImplementedError

    @router.get("")
    async def search(name: Name | None = None) -> list[ThingPublic]:
        raise NotImplementedError

    @router.get("/{thing_id}")
    async def read(thing_id: str) -> ThingPublic:
        raise NotImplementedError

    @router.put("/{thing_id}")
    async def revise(thing_id: str, body: ThingCreate, if_match: IfMatch) -> ThingPublic:
        raise NotImplementedError

    @router.get("/everything/counted")
    async def count() -> int:
        raise NotImplementedError

    app = ServiceAPI()
    app.include_router(health_router(ServiceHealth("things", database=answers, loops=dict)))
    app.include_router(router)
    return app.openapi()


async def answers() -> None:
    return None


def error_statuses(operation: dict[str, Any]) -> set[str]:
    return {code for code in operation["responses"] if code >= "400"}


def test_each_operation_documents_the_errors_its_shape_allows_with_the_error_body() -> None:
    paths = document()["paths"]

    caller = {"401", "403", "429"}  # a caller: its token, its rights, its rate
    assert error_statuses(paths["/things"]["post"]) == caller | {
        "400", "409", "413", "415", "422", "503",
    }  # fmt: skip
    assert error_statuses(paths["/things"]["get"]) == caller | {"422", "503"}
    assert error_statuses(paths["/things/{thing_id}"]["get"]) == caller | {"404", "422", "503"}
    assert error_statuses(paths["/things/{thing_id}"]["put"]) == caller | {
        "400", "404", "409", "412", "413", "415", "422", "503",
    }  # fmt: skip
    assert error_statuses(paths["/things/everything/counted"]["get"]) == caller | {"503"}
    for operation in [*paths["/things"].values(), *paths["/things/{thing_id}"].values()]:
        for code in error_statuses(operation):
            content = operation["responses"][code]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}


def test_health_keeps_its_own_answers_and_framework_schemas_are_gone() -> None:
    spec = document()

    assert error_statuses(spec["paths"]["/health/ready"]["get"]) == {"503"}
    assert error_statuses(spec["paths"]["/health/live"]["get"]) == {"503"}
    assert error_statuses(spec["paths"]["/health"]["get"]) == {"503"}
    for path in ("/health", "/health/live", "/health/ready"):
        assert "ErrorBody" not in str(spec["paths"][path])
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_a_create_call_links_to_the_operations_on_what_it_created() -> None:
    created = document()["paths"]["/things"]["post"]["responses"]["201"]

    assert {name: link["parameters"] for name, link in created["links"].items()} == {
        "read_things__thing_id__get": {"thing_id": "$response.body#/id"},
        "revise_things__thing_id__put": {"thing_id": "$response.body#/id"},
    }


def test_a_create_call_answering_its_etag_links_it_to_if_match_of_the_writes_on_it() -> None:
    spec = document(create_answers_etag=True)
    created = spec["paths"]["/things"]["post"]["responses"]["201"]

    assert {name: link["parameters"] for name, link in created["links"].items()} == {
        "read_things__thing_id__get": {"thing_id": "$response.body#/id"},
        "revise_things__thing_id__put": {
            "thing_id": "$response.body#/id",
            "header.If-Match": "$response.header.ETag",
        },
    }
