"""Rendering a page: the template, the person, this session's CSRF token and its message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from multitrack_console.application.forms import Filled, FormState
from multitrack_console.application.ports import Refused
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
