"""Zalo Official Account: webhook signatures, the customer-service message API and the outbox adapter.

Zalo signs every webhook event with the header `X-ZEvent-Signature: mac=<hex>`, where the hex is
SHA-256 of app id + raw request body + the event's `timestamp` + the OA secret key. `verify()` checks it
before anything else is done with the request. Replies leave through the outbox (`core.notify`) on the
`zalo` channel with the recipient `zalo-uid:<user id>`; `ZaloOAAdapter` sends them with the OA
customer-service message API (`POST /v3.0/oa/message/cs`, header `access_token`). A Zalo outage raises, so
the message stays pending and is retried until delivered once. Other `zalo` recipients (phone numbers:
dossier notices) go to the adapter named by ASSISTANT_ZALO_PHONE_ADAPTER (the local outbox in the demo,
`disabled` in production until a ZNS gateway is configured).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.core import notify
from motcua.core.models import OutboundMessage

RECIPIENT_PREFIX = "zalo-uid:"
SEND_PATH = "/v3.0/oa/message/cs"
TIMEOUT = 5.0
MAX_TEXT = 2000  # Zalo's limit for a text message


def signature(
    raw_body: bytes, timestamp: str, *, app_id: str | None = None, secret: str | None = None
) -> str:
    app = settings.ASSISTANT_ZALO_APP_ID if app_id is None else app_id
    key = settings.ASSISTANT_ZALO_OA_SECRET if secret is None else secret
    digest = hashlib.sha256(app.encode() + raw_body + timestamp.encode() + key.encode()).hexdigest()
    return f"mac={digest}"


@dataclass
class Verdict:
    ok: bool
    status: int = 200
    code: str = ""
    event: dict[str, Any] | None = None


def verify(raw_body: bytes, header: str | None, *, now: float | None = None) -> Verdict:
    """Check an event's signature and age; nothing else may happen before this says ok."""
    if not settings.ASSISTANT_ZALO_ENABLED or not settings.ASSISTANT_ZALO_OA_SECRET:
        return Verdict(False, 404, "zalo_disabled")
    if not header or not header.startswith("mac="):
        return Verdict(False, 401, "missing_signature")
    try:
        event = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Verdict(False, 403, "bad_signature")
    if not isinstance(event, dict):
        return Verdict(False, 403, "bad_signature")
    timestamp = str(event.get("timestamp", ""))
    expected = signature(raw_body, timestamp)
    if not hmac.compare_digest(expected.encode(), header.strip().lower().encode()):
        return Verdict(False, 403, "bad_signature")
    if str(event.get("app_id", settings.ASSISTANT_ZALO_APP_ID)) != settings.ASSISTANT_ZALO_APP_ID:
        return Verdict(False, 403, "bad_signature")
    try:
        sent = int(timestamp) / 1000
    except ValueError:
        return Verdict(False, 403, "bad_signature")
    if abs((now if now is not None else time.time()) - sent) > settings.ASSISTANT_ZALO_MAX_AGE:
        return Verdict(False, 403, "stale_event")
    return Verdict(True, event=event)


class ZaloError(Exception):
    """Zalo did not accept the message (outage, bad token): the outbox keeps it pending."""


def send_text(user_id: str, text: str) -> str:
    """Send one customer-service text; returns Zalo's message id."""
    body = json.dumps(
        {"recipient": {"user_id": user_id}, "message": {"text": text[:MAX_TEXT]}}, ensure_ascii=False
    ).encode()
    url = settings.ASSISTANT_ZALO_API_URL.rstrip("/") + SEND_PATH
    if not url.startswith(("http://", "https://")):
        raise ZaloError("ASSISTANT_ZALO_API_URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "access_token": settings.ASSISTANT_ZALO_ACCESS_TOKEN},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read().decode("utf-8") or "{}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ZaloError(f"Zalo unreachable: {exc}") from exc
    if answer.get("error", -1) != 0:
        raise ZaloError(f"Zalo refused: {answer.get('error')} {answer.get('message', '')}")
    return str((answer.get("data") or {}).get("message_id", ""))


class ZaloOAAdapter(notify.Adapter):
    """The `zalo` channel's gateway: OA customer-service messages to Zalo user ids."""

    def send(self, message: OutboundMessage) -> notify.DeliveryResult:
        if not message.recipient.startswith(RECIPIENT_PREFIX):
            name = settings.ASSISTANT_ZALO_PHONE_ADAPTER
            adapter: notify.Adapter = import_string(notify.ADAPTERS.get(name, name))()
            return adapter.send(message)
        ref = send_text(message.recipient[len(RECIPIENT_PREFIX) :], notify.message_text(message))
        return notify.DeliveryResult(ok=True, provider_ref=f"zalo-{ref}")
