"""The outbox: queued with the business transaction, delivered once, retried after a gateway failure."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from motcua.core import notify
from motcua.core.models import OutboundMessage


class FlakyAdapter(notify.Adapter):
    calls = 0

    def send(self, message):
        FlakyAdapter.calls += 1
        if FlakyAdapter.calls == 1:
            raise ConnectionError("gateway down")
        return notify.DeliveryResult(ok=True, provider_ref="flaky-ok")


@pytest.mark.django_db
def test_message_is_queued_once_per_key_and_delivered_once(django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = notify.queue_message(
            key="dossier:1:received", channel="sms", recipient="0901234567", body="Hồ sơ đã được tiếp nhận"
        )
        again = notify.queue_message(
            key="dossier:1:received", channel="sms", recipient="0901234567", body="Hồ sơ đã được tiếp nhận"
        )
    assert first.pk == again.pk and len(callbacks) == 1
    run_tasks()
    first.refresh_from_db()
    assert first.status == "sent" and first.attempts == 1 and first.provider_ref.startswith("local-")
    # a retried delivery (worker restart, duplicate task) sends nothing more
    assert notify.deliver(first.pk) == "skipped"
    first.refresh_from_db()
    assert first.attempts == 1


@pytest.mark.django_db
def test_rolled_back_transaction_leaves_no_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify.queue_message(key="dossier:2:received", channel="sms", recipient="0901", body="x")
                raise RuntimeError("failure inside the business action")
    assert not OutboundMessage.objects.filter(key="dossier:2:received").exists()
    assert callbacks == []


@pytest.mark.django_db
def test_gateway_failure_keeps_the_message_pending_for_retry():
    notify.ADAPTERS["flaky"] = "motcua.core.tests.test_notify.FlakyAdapter"
    FlakyAdapter.calls = 0
    with override_settings(MOTCUA_SMS_ADAPTER="flaky"):
        message = notify.queue_message(key="k-flaky", channel="sms", recipient="0902", body="x")
        assert notify.deliver(message.pk) == "pending"
        message.refresh_from_db()
        assert message.last_error == "gateway down" and message.attempts == 1
        # it backs off before the next attempt; once that time has come the sweep takes it up
        assert notify.deliver(message.pk) == "skipped"
        OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert notify.retry_pending() >= 1
        assert notify.deliver(message.pk) == "sent"


def test_no_recipient_no_message(db):
    assert notify.queue_message(key="k-empty", channel="sms", recipient="", body="x") is None


def test_longest_valid_email_address_fits_the_outbox(db):
    address = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "vn"  # 64 + 1 + 185 + 2 = 252 characters
    message = notify.queue_message(key="k-long", channel="email", recipient=address, body="x")
    message.refresh_from_db()
    assert message.recipient == address
