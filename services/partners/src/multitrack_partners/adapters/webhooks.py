"""Signed webhooks: the seal that keeps subscriptions' signing secrets, and the sender.

**Secrets.** Standard Webhooks signatures are HMAC-SHA256 with the subscription's secret, so
the service needs the secret itself at every delivery: a one-way hash would not do. The secret
is answered once, when the subscription is created, and stored sealed: encrypted with Fernet
(AES-128-CBC and HMAC-SHA256) under ``MULTITRACK_WEBHOOK_SECRET_KEY`` when it is set, so that
a copy of the database alone reveals none; stored as given when it is not (a development
platform), which the service logs at start. No operation answers a stored secret.

**Deliveries** are CloudEvents in HTTP structured mode (``application/cloudevents+json``: the
attributes and the data in one JSON body), POSTed with the ``webhook-id`` (the event's id:
the same for every try and redelivery of one event, so receivers tell repeats),
``webhook-timestamp`` and ``webhook-signature`` headers of Standard Webhooks, signed with the
maintained ``standardwebhooks`` library. Redirects are not followed.
"""

from __future__ import annotations

from datetime import datetime

import httpx
from cloudevents.core.bindings import http as ce_http
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from cryptography.fernet import Fernet
from standardwebhooks.webhooks import Webhook

from multitrack_partners.domain.deliveries import Outcome
from multitrack_partners.domain.subscriptions import ForwardedEvent, Subscription
from multitrack_shared.logging import get_logger

log = get_logger(__name__)

ENCRYPTED = "fernet:"
AS_GIVEN = "plain:"
_FORMAT = JSONFormat()


class FernetSeal:
    """Seals secrets with ``key`` (a Fernet key), or keeps them as given without one."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode()) if key else None

    @property
    def encrypts(self) -> bool:
        return self._fernet is not None

    def seal(self, secret: str) -> str:
        if self._fernet is None:
            return AS_GIVEN + secret
        return ENCRYPTED + self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        if sealed.startswith(ENCRYPTED):
            if self._fernet is None:
                raise RuntimeError("a secret was sealed with a key this service is not given")
            return self._fernet.decrypt(sealed.removeprefix(ENCRYPTED).encode()).decode()
        return sealed.removeprefix(AS_GIVEN)


def structured_body(event: ForwardedEvent) -> tuple[dict[str, str], bytes]:
    """The event in HTTP structured content mode: its headers and body."""
    cloudevent = CloudEvent(
        attributes={
            "id": event.id,
            "type": event.type,
            "source": event.source,
            "subject": event.subject,
            "time": event.time,
            "datacontenttype": "application/json",
        },
        data=event.data,
    )
    message = ce_http.to_structured(cloudevent, _FORMAT)
    return dict(message.headers), message.body


class HttpWebhookSender:
    def __init__(self, seal: FernetSeal, timeout_seconds: float) -> None:
        self._seal = seal
        self._timeout = timeout_seconds

    async def send(
        self, subscription: Subscription, event: ForwardedEvent, attempt_at: datetime
    ) -> Outcome:
        headers, body = structured_body(event)
        signer = Webhook(self._seal.open(subscription.sealed_secret))
        headers |= {
            "webhook-id": event.id,
            "webhook-timestamp": str(int(attempt_at.timestamp())),
            "webhook-signature": signer.sign(event.id, attempt_at, body.decode()),
        }
        try:
            async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client:
                response = await client.post(subscription.sink, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return Outcome(status_code=None, error=f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return Outcome(response.status_code)
        return Outcome(response.status_code, error=f"the sink answered {response.status_code}")
