"""Citizen sign-in by phone number and a one-time code sent through the SMS outbox."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from motcua.core.models import DemoPhoneMessage, OutboundMessage
from motcua.core.notify import deliver, message_text
from motcua.org.models import User, UserKind
from motcua.portal.models import PhoneOTP

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def code_from_outbox(phone: str) -> str:
    message = OutboundMessage.objects.filter(recipient=phone, channel="sms").order_by("-pk").first()
    return re.search(r"\b(\d{6})\b", message_text(message)).group(1)  # what the phone receives


def ask_code(client, phone="0912 345 678"):
    return client.post("/dang-nhap/", {"step": "phone", "phone": phone, "next": "/tai-khoan/"})


def test_code_goes_to_outbox_hashed_and_signs_in_new_citizen(client):
    response = ask_code(client)
    assert response.status_code == 302 and "buoc=ma" in response["Location"]
    otp = PhoneOTP.objects.get()
    code = code_from_outbox("0912345678")
    assert (
        otp.code_hash != code
        and len(otp.code_hash) > 40
        and otp.expires_at - otp.created_at == dt.timedelta(minutes=5)
    )
    page = client.get(response["Location"]).content.decode()
    # the code is nowhere but on the phone: not in the outbox row, not on the page (no demo phone here)
    assert code not in page and "/staff/outbox/" not in page
    assert code not in OutboundMessage.objects.get(recipient="0912345678").body
    assert not User.objects.filter(phone="0912345678").exists()

    response = client.post("/dang-nhap/", {"step": "code", "code": code, "next": "/tai-khoan/"})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    user = User.objects.get(phone="0912345678")
    assert user.kind == UserKind.CITIZEN and not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    # The code is spent: a second sign-in with it fails.
    other = type(client)()
    session = other.session
    session["portal_otp_phone"] = "0912345678"
    session.save()
    assert other.post("/dang-nhap/", {"step": "code", "code": code}).status_code == 400


def test_existing_citizen_with_that_phone_is_reused(client, citizen):
    ask_code(client, citizen.phone)
    client.post("/dang-nhap/", {"step": "code", "code": code_from_outbox(citizen.phone)})
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert User.objects.filter(phone=citizen.phone).count() == 1


def test_wrong_code_is_refused_and_attempts_are_limited(client):
    from axes.models import AccessAttempt

    ask_code(client)
    good = code_from_outbox("0912345678")
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(4):
        response = client.post("/dang-nhap/", {"step": "code", "code": wrong})
        assert response.status_code == 400 and "_auth_user_id" not in client.session
    # The fifth failure also locks this phone number from this address (django-axes, per phone + IP).
    assert client.post("/dang-nhap/", {"step": "code", "code": wrong}).status_code in (400, 429)
    assert client.post("/dang-nhap/", {"step": "code", "code": good}).status_code == 429
    assert PhoneOTP.objects.get().attempts == 5
    # Even without the lockout, the code itself is spent after 5 attempts.
    AccessAttempt.objects.all().delete()
    response = client.post("/dang-nhap/", {"step": "code", "code": good})
    assert response.status_code == 400 and "quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session and not User.objects.filter(phone="0912345678").exists()


def test_expired_code_is_refused(client):
    ask_code(client)
    PhoneOTP.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post("/dang-nhap/", {"step": "code", "code": code_from_outbox("0912345678")})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_codes_per_phone_are_rate_limited(client):
    for _ in range(3):
        assert ask_code(client).status_code == 302
    response = ask_code(client)
    assert response.status_code == 429 and "quá nhiều mã" in response.content.decode()
    assert PhoneOTP.objects.count() == 3 and OutboundMessage.objects.filter(channel="sms").count() == 3


def test_codes_per_ip_are_rate_limited(client, settings):
    settings.PORTAL_OTP_PER_IP = 2
    assert ask_code(client, "0912000001").status_code == 302
    assert ask_code(client, "0912000002").status_code == 302
    assert ask_code(client, "0912000003").status_code == 429
    assert PhoneOTP.objects.count() == 2


def test_invalid_phone_gets_a_clear_error(client):
    response = ask_code(client, "12345")
    assert response.status_code == 400 and "Số điện thoại không hợp lệ" in response.content.decode()
    assert not PhoneOTP.objects.exists()


def test_staff_accounts_cannot_use_phone_sign_in(client, desk_officer):
    desk_officer.phone = "0987654321"
    desk_officer.save()
    ask_code(client, "0987654321")
    client.post("/dang-nhap/", {"step": "code", "code": code_from_outbox("0987654321")})
    user = User.objects.get(pk=int(client.session["_auth_user_id"]))
    assert user.pk != desk_officer.pk and user.kind == UserKind.CITIZEN


def test_demo_phone_page_shows_the_code_of_demo_numbers_only(client, settings, django_capture_on_commit_callbacks):
    """MOTCUA_DEMO_PHONE (demo only; refused in production) stands in for the phone there is not: the
    sign-in page names the demo phone page, which shows what a demo number received, and nothing else."""
    settings.MOTCUA_DEMO_PHONE = True
    settings.MOTCUA_DEMO_PHONE_NUMBERS = ["0900000*"]
    settings.MOTCUA_SMS_ADAPTER = "outbox"
    page = client.get("/dang-nhap/").content.decode()
    assert "/demo/dien-thoai/" in page and "0900000xxx" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_code(client, "0900000123")
        page = re.sub(r'value="[0-9a-f]{40,}"', "", client.get(response["Location"]).content.decode())
        ask_code(Client(), "0912345678")
    demo_code = code_from_outbox("0900000123")
    assert demo_code not in page and "/demo/dien-thoai/?so=0900000123" in page
    for message in OutboundMessage.objects.all():
        deliver(message.pk)
    inbox = client.get("/demo/dien-thoai/?so=0900000123")
    assert inbox.status_code == 200 and demo_code in inbox.content.decode()
    # a number that is not a demo number is never shown, even in the demo
    refused = client.get("/demo/dien-thoai/?so=0912345678")
    assert refused.status_code == 400 and "không phải số điện thoại trình diễn" in refused.content.decode()
    assert not DemoPhoneMessage.objects.filter(recipient="0912345678").exists()
    response = client.post("/dang-nhap/", {"step": "code", "code": demo_code, "next": "/tai-khoan/"})
    assert response.status_code == 302


def test_demo_phone_page_is_absent_without_the_setting(client, settings):
    settings.MOTCUA_DEMO_PHONE = False
    assert client.get("/demo/dien-thoai/?so=0901234567").status_code == 404


def test_staff_sign_in_in_another_tab_does_not_break_the_code_form(client, desk_officer):
    """Django rotates its CSRF token at every sign-in; the citizen form has its own guard that does not."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/dang-nhap/")
    token = re.search(r'name="signin_token" value="([0-9a-f]+)"', page.content.decode()).group(1)
    response = browser.post("/dang-nhap/", {"step": "phone", "phone": "0912345678", "signin_token": token})
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    token = re.search(r'name="signin_token" value="([0-9a-f]+)"', page).group(1)
    # another tab: the staff sign-in (rotates Django's CSRF cookie)
    browser.force_login(desk_officer)
    response = browser.post(
        "/dang-nhap/", {"step": "code", "code": code_from_outbox("0912345678"), "signin_token": token}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=int(browser.session["_auth_user_id"]))
    assert user.kind == UserKind.CITIZEN and user.phone == "0912345678"


def test_sign_in_form_refuses_a_forged_post_in_vietnamese(client):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/dang-nhap/")
    response = browser.post("/dang-nhap/", {"step": "phone", "phone": "0912345678", "signin_token": "x"})
    assert response.status_code == 403 and "Trang đăng nhập đã hết hiệu lực" in response.content.decode()
    assert not PhoneOTP.objects.exists() and not OutboundMessage.objects.exists()
    cross_site = Client(enforce_csrf_checks=True, headers={"Origin": "https://evil.example"})
    page = cross_site.get("/dang-nhap/").content.decode()
    token = re.search(r'name="signin_token" value="([0-9a-f]+)"', page).group(1)
    response = cross_site.post("/dang-nhap/", {"step": "phone", "phone": "0912345678", "signin_token": token})
    assert response.status_code == 403 and not PhoneOTP.objects.exists()


