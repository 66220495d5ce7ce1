"""Rendering a page: the template, the person, this session's CSRF token and its message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from multitrack_console.application.forms import Filled, FormState, Outgoing
from multitrack_console.application.ports import Json, Refused
from multitrack_console.entrypoints.web.deps import CSRF_FIELD, Person, csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["blank_form"] = FormState.blank
FLASH = "flash"


def render(
    request: Request,
    template: str,
    person: Person | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "person": person,
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token(request),
            "flash": request.session.pop(FLASH, None),
            **context,
        },
        status_code=status_code,
    )


def back_to(request: Request, path: str, message: str, *, error: bool = False) -> RedirectResponse:
    """After a form: the page again (POST, redirect, GET), with a message on it."""
    request.session[FLASH] = {"text": message, "error": error}
    return RedirectResponse(path, status_code=303)


def not_found(request: Request, person: Person, what: str) -> HTMLResponse:
    return render(request, "not_found.html", person, status_code=404, what=what)


async def filled_in(request: Request) -> Filled:
    """The submitted form's fields, the CSRF token left out."""
    form = await request.form()
    return Filled.of((name, value) for name, value in form.multi_items() if name != CSRF_FIELD)


def refusal_status(refused: Refused) -> int:
    """A form shown again answers the service's 4xx; a service that failed is a bad gateway."""
    return refused.status if 400 <= refused.status < 500 else 502


@dataclass(frozen=True)
class Submission:
    """How one of the console's forms is sent: its name on the page, the body it builds, the
    call that sends it, and where the person goes, told what, once it is recorded."""

    name: str
    build: Callable[[Filled], Outgoing]
    send: Callable[[Json], Awaitable[Json]]
    done: Callable[[Json, Json], tuple[str, str]]
    """(the answer, the body sent) -> (the page to go to, the message on it)."""


async def submit(
    request: Request,
    submission: Submission,
    again: Callable[[FormState, int], Awaitable[HTMLResponse]],
) -> Response:
    """Send the form; recorded: POST, redirect, GET; refused: the page ``again``, the form
    filled in as it was, with the service's status and its problems beside their fields."""
    filled = await filled_in(request)
    outgoing = submission.build(filled)
    try:
        recorded = await submission.send(outgoing.body)
    except Refused as refused:
        form = FormState.refused(submission.name, filled, outgoing, refused)
        return await again(form, refusal_status(refused))
    path, message = submission.done(recorded, outgoing.body)
    return back_to(request, path, message)
