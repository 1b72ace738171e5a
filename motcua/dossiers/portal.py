"""National portal sync: every status change becomes one message with the portal's code (1-10).

The message row is written in the transaction that changed the status (outbox) with a per-dossier
sequence number and a message id. After commit a task pushes the dossier's pending messages in order;
a failure stops the push for that dossier (order is kept) and a periodic sweep retries with backoff.
The portal deduplicates by message id, so a retry after a crash between "sent" and "marked sent" is
harmless. `MOTCUA_NATIONAL_PORTAL_URL` empty disables the sync.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from motcua.dossiers.models import PORTAL_CODES, Dossier, PortalMessage

logger = logging.getLogger(__name__)
TIMEOUT = 10
BACKOFF = [0, 30, 120, 600, 1800, 3600]


def enabled() -> bool:
    return bool(settings.MOTCUA_NATIONAL_PORTAL_URL)


def queue_status(dossier: Dossier, *, enqueue: bool = True) -> PortalMessage | None:
    """Write the outbox row for the dossier's current status (caller holds the dossier lock).

    Returns the message (None when the sync is off). `enqueue=False`: the caller enqueues the push
    after commit itself (the dossier services send one task per transaction for all its outboxes).
    A dossier created in this transaction carries `_portal_last_seq = 0`, which saves the MAX(seq)
    query; the attribute then follows the messages written through this instance.
    """
    if not enabled():
        return None
    last = dossier._portal_last_seq
    if last is None:
        last = PortalMessage.objects.filter(dossier=dossier).aggregate(m=Max("seq"))["m"] or 0
    message = PortalMessage(
        dossier=dossier, seq=last + 1, status_code=PORTAL_CODES[dossier.status], payload={}
    )
    message.payload = {
        "message_id": str(message.message_id),
        "dossier_code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "seq": message.seq,
        "status_code": message.status_code,
        "status": dossier.status,
        "changed_at": timezone.now().isoformat(),
        "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "agency": dossier.receiving_unit.agency_identifier or dossier.receiving_unit.code,
    }
    message.save(force_insert=True)
    dossier._portal_last_seq = message.seq
    if enqueue:
        dossier_id = dossier.pk
        transaction.on_commit(lambda: _enqueue(dossier_id))
    return message


def _enqueue(dossier_id: int) -> None:
    from motcua.dossiers.tasks import push_portal  # a cycle: the tasks import the services, which import us

    push_portal.enqueue(dossier_id)


def post(url: str, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": payload["message_id"],
            "X-Client-Id": settings.MOTCUA_CLIENT_ID,
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - configured URL
        if response.status >= 300:
            raise urllib.error.HTTPError(url, response.status, "unexpected status", response.headers, None)


def push(dossier_id: int) -> int:
    """Send the dossier's pending messages in order. Returns how many were sent. Idempotent.

    The HTTP call is made outside any transaction: the message is leased in one short transaction
    (so a second worker waits instead of sending it in parallel) and marked sent or failed in another.
    No row lock is held while the portal answers (or times out)."""
    if not enabled():
        return 0
    url = settings.MOTCUA_NATIONAL_PORTAL_URL
    sent = 0
    while True:
        message = _lease(dossier_id)
        if message is None:
            return sent
        try:
            post(url, message.payload)
        except Exception as exc:  # noqa: BLE001 - any failure: keep it pending, retry later, keep order
            delay = BACKOFF[min(message.attempts, len(BACKOFF) - 1)]
            type(message).objects.filter(pk=message.pk).update(
                last_error=str(exc)[:500], next_attempt_at=timezone.now() + dt.timedelta(seconds=delay)
            )
            logger.warning("national portal push failed for dossier %s: %s", dossier_id, exc)
            return sent
        type(message).objects.filter(pk=message.pk).update(
            state=message.State.SENT, sent_at=timezone.now(), next_attempt_at=None
        )
        sent += 1


LEASE_SECONDS = 3 * TIMEOUT


@transaction.atomic
def _lease(dossier_id: int) -> PortalMessage | None:
    """The dossier's first pending message, if it is due, leased for LEASE_SECONDS (one attempt more).

    Only the first pending message is ever sent, so order holds: while it is leased or backing off,
    nothing after it goes."""
    message = (
        PortalMessage.objects.select_for_update()
        .filter(dossier_id=dossier_id, state=PortalMessage.State.PENDING)
        .order_by("seq")
        .first()
    )
    if message is None:
        return None
    moment = timezone.now()
    if message.next_attempt_at and message.next_attempt_at > moment:
        return None
    message.attempts += 1
    message.next_attempt_at = moment + dt.timedelta(seconds=LEASE_SECONDS)
    message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def retry_pending(limit: int = 500) -> int:
    """Periodic sweep: push every dossier that still has messages waiting (worker crash, portal outage)."""
    if not enabled():
        return 0
    ids = (
        PortalMessage.objects.filter(state=PortalMessage.State.PENDING)
        .values_list("dossier_id", flat=True)
        .distinct()[:limit]
    )
    total = 0
    for dossier_id in list(ids):
        total += push(dossier_id)
    return total
