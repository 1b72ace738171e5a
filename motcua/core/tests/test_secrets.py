"""Issue 11 item 1: secrets sent to citizens (one-time codes, signed links) are readable by nobody but the
recipient's phone: stored masked and sealed, erased after delivery, never on a staff page, the admin or
the API; the outbox viewer is a demo tool production does not route."""

import base64
import importlib
import re

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core import notify
from motcua.core.models import OutboundMessage
from motcua.org.models import Role, User, UserKind

pytestmark = pytest.mark.django_db

CITIZEN_PHONE = "0912345678"


def test_a_secret_is_stored_masked_and_sealed_and_erased_after_delivery():
    message = notify.queue_message(
        key="k-secret", channel="sms", recipient="0901", body="Mã: 482913. Đừng chia sẻ.", secret="482913"
    )
    message.refresh_from_db()
    assert message.body == f"Mã: {notify.SECRET_MASK}. Đừng chia sẻ."
    assert "482913" not in message.secret and message.secret  # sealed, not in clear
    assert notify.message_text(message) == "Mã: 482913. Đừng chia sẻ."  # what the gateway sends
    assert notify.deliver(message.pk) == "sent"
    message.refresh_from_db()
    assert message.secret == "" and notify.message_text(message) == f"Mã: {notify.SECRET_MASK}. Đừng chia sẻ."


def test_a_message_that_fails_for_good_erases_its_secret_too(settings):
    settings.MOTCUA_SMS_ADAPTER = "disabled"
    message = notify.queue_message(
        key="k-off", channel="sms", recipient="0901", body="Mã 111222", secret="111222"
    )
    assert notify.deliver(message.pk) == "failed"  # never "sent" by a channel with no gateway
    message.refresh_from_db()
    assert message.secret == "" and "111222" not in message.body and "disabled" in message.last_error


def _every_admin_page(client) -> list[str]:
    pages = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse(f"admin:{info[0]}_{info[1]}_changelist")
        pages.append(client.get(changelist).content.decode())
        for obj in model._default_manager.order_by("-pk")[:3]:
            pages.append(
                client.get(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])).content.decode()
            )
    return pages


def _api_list_pages(client) -> list[str]:
    spec = client.get("/api/v1/openapi.json").json()
    return [
        client.get(path).content.decode()
        for path, operations in spec["paths"].items()
        if "get" in operations and "{" not in path
    ]


@pytest.mark.parametrize("who", ["auditor", "superuser"])
def test_auditor_and_superuser_cannot_obtain_a_citizens_one_time_code(client, who, make_staff, province):
    """The probe's finding: an auditor or superuser read the code in the outbox viewer and signed in as
    the citizen. Now the code is on no page they can open: outbox, admin (every model), API."""
    citizen_browser = type(client)()
    citizen_browser.post("/dang-nhap/", {"step": "phone", "phone": CITIZEN_PHONE, "next": "/tai-khoan/"})
    sms = OutboundMessage.objects.get(recipient=CITIZEN_PHONE)
    code = re.search(r"\b(\d{6})\b", notify.message_text(sms)).group(1)

    if who == "auditor":
        reader = make_staff(Role.AUDITOR, province)
    else:
        reader = User.objects.create_superuser("root-probe", password="pw-test-12345", kind=UserKind.STAFF)
    client.force_login(reader)
    pages = [client.get("/staff/outbox/").content.decode(), client.get("/staff/").content.decode()]
    if who == "superuser":
        pages += _every_admin_page(client)
    pages += _api_list_pages(client)
    assert all(code not in page for page in pages)
    assert notify.SECRET_MASK in pages[0]  # the viewer shows the message, masked
    # ... and so they cannot sign in as the citizen with what they saw
    assert User.objects.filter(phone=CITIZEN_PHONE).count() == 0


def test_admin_does_not_show_issued_tokens_or_totp_seeds(client, make_staff, ward_a):
    root = User.objects.create_superuser("root-tokens", password="pw-test-12345", kind=UserKind.STAFF)
    officer = make_staff(Role.DESK_OFFICER, ward_a)
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    client.force_login(root)
    for path in (
        "/admin/authtoken/tokenproxy/",
        "/admin/oauth2_provider/accesstoken/",
        "/admin/oauth2_provider/refreshtoken/",
        "/admin/oauth2_provider/grant/",
        "/admin/oauth2_provider/idtoken/",
    ):
        assert client.get(path).status_code == 404, path
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    seed = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert "authenticator" in page and device.key not in page and seed not in page


def _reload_urls():
    import motcua.core.urls
    import motcua.urls

    importlib.reload(motcua.core.urls)
    importlib.reload(motcua.urls)
    clear_url_caches()


def test_production_does_not_route_the_outbox_viewer(client, make_staff, province):
    client.force_login(make_staff(Role.PROVINCE_ADMIN, province))
    try:
        with override_settings(MOTCUA_OUTBOX_VIEWER=False):
            _reload_urls()
            assert client.get("/staff/outbox/").status_code == 404
            with pytest.raises(NoReverseMatch):
                reverse("outbox")
            assert "/staff/outbox/" not in client.get("/staff/").content.decode()
    finally:
        _reload_urls()
    assert client.get("/staff/outbox/").status_code == 200  # the demo (default outside production) has it


def test_feedback_tracking_and_rating_tokens_are_masked_in_the_outbox(client):
    """A sibling the probe did not try: the reporter's SMS links carry the report's secret tokens."""
    from motcua.feedback.models import Report

    response = client.post(
        "/kiosk/phan-anh/",
        {"description": "Đèn đường hỏng trước số 12", "address": "12 Lê Lợi", "phone": "0912000111"},
    )
    assert response.status_code == 200
    report = Report.objects.get(phone="0912000111")
    receipt = OutboundMessage.objects.get(recipient="0912000111")
    assert str(report.token) not in receipt.body and notify.SECRET_MASK in receipt.body
    assert str(report.token) in notify.message_text(receipt)  # the reporter's phone gets the real link
