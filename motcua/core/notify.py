"""Messages to citizens through the outbox (SMS, e-mail, Zalo).

`queue_message()` is called inside the business transaction: the row and the delivery task commit
together or not at all. Delivery goes through an adapter chosen by settings (`MOTCUA_<CHANNEL>_ADAPTER`);
the demo's "outbox" adapter keeps messages in the local outbox viewer (/staff/outbox/, routed only when
`MOTCUA_OUTBOX_VIEWER` is on). Real gateways implement `Adapter.send` and read `message_text(message)`.

Secrets (one-time codes, signed links) never sit in a readable column: the caller passes them as
`secret=`, the stored body carries `SECRET_MASK` in their place, and the secret itself is kept sealed
(Fernet, key derived from SECRET_KEY) only until delivery ends, when it is erased. Staff pages, the admin
and the API only ever see the masked body.
"""

from __future__ import annotations

import abc
import base64
import datetime as dt
import hashlib
import json
import logging
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.core.models import DemoPhoneMessage, OutboundMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
SECRET_MASK = "••••••"  # noqa: S105 - the mask shown instead of a secret, not a secret


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"motcua.notify.secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def text_for(obj: Any) -> str:
    """The delivered-or-pending text of the message queued for `obj` (the demo's simulated phone)."""
    message = OutboundMessage.objects.filter(
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
    ).first()
    return message_text(message) if message else ""


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def message_text(message: OutboundMessage) -> str:
    """The text to hand to the gateway: the stored body with the sealed secret put back in.

    After delivery (or for a message queued without a secret) this is the masked body.
    """
    if not message.secret:
        return message.body
    try:
        secret = _fernet().decrypt(message.secret.encode()).decode()
    except InvalidToken:  # SECRET_KEY rotated while the message waited: it cannot be completed
        return message.body
    return message.body.replace(SECRET_MASK, secret)


@dataclass
class DeliveryResult:
    ok: bool
    provider_ref: str = ""
    error: str = ""


class ChannelDisabled(Exception):
    """The channel has no gateway in this installation: the message fails at once (no retries)."""


class Adapter(abc.ABC):
    """A message gateway (SMS provider, SMTP, Zalo OA)."""

    @abc.abstractmethod
    def send(self, message: OutboundMessage) -> DeliveryResult: ...


def is_demo_number(phone: str) -> bool:
    """A number of the demo's phone (`MOTCUA_DEMO_PHONE_NUMBERS`: numbers, or prefixes ending in `*`)."""
    if not settings.MOTCUA_DEMO_PHONE:
        return False
    for entry in settings.MOTCUA_DEMO_PHONE_NUMBERS:
        if entry.endswith("*") and phone.startswith(entry[:-1]) or phone == entry:
            return True
    return False


def demo_number_labels() -> list[str]:
    """The demo numbers as the pages show them (a prefix `0900000*` reads `0900000xxx`)."""
    return [
        entry[:-1] + "x" * (10 - len(entry) + 1) if entry.endswith("*") else entry
        for entry in settings.MOTCUA_DEMO_PHONE_NUMBERS
    ]


class LocalOutboxAdapter(Adapter):
    """Demo/development gateway: the message stays in the outbox viewer, marked sent.

    With the demo phone on, an SMS or Zalo message to a demo number also lands, in full, in that number's
    demo inbox (`DemoPhoneMessage`), as it would on the citizen's phone.
    """

    def send(self, message: OutboundMessage) -> DeliveryResult:
        if message.channel != OutboundMessage.Channel.EMAIL and is_demo_number(message.recipient):
            DemoPhoneMessage.objects.create(
                recipient=message.recipient, channel=message.channel, body=message_text(message)
            )
        return DeliveryResult(ok=True, provider_ref=f"local-{uuid.uuid4().hex[:12]}")


class DjangoEmailAdapter(Adapter):
    """E-mail through Django's configured backend (SMTP in production)."""

    def send(self, message: OutboundMessage) -> DeliveryResult:
        send_mail(
            message.subject or "motcua",
            message_text(message),
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
        )
        return DeliveryResult(ok=True, provider_ref="smtp")


class HttpSmsAdapter(Adapter):
    """An SMS brandname gateway over HTTP: `POST MOTCUA_SMS_GATEWAY_URL` with JSON `{to, text, sender}`, a bearer
    token and the message key as `Idempotency-Key`, so a retry after a crash is not a second SMS.
    (`motcua.core.fakesms` is the local gateway that speaks it.)"""

    def send(self, message: OutboundMessage) -> DeliveryResult:
        url = settings.MOTCUA_SMS_GATEWAY_URL
        if not url.startswith(("http://", "https://")):
            raise ChannelDisabled("MOTCUA_SMS_GATEWAY_URL is not an http(s) URL")
        body = json.dumps(
            {"to": message.recipient, "text": message_text(message), "sender": settings.MOTCUA_SMS_SENDER},
            ensure_ascii=False,
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.MOTCUA_SMS_GATEWAY_TOKEN}",
                "Idempotency-Key": message.key,
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - checked above
            answer = json.loads(response.read().decode("utf-8") or "{}")
        return DeliveryResult(ok=True, provider_ref=str(answer.get("ref", ""))[:100])


class DisabledAdapter(Adapter):
    """A channel the installation has no gateway for: the message is marked failed, never "sent"."""

    def send(self, message: OutboundMessage) -> DeliveryResult:
        raise ChannelDisabled(f"channel {message.channel} has no gateway (adapter 'disabled')")


ADAPTERS = {
    "outbox": "motcua.core.notify.LocalOutboxAdapter",
    "email": "motcua.core.notify.DjangoEmailAdapter",
    "http-sms": "motcua.core.notify.HttpSmsAdapter",
    "disabled": "motcua.core.notify.DisabledAdapter",
}
# Adapters that keep messages on this server: never acceptable in production.
LOCAL_ADAPTERS = {"outbox"}


def adapter_setting(channel: str) -> str:
    """The configured adapter name of a channel."""
    return {
        "sms": settings.MOTCUA_SMS_ADAPTER,
        "email": settings.MOTCUA_EMAIL_ADAPTER,
        "zalo": settings.MOTCUA_ZALO_ADAPTER,
    }[channel]


def adapter_for(channel: str) -> Adapter:
    name = adapter_setting(channel)
    adapter: Adapter = import_string(ADAPTERS.get(name, name))()
    return adapter


def _build(
    *,
    key: str,
    channel: str,
    recipient: str,
    body: str,
    subject: str,
    unit_id: int | None,
    obj,
    secret: str = "",
) -> OutboundMessage:
    if secret:
        if secret not in body:
            raise ValueError("the secret must appear in the message body")
        body = body.replace(secret, SECRET_MASK)
    return OutboundMessage(
        key=key,
        channel=channel,
        recipient=recipient,
        body=body,
        secret=seal(secret) if secret else "",
        subject=subject,
        unit_id=unit_id,
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )


def _insert_new(messages: list[OutboundMessage]) -> list[OutboundMessage]:
    """INSERT every message in one statement; a key that already exists is skipped (ON CONFLICT DO
    NOTHING). Sets the primary key of the rows written and returns them. PostgreSQL and SQLite 3.35+."""
    if not messages:
        return []
    fields = [f for f in OutboundMessage._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    rows: list[str] = []
    params: list[Any] = []
    for message in messages:
        rows.append("(" + ", ".join(["%s"] * len(fields)) + ")")
        params.extend(f.get_db_prep_save(f.pre_save(message, True), connection) for f in fields)
    sql = (
        f"INSERT INTO {quote(OutboundMessage._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES {', '.join(rows)} ON CONFLICT ({quote('key')}) DO NOTHING RETURNING {quote('id')}, {quote('key')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = {key: pk for pk, key in cursor.fetchall()}
    created: list[OutboundMessage] = []
    for message in messages:
        if message.key in ids and message.pk is None:
            message.pk = ids.pop(message.key)
            message._state.adding = False
            message._state.db = connection.alias
            created.append(message)
    return created


class MessageBatch:
    """The messages of one business action, written with ONE insert instead of one per message.

    `queue_message(..., batch=b)` only collects; `b.write()` inserts them (inside the caller's
    transaction) and returns the ids of the rows created. Delivery is then the caller's job: enqueue a
    task on commit that calls `deliver()` for each id (one task per action instead of one per message).
    """

    def __init__(self) -> None:
        self.messages: list[OutboundMessage] = []

    def add(self, message: OutboundMessage) -> None:
        self.messages.append(message)

    def write(self) -> list[int]:
        pending, self.messages = self.messages, []
        return [m.pk for m in _insert_new(pending)]


def queue_message(
    *,
    key: str,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    unit_id: int | None = None,
    obj: Any = None,
    batch: MessageBatch | None = None,
    secret: str = "",
) -> OutboundMessage | None:
    """Queue one message, once per `key`. Returns None when there is no recipient.

    `secret` (a one-time code, a signed link) must occur in `body`; it is stored masked and sealed and
    erased when delivery ends (see the module docstring). With `batch`, the (unsaved) message is only
    collected: see `MessageBatch`.
    """
    if not recipient:
        return None
    message = _build(
        key=key,
        channel=channel,
        recipient=recipient,
        body=body,
        subject=subject,
        unit_id=unit_id,
        obj=obj,
        secret=secret,
    )
    if batch is not None:
        batch.add(message)
        return message
    if not _insert_new([message]):  # the key exists: that message was queued (and enqueued) before
        return OutboundMessage.objects.get(key=key)
    from motcua.core.tasks import deliver_message  # a cycle: the tasks import this module

    pk = message.pk
    transaction.on_commit(lambda: deliver_message.enqueue(pk))
    return message


# Delivery is claimed with a lease instead of a row lock held across the gateway call: a claim is one short
# UPDATE, the gateway is called outside any transaction, the outcome is a second UPDATE guarded by the claim.
# A worker killed mid-send leaves the message pending with a lease that expires; the sweep then retries it
# with the SAME idempotency key (the message `key`), which every gateway adapter passes on and every gateway
# (and our fakes) honours, so the citizen receives it exactly once.
LEASE_SECONDS = 60
BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after `attempts` failed ones (per message)."""
    return dt.timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


def _due(moment: dt.datetime) -> Q:
    return Q(status=OutboundMessage.Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=moment)
    ) & (Q(lease_until__isnull=True) | Q(lease_until__lt=moment))


def claim(message_id: int) -> OutboundMessage | None:
    """Take the lease on a due pending message (one attempt more), or None if it is not due or is leased."""
    moment = timezone.now()
    claimed = OutboundMessage.objects.filter(_due(moment), pk=message_id).update(
        lease_until=moment + dt.timedelta(seconds=LEASE_SECONDS), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return OutboundMessage.objects.get(pk=message_id)


def deliver(message_id: int) -> str:
    """Send one pending message. Safe to call again and from several workers: a message is attempted by one
    worker at a time, and a sent one is never sent again."""
    message = claim(message_id)
    if message is None:
        return "skipped"
    final = False
    try:
        result = adapter_for(message.channel).send(message)
    except ChannelDisabled as exc:
        result, final = DeliveryResult(ok=False, error=str(exc)), True
    except Exception as exc:  # noqa: BLE001 - any gateway failure keeps the message pending for a retry
        result = DeliveryResult(ok=False, error=str(exc)[:500])
    moment = timezone.now()
    changes: dict[str, Any] = {"lease_until": None}
    if result.ok:
        changes |= {"status": OutboundMessage.Status.SENT, "sent_at": moment, "provider_ref": result.provider_ref}
    elif final or message.attempts >= MAX_ATTEMPTS:
        changes |= {"status": OutboundMessage.Status.FAILED, "last_error": result.error}
    else:
        changes |= {"last_error": result.error, "next_attempt_at": moment + backoff(message.attempts)}
    if changes.get("status"):
        changes["secret"] = ""  # delivered or given up: the secret is not kept
    # Guarded by the claim: a worker whose lease ran out (and was taken over) does not overwrite the outcome.
    OutboundMessage.objects.filter(
        pk=message.pk, status=OutboundMessage.Status.PENDING, attempts=message.attempts
    ).update(**changes)
    return str(changes.get("status", OutboundMessage.Status.PENDING))


def due_ids(limit: int = 500) -> list[int]:
    """Pending messages whose next attempt is due and whose lease (if any) has run out, oldest first."""
    return list(
        OutboundMessage.objects.filter(_due(timezone.now()))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def retry_pending(limit: int = 500) -> int:
    """Periodic sweep: enqueue delivery of due messages (worker crash, gateway outage). A message being
    delivered right now (leased) or backing off is left alone."""
    from motcua.core.tasks import deliver_message  # a cycle: the tasks import this module

    ids = due_ids(limit)
    for pk in ids:
        deliver_message.enqueue(pk)
    return len(ids)
