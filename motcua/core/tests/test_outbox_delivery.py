"""Exactly-once delivery of citizens' messages: leases instead of locks held across the gateway call, backoff
per message, a sweep that leaves leased messages alone, and the idempotency key every retry carries, which
the gateway honours (issue 13 item 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.checks import Error
from django.test import override_settings
from django.utils import timezone

from motcua.core import checks, notify
from motcua.core.fakesms import FakeSmsGateway
from motcua.core.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway() -> Iterator[FakeSmsGateway]:
    fake = FakeSmsGateway(token="t0k3n").start()
    with override_settings(
        MOTCUA_SMS_ADAPTER="http-sms", MOTCUA_SMS_GATEWAY_URL=fake.url, MOTCUA_SMS_GATEWAY_TOKEN="t0k3n"
    ):
        yield fake
    fake.stop()


def _queue(key: str, **kw: Any) -> OutboundMessage:
    message = notify.queue_message(key=key, channel="sms", recipient="0901234567", body="Mã: 123456", **kw)
    assert message is not None
    return message


def _expire_lease(message: OutboundMessage) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


def test_the_gateway_receives_the_text_the_key_and_the_token(gateway: FakeSmsGateway) -> None:
    message = _queue("otp:1", secret="123456")
    assert notify.deliver(message.pk) == "sent"
    assert gateway.delivered == [
        {"key": "otp:1", "to": "0901234567", "text": "Mã: 123456", "ref": gateway.delivered[0]["ref"]}
    ]
    message.refresh_from_db()
    assert message.provider_ref == gateway.delivered[0]["ref"] and message.secret == ""
    assert message.lease_until is None


def test_a_worker_killed_after_the_gateway_accepted_does_not_send_twice(gateway: FakeSmsGateway) -> None:
    message = _queue("receipt:7")
    claimed = notify.claim(message.pk)
    assert claimed is not None
    notify.adapter_for("sms").send(claimed)  # the gateway took it; then the worker was killed (kill -9)
    # while the lease runs, neither a duplicate task nor the sweep touches it
    assert notify.deliver(message.pk) == "skipped"
    assert message.pk not in _swept()
    _expire_lease(message)
    assert message.pk in _swept()
    assert (
        notify.deliver(message.pk) == "sent"
    )  # the retry carries the same key: the gateway answers "duplicate"
    assert gateway.requests == 2 and gateway.keys() == ["receipt:7"]
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2


def test_a_late_worker_does_not_overwrite_the_outcome_of_the_one_that_took_over(
    gateway: FakeSmsGateway,
) -> None:
    message = _queue("late:1")
    first = notify.claim(message.pk)
    assert first is not None
    _expire_lease(message)
    assert notify.deliver(message.pk) == "sent"  # the second worker delivered it
    # the first worker wakes up with an error and tries to record it: its claim is gone, nothing changes
    OutboundMessage.objects.filter(pk=message.pk, status="pending", attempts=first.attempts).update(
        status="failed"
    )
    message.refresh_from_db()
    assert message.status == "sent" and gateway.keys() == ["late:1"]


def test_an_outage_backs_off_per_message_then_delivers_once(gateway: FakeSmsGateway) -> None:
    message = _queue("outage:1")
    gateway.fail_next(2)
    before = timezone.now()
    assert notify.deliver(message.pk) == "pending"
    message.refresh_from_db()
    assert message.next_attempt_at is not None
    assert message.next_attempt_at >= before + notify.backoff(1)
    assert "503" in message.last_error
    assert notify.deliver(message.pk) == "skipped" and message.pk not in _swept()
    for attempt in (2, 3):
        OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert message.pk in _swept()
        assert notify.deliver(message.pk) == ("pending" if attempt == 2 else "sent")
    assert gateway.keys() == ["outage:1"] and gateway.requests == 3
    assert notify.backoff(1) < notify.backoff(2) < notify.backoff(5) == notify.backoff(9)


def test_a_message_is_given_up_after_the_last_attempt(gateway: FakeSmsGateway) -> None:
    message = _queue("dead:1", secret="123456")
    gateway.fail_next(100)
    for _ in range(notify.MAX_ATTEMPTS):
        OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        notify.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == "failed" and message.secret == "" and gateway.keys() == []
    assert notify.deliver(message.pk) == "skipped"


def test_the_http_gateway_needs_its_url() -> None:
    with override_settings(MOTCUA_SMS_ADAPTER="http-sms", MOTCUA_SMS_GATEWAY_URL=""):
        errors = checks.adapter_errors()
    assert [e.msg for e in errors if isinstance(e, Error)] == [
        "MOTCUA_SMS_ADAPTER=http-sms needs MOTCUA_SMS_GATEWAY_URL (http or https)"
    ]


def _swept() -> list[int]:
    return notify.due_ids()
