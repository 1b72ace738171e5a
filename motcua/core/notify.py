"""Messages to citizens through the outbox (SMS, e-mail, Zalo).

`queue_message()` is called inside the business transaction: the row and the delivery task commit
together or not at all. Delivery goes through an adapter chosen by settings; the demo's "outbox" adapter
keeps messages in the local outbox viewer (/staff/outbox/). Real gateways implement `Adapter.send`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.core.models import OutboundMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@dataclass
class DeliveryResult:
    ok: bool
    provider_ref: str = ""
    error: str = ""


class Adapter:
    def send(self, message: OutboundMessage) -> DeliveryResult:  # pragma: no cover - interface
        raise NotImplementedError


class LocalOutboxAdapter(Adapter):
    """Demo/development gateway: the message stays in the outbox viewer, marked sent."""

    def send(self, message: OutboundMessage) -> DeliveryResult:
        return DeliveryResult(ok=True, provider_ref=f"local-{uuid.uuid4().hex[:12]}")


class DjangoEmailAdapter(Adapter):
    """E-mail through Django's configured backend (SMTP in production)."""

    def send(self, message: OutboundMessage) -> DeliveryResult:
        send_mail(message.subject or "motcua", message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
        return DeliveryResult(ok=True, provider_ref="smtp")


ADAPTERS = {
    "outbox": "motcua.core.notify.LocalOutboxAdapter",
    "email": "motcua.core.notify.DjangoEmailAdapter",
}


def adapter_for(channel: str) -> Adapter:
    name = getattr(settings, f"MOTCUA_{channel.upper()}_ADAPTER", None) or "outbox"
    return import_string(ADAPTERS.get(name, name))()


def queue_message(
    *,
    key: str,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    unit_id: int | None = None,
    obj=None,
) -> OutboundMessage | None:
    """Queue one message, once per `key`. Returns None when there is no recipient."""
    if not recipient:
        return None
    message, created = OutboundMessage.objects.get_or_create(
        key=key,
        defaults={
            "channel": channel,
            "recipient": recipient,
            "body": body,
            "subject": subject,
            "unit_id": unit_id,
            "object_type": f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
        },
    )
    if created:
        from motcua.core.tasks import deliver_message

        pk = message.pk
        transaction.on_commit(lambda: deliver_message.enqueue(pk))
    return message


def deliver(message_id: int) -> str:
    """Send one pending message. Safe to call again: a sent message is never sent twice."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboundMessage.Status.PENDING:
            return "skipped"
        message.attempts += 1
        try:
            result = adapter_for(message.channel).send(message)
        except Exception as exc:  # the gateway failed: keep the message pending for a retry
            result = DeliveryResult(ok=False, error=str(exc)[:500])
        if result.ok:
            message.status = OutboundMessage.Status.SENT
            message.sent_at = timezone.now()
            message.provider_ref = result.provider_ref
        else:
            message.last_error = result.error
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboundMessage.Status.FAILED
        message.save()
        return message.status


def retry_pending() -> int:
    """Periodic sweep: enqueue delivery of messages still pending (worker crash, gateway outage)."""
    from motcua.core.tasks import deliver_message

    count = 0
    for pk in OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).values_list(
        "pk", flat=True
    )[:500]:
        deliver_message.enqueue(pk)
        count += 1
    return count
