"""The Zalo OA channel: the signature is checked before anything else (bad or missing: refused, nothing
stored); a good event gets its reply through the (fake) Zalo API; an outage keeps the reply in the outbox
until it is delivered, once."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.test import Client

from motcua.assistant import zalo
from motcua.assistant.management.commands.fake_zalo import serve
from motcua.assistant.models import Conversation, Message
from motcua.core import notify
from motcua.core.models import AuditEntry, OutboundMessage

URL = "/zalo/webhook/"


@pytest.fixture
def fake_zalo(settings):
    server, fake = serve(0, "test-token")
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ASSISTANT_ZALO_API_URL = f"http://127.0.0.1:{port}"
    settings.ASSISTANT_ZALO_ACCESS_TOKEN = "test-token"
    settings.ASSISTANT_ZALO_APP_ID = "app-1"
    settings.ASSISTANT_ZALO_OA_SECRET = "oa-secret"
    settings.ASSISTANT_ZALO_ENABLED = True
    settings.MOTCUA_ZALO_ADAPTER = "motcua.assistant.zalo.ZaloOAAdapter"
    yield fake
    server.shutdown()
    server.server_close()


def event(
    text: str, *, user: str = "zalo-user-1", msg_id: str = "m1", timestamp: str | None = None
) -> tuple[bytes, str]:
    ts = timestamp or str(int(time.time() * 1000))
    body = {
        "app_id": "app-1",
        "event_name": "user_send_text",
        "timestamp": ts,
        "sender": {"id": user},
        "recipient": {"id": "oa-1"},
        "message": {"text": text, "msg_id": msg_id},
    }
    return json.dumps(body, ensure_ascii=False).encode(), ts


def post(raw: bytes, signature: str | None):
    headers = {"HTTP_X_ZEVENT_SIGNATURE": signature} if signature is not None else {}
    return Client().post(URL, raw, content_type="application/json", **headers)


def stored() -> tuple[int, int, int, int]:
    return (
        Conversation.objects.count(),
        Message.objects.count(),
        OutboundMessage.objects.count(),
        AuditEntry.objects.count(),
    )


def test_signature_is_sha256_of_app_id_body_timestamp_and_secret(settings):
    settings.ASSISTANT_ZALO_APP_ID, settings.ASSISTANT_ZALO_OA_SECRET = "a", "s"
    import hashlib

    assert zalo.signature(b"{}", "123") == "mac=" + hashlib.sha256(b"a{}123s").hexdigest()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signature", "status", "code"),
    [
        (None, 401, "missing_signature"),
        ("", 401, "missing_signature"),
        ("sha256=abc", 401, "missing_signature"),
        ("mac=" + "0" * 64, 403, "bad_signature"),
        ("wrong-secret", 403, "bad_signature"),
        ("other-body", 403, "bad_signature"),
        ("stale", 403, "stale_event"),
    ],
)
def test_bad_or_missing_signature_is_refused_and_nothing_is_stored(
    knowledge, fake_zalo, signature, status, code
):
    raw, ts = event("làm giấy khai sinh cần gì")
    if signature == "wrong-secret":
        signature = zalo.signature(raw, ts, secret="not-the-secret")
    elif signature == "other-body":
        signature = zalo.signature(raw.replace(b"khai", b"KHAI"), ts)
    elif signature == "stale":
        old = str(int((time.time() - 3600) * 1000))
        raw, ts = event("làm giấy khai sinh cần gì", timestamp=old)
        signature = zalo.signature(raw, ts)
    before = stored()
    response = post(raw, signature)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert stored() == before
    assert fake_zalo.messages == []


@pytest.mark.django_db
def test_a_signed_question_is_answered_through_the_zalo_api(knowledge, fake_zalo):
    raw, ts = event("dk tam tru mat bao nhieu tien", msg_id="msg-42")
    response = post(raw, zalo.signature(raw, ts))
    assert response.status_code == 200
    conversation = Conversation.objects.get(channel="zalo", external_user="zalo-user-1")
    reply = conversation.messages.get(sender="assistant")
    message = OutboundMessage.objects.get(key=f"assistant:zalo:{reply.pk}")
    assert message.recipient == "zalo-uid:zalo-user-1" and message.status == "pending"
    assert notify.deliver(message.pk) == "sent"
    assert len(fake_zalo.messages) == 1
    sent = fake_zalo.messages[0]
    assert sent["user_id"] == "zalo-user-1"
    assert "Đăng ký tạm trú (mã 1.004194)" in sent["text"] and "10.000 đồng" in sent["text"]
    # Zalo retries the same event: answered once, sent once.
    assert post(raw, zalo.signature(raw, ts)).status_code == 200
    assert conversation.messages.count() == 2
    assert notify.deliver(message.pk) == "skipped"
    assert len(fake_zalo.messages) == 1


@pytest.mark.django_db
def test_a_zalo_outage_keeps_the_reply_in_the_outbox_until_delivered_once(knowledge, fake_zalo):
    raw, ts = event("đăng ký kết hôn cần giấy tờ gì", msg_id="msg-7")
    assert post(raw, zalo.signature(raw, ts)).status_code == 200
    message = OutboundMessage.objects.get(channel="zalo")
    fake_zalo.down = True
    assert notify.deliver(message.pk) == "pending"
    assert notify.deliver(message.pk) == "skipped"  # backing off: not retried before its time
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)  # the wait has passed
    assert notify.deliver(message.pk) == "pending"
    message.refresh_from_db()
    assert message.attempts == 2 and "Zalo" in message.last_error
    assert fake_zalo.messages == []
    fake_zalo.down = False
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    assert notify.deliver(message.pk) == "sent"
    assert notify.deliver(message.pk) == "skipped"
    assert notify.retry_pending() == 0
    assert len(fake_zalo.messages) == 1
    assert "1.000894" in fake_zalo.messages[0]["text"]


@pytest.mark.django_db
def test_url_verification_page(settings):
    settings.ASSISTANT_ZALO_VERIFIER = "abc123"
    page = Client().get(URL)
    assert page.status_code == 200
    assert '<meta name="zalo-platform-site-verification" content="abc123" />' in page.content.decode()


@pytest.mark.django_db
def test_an_officer_answer_to_a_zalo_hand_over_goes_back_through_zalo(
    knowledge, fake_zalo, make_staff, ward_a
):
    from motcua.assistant import services
    from motcua.org.models import Role

    raw, ts = event("giá vàng hôm nay bao nhiêu", msg_id="msg-9")
    assert post(raw, zalo.signature(raw, ts)).status_code == 200
    handover = Conversation.objects.get(channel="zalo").handovers.get()
    services.resolve_handover(
        handover,
        actor=make_staff(Role.DESK_OFFICER, ward_a),
        reply="Phường không có thông tin này.",
        guide=None,
        procedure_code="1.001193",
    )
    for message in OutboundMessage.objects.filter(channel="zalo").order_by("pk"):
        assert notify.deliver(message.pk) == "sent"
    assert [m["text"].split("\n")[0] for m in fake_zalo.messages][-1] == "Phường không có thông tin này."
