"""Request bodies are checked before anything parses them: size, media type, well-formed JSON.

Every service's API takes JSON bodies only, so one check in front of the app answers for all
routes alike, with the error body: 413 over the size limit, 415 when the body is not declared
JSON, 400 when it does not parse as JSON.
"""

from __future__ import annotations

import json
from email.message import Message as MimeHeader

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from multitrack_shared.http.errors import (
    FieldProblem,
    error_response,
    malformed_json,
    unsupported_media_type,
)


class JsonBodies:
    """Reads the whole body first (declared lengths can lie), then lets only JSON through."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large()(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away mid-body: there is no one to answer
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._too_large()(scope, receive, send)
                return
        if body:
            media_type = headers.get(b"content-type", b"").decode("latin-1") or None
            if not is_json(media_type):
                await unsupported_media_type(media_type)(scope, receive, send)
                return
            problem = json_problem(bytes(body))
            if problem is not None:
                await malformed_json(problem)(scope, receive, send)
                return
        await self.app(scope, body_replayed(bytes(body), receive), send)

    def _too_large(self) -> ASGIApp:
        return error_response(
            413,
            "body_too_large",
            f"Request body exceeds {self.max_bytes} bytes.",
            [
                FieldProblem(
                    field="body", rule="max_bytes", message=f"at most {self.max_bytes} bytes"
                )
            ],
        )


def is_json(media_type: str | None) -> bool:
    """application/json or application/<anything>+json, in UTF-8 if a charset is named."""
    if not media_type:
        return False
    header = MimeHeader()
    header["content-type"] = media_type
    subtype = header.get_content_subtype()
    charset = (header.get_content_charset() or "utf-8").replace("_", "-")
    return (
        header.get_content_maintype() == "application"
        and (subtype == "json" or subtype.endswith("+json"))
        and charset in ("utf-8", "utf8")
    )


def json_problem(body: bytes) -> str | None:
    """Why ``body`` is not one JSON text in UTF-8, or None when it is."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_not_json)
        # An escaped half of a surrogate pair is no character: no database could store it.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "the body escapes half of a UTF-16 surrogate pair (\\ud800 to \\udfff) alone"
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    except RecursionError:
        return "the body nests too deeply"
    except ValueError as error:  # JSONDecodeError, NaN/Infinity, integers past 4300 digits
        return str(error)
    return None


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not a JSON value")


def body_replayed(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over the body already read, then listens as before."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
