"""Rendering a page: the template, the person, this session's CSRF token and its message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from multitrack_console.entrypoints.web.deps import CSRF_FIELD, Person, csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
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
