"""Signing in and out, and the console's own health."""

from __future__ import annotations

from authlib.integrations.starlette_client import OAuthError
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from multitrack_console.entrypoints.web.deps import PersonDep, console_state, require_csrf
from multitrack_console.entrypoints.web.pages import render
from multitrack_console.entrypoints.web.sessions import RENEW
from multitrack_console.entrypoints.web.signin import CALLBACK

router = APIRouter(dependencies=[Depends(require_csrf)])
THEN = "then"
HOME = "/engagements"


@router.get("/")
async def home(person: PersonDep) -> RedirectResponse:
    return RedirectResponse(HOME, status_code=303)


@router.get("/login")
async def login(request: Request, then: str = HOME) -> Response:
    """To the identity provider's own sign-in page; back to ``then`` afterwards."""
    request.session[THEN] = then if _on_this_site(then) else HOME
    return await console_state(request).signin.start(request)


@router.get(CALLBACK)
async def callback(request: Request) -> Response:
    try:
        signed_in = await console_state(request).signin.complete(request)
    except OAuthError as refused:
        return render(
            request, "signin_failed.html", None, status_code=400, reason=refused.description
        )
    then = request.session.pop(THEN, HOME)
    request.session.clear()  # nothing of the anonymous session survives signing in
    request.session.update(person=signed_in.person, tokens=signed_in.tokens, **{RENEW: True})
    return RedirectResponse(then, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    id_token = (request.session.get("tokens") or {}).get("id_token")
    request.session.clear()
    url = await console_state(request).signin.sign_out_url(id_token)
    return RedirectResponse(url, status_code=303)


@router.get("/health/live", include_in_schema=False)
async def live() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/about")
async def about(request: Request, person: PersonDep) -> HTMLResponse:
    return render(request, "about.html", person)


def _on_this_site(path: str) -> bool:
    """Only a path of the console: never another site (``//host``, ``/\\host``, a URL)."""
    return path.startswith("/") and not path.startswith(("//", "/\\"))
