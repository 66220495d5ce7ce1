"""Idempotent writes: a POST or PUT sent with an ``Idempotency-Key`` is done once.

A client whose write timed out cannot tell whether it was kept. Sent again with the same key
and the same body, it gets the first answer (status, body, and the headers describing it:
``Content-Type``, ``ETag``, ``Location``, ``Link``, with ``Idempotent-Replayed: true``) and
nothing is written twice. The same key with another body answers 422
``idempotency_key_reused``; a key that is no key, 400 ``idempotency_key_invalid``.

Keys belong to whoever sent them: the caller's organization, or, for those acting for none, the
client (or the person); and to the method and path. A kept answer is therefore never given to
another organization, nor for another operation. It is kept ``idempotency_hours`` (24 by
default), then pruned.

Only an answer that wrote something is kept, in the write's own transaction
(``stored_answers``); a refusal wrote nothing, so its retry is simply done again. Two requests
with one key at once: one writes, the other waits for it and answers with its answer (or, when
it lost a race on the record itself, with that answer too, once kept; ``request_in_progress``
409 should it not be there).
"""

from __future__ import annotations

import hashlib
import json
import re

from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from multitrack_shared.auth.principal import Principal, PrincipalKind
from multitrack_shared.db.errors import CommitInDoubt
from multitrack_shared.db.errors import database_unavailable as is_outage
from multitrack_shared.http.auth import OPEN_PATHS, caller_if_any
from multitrack_shared.http.bodies import body_replayed
from multitrack_shared.http.errors import (
    FieldProblem,
    commit_outcome_unknown,
    database_unavailable,
    error_response,
)
from multitrack_shared.http.stored_answers import Answer, Claim, IdempotencyKeys, KeptAnswer

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PUT"})
_CLAIM = "idempotency_claim"
KEY_PATTERN = r'^(?:[!#-~]{1,255}|"(?:[ !#-\[\]-~]|\\["\\]){1,255}")$'
"""A key: 1 to 255 printable ASCII characters without spaces or quotes, or the draft's
structured-field string, quoted, where spaces may be and a quote or backslash is escaped."""
_KEY = re.compile(KEY_PATTERN)


def parse_key(value: str) -> str | None:
    """The key a header value names, or None when it names none."""
    if not _KEY.fullmatch(value):
        return None
    if value.startswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def keys_owner(caller: Principal) -> str:
    """Whose keys a caller's are: its organization's, else its client's, else its own."""
    if caller.organization is not None:
        return f"organization:{caller.organization}"
    if caller.kind is PrincipalKind.client and caller.client_id:
        return f"client:{caller.client_id}"
    return f"subject:{caller.subject}"


def key_id(owner: str, method: str, path: str, key: str) -> str:
    return hashlib.sha256(json.dumps([owner, method, path, key]).encode()).hexdigest()


def fingerprint(body: bytes) -> str:
    """A digest of the body's canonical JSON: keys sorted, no spaces, so that a retry written
    out differently is still the same request."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:  # not JSON (the body checks refuse it): the bytes themselves
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def claim_of(request: Request) -> Claim | None:
    """The claim the request holds on its key, for its unit of work (``http.deps``)."""
    claim = getattr(request.state, _CLAIM, None)
    return claim if isinstance(claim, Claim) else None


class IdempotentWrites:
    """Answers a known key from what was kept; runs a new one with a claim, then keeps its
    answer. Inside the body checks: the body is whole and JSON by then."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        header = _header(scope)
        if header is None or scope["method"] not in METHODS or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        key = parse_key(header)
        if key is None:
            await _invalid_key()(scope, receive, send)
            return
        request = Request(scope, receive)
        caller = await caller_if_any(request)
        if caller is None:  # the route answers 401 (or 503) itself
            await self.app(scope, receive, send)
            return
        body = await request.body()
        runtime = request.app.state.runtime
        keys = IdempotencyKeys(
            runtime.engine, runtime.tables.idempotency_keys, runtime.settings.idempotency_hours
        )
        claim = Claim(
            keys, key_id(keys_owner(caller), scope["method"], scope["path"], key), fingerprint(body)
        )
        answering = _Answering(send)
        try:
            kept = await keys.find(claim.key_id)
            if kept is None:
                scope.setdefault("state", {})[_CLAIM] = claim
                kept = await self._run(claim, scope, body_replayed(body, receive), answering.send)
            if kept is not None:
                await _answer_kept(kept, claim.fingerprint)(scope, receive, answering.send)
        except Exception as exc:
            # The same outages the error handlers answer 503 (refused, shutting down, lost).
            if answering.started or not is_outage(exc):
                raise
            doubt = isinstance(exc, CommitInDoubt)
            await (commit_outcome_unknown() if doubt else database_unavailable())(
                scope, receive, send
            )

    async def _run(
        self, claim: Claim, scope: Scope, receive: Receive, send: Send
    ) -> KeptAnswer | None:
        """Run the request; None once it is answered, or the kept answer of another request
        with the same key, to give instead. An answer marked ``Cache-Control: no-store`` is
        kept without its body: a retry learns that the write was done, not its secret."""
        captured = _Captured()
        try:
            await self.app(scope, receive, captured.send)
        except BaseException:
            await claim.abandon()
            raise
        answer = captured.answer()
        if claim.holds_a_write and answer.status < 400:
            settled = await claim.settle(answer.withheld() if answer.not_to_be_stored else answer)
            if not settled:
                kept = await claim.keys.find(claim.key_id)
                if kept is None:
                    await _in_progress(scope, send)
                return kept
        elif claim.holds_a_write:
            await claim.abandon()
        elif answer.status == 409:  # lost a race, perhaps to a request with the same key
            kept = await claim.keys.find(claim.key_id)
            if kept is not None:
                return kept
        await captured.replay(send)
        return None


async def _in_progress(scope: Scope, send: Send) -> None:
    # Not seen in practice: the other request's answer is committed before this one fails.
    await error_response(
        409,
        "request_in_progress",
        f"A request with this {HEADER} is in progress; retry it shortly.",
        [],
    )(scope, _nothing, send)


def _answer_kept(kept: KeptAnswer, sent: str) -> ASGIApp:
    if kept.fingerprint != sent:
        return error_response(
            422,
            "idempotency_key_reused",
            f"This {HEADER} came with another request body; a new request needs a new key.",
            [
                FieldProblem(
                    field=f"header.{HEADER.lower()}",
                    rule="idempotency_key_reused",
                    message="the key of an earlier request with another body",
                )
            ],
        )
    answer = kept.answer
    if answer.not_to_be_stored:
        location = [value for name, value in answer.headers if name.lower() == "location"]
        return error_response(
            409,
            "answer_not_kept",
            f"The request with this {HEADER} was done, but its answer carried a secret and was "
            "not kept: read what it made instead.",
            [],
            {"Location": location[0]} if location else None,
        )
    return Response(
        answer.body,
        status_code=answer.status,
        headers={**dict(answer.headers), REPLAYED: "true"},
    )


class _Answering:
    """Whether an answer has started, after which a failure can no longer be answered."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def send(self, message: Message) -> None:
        self.started = True
        await self._send(message)


class _Captured:
    """An answer held back until it is kept, then sent as it was."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    def answer(self) -> Answer:
        start = next(m for m in self.messages if m["type"] == "http.response.start")
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in start.get("headers", [])
        ]
        body = b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )
        return Answer(int(start["status"]), headers, body)

    async def replay(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


def _header(scope: Scope) -> str | None:
    if scope["type"] != "http":
        return None
    for name, value in scope.get("headers", []):
        if name.lower() == HEADER.lower().encode():
            return str(value.decode("latin-1"))
    return None


def _invalid_key() -> ASGIApp:
    return error_response(
        400,
        "idempotency_key_invalid",
        f"{HEADER} must be 1 to 255 printable ASCII characters, quoted or not.",
        [
            FieldProblem(
                field=f"header.{HEADER.lower()}",
                rule="idempotency_key_invalid",
                message="1 to 255 printable ASCII characters",
            )
        ],
    )


async def _nothing() -> Message:
    return {"type": "http.disconnect"}
