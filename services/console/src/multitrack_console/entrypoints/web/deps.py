"""The one set of dependencies the console's routes take: the person, their API, CSRF."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from multitrack_console.application.ports import PlatformApi
from multitrack_console.entrypoints.web.signin import needs_renewal
from multitrack_console.entrypoints.web.state import ConsoleState

CSRF_FIELD = "csrf_token"


class SignInNeeded(Exception):
    """No one is signed in (or their session ran out): off to the sign-in page."""

    def __init__(self, then: str) -> None:
        super().__init__(then)
        self.then = then


class CsrfRefused(Exception):
    """A form came without this session's token: not sent by one of the console's pages."""


@dataclass(frozen=True)
class Person:
    subject: str
    username: str
    organization: str | None
    roles: tuple[str, ...]
    token: str

    def has(self, role: str) -> bool:
        return role in self.roles


def console_state(request: Request) -> ConsoleState:
    state: ConsoleState = request.app.state.console
    return state


async def current_person(request: Request) -> Person:
    session = request.session
    tokens: dict[str, Any] | None = session.get("tokens")
    if not tokens:
        raise SignInNeeded(_here(request))
    if needs_renewal(tokens, time.time()):
        renewed = await console_state(request).signin.renew(tokens)
        if renewed is None:
            session.clear()
            raise SignInNeeded(_here(request))
        session["person"], session["tokens"] = renewed.person, renewed.tokens
        tokens = renewed.tokens
    person = session["person"]
    return Person(
        subject=person["subject"],
        username=person["username"],
        organization=person["organization"],
        roles=tuple(person["roles"]),
        token=tokens["access_token"],
    )


PersonDep = Annotated[Person, Depends(current_person)]


def platform_api(request: Request, person: PersonDep) -> PlatformApi:
    return console_state(request).api_for(person.token)


ApiDep = Annotated[PlatformApi, Depends(platform_api)]


def csrf_token(request: Request) -> str:
    """This session's token, which every form of the console carries."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def require_csrf(request: Request) -> None:
    """Every POST carries the session's token (a form field, or the X-CSRF-Token header)."""
    if request.method != "POST":
        return
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get("X-CSRF-Token")
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
        raise CsrfRefused()


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")
