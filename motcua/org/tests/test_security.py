"""Staff sign-in: Vietnamese pages, lockout after repeated failures, optional TOTP, secure headers."""

import os
import subprocess
import sys

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.org.models import Role


@pytest.mark.django_db
def test_home_and_login_pages_are_in_vietnamese_with_csp(client):
    home = client.get("/")
    assert home.status_code == 200 and '<html lang="vi">' in home.content.decode()
    login = client.get("/staff/login/")
    body = login.content.decode()
    assert "Đăng nhập cán bộ" in body and "Tên đăng nhập" in body
    csp = login.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert login.headers["X-Frame-Options"] == "DENY"
    assert login.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_staff_login_and_wrong_password_message(client, make_staff, ward_a):
    make_staff(Role.DESK_OFFICER, ward_a, username="officer1")
    bad = client.post("/staff/login/", {"username": "officer1", "password": "wrong-password"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in bad.content.decode()
    good = client.post("/staff/login/", {"username": "officer1", "password": "pw-test-12345"})
    assert good.status_code == 302 and good.headers["Location"] == "/staff/"
    assert "Bàn làm việc" in client.get("/staff/").content.decode()


@pytest.mark.django_db
def test_lockout_after_five_failures_even_with_the_right_password(client, make_staff, ward_a):
    make_staff(Role.DESK_OFFICER, ward_a, username="officer2")
    for _ in range(5):
        client.post("/staff/login/", {"username": "officer2", "password": "nope-nope-nope"})
    locked = client.post("/staff/login/", {"username": "officer2", "password": "pw-test-12345"})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_citizen_accounts_cannot_use_the_staff_login(client, citizen):
    response = client.post("/staff/login/", {"username": citizen.username, "password": "pw-test-12345"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_totp_second_factor_when_enrolled(client, make_staff, ward_a):
    officer = make_staff(Role.UNIT_LEADER, ward_a, username="leader1")
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    without = client.post("/staff/login/", {"username": "leader1", "password": "pw-test-12345"})
    assert "xác thực hai lớp" in without.content.decode() and "_auth_user_id" not in client.session
    wrong = client.post(
        "/staff/login/", {"username": "leader1", "password": "pw-test-12345", "otp_token": "000000"}
    )
    assert "_auth_user_id" not in client.session, wrong.status_code
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a wrong code throttles the device (django-otp)
    device.throttle_reset()
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    ok = client.post(
        "/staff/login/", {"username": "leader1", "password": "pw-test-12345", "otp_token": token}
    )
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(officer.pk)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "MOTCUA_ENV": "production",
        "SECRET_KEY": "k" * 64 + "-production-secret-for-the-check",
        "ALLOWED_HOSTS": "motcua.example.gov.vn",
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # production has no default gateway nor audit key (docs/security.md)
        "MOTCUA_SMS_ADAPTER": "disabled",
        "MOTCUA_EMAIL_ADAPTER": "email",
        "MOTCUA_ZALO_ADAPTER": "disabled",
        "MOTCUA_AUDIT_KEY": "a" * 64,
        # the unit's signing key and certificate (the demo CA is never used in production)
        "MOTCUA_SIGNING_KEY": str(tmp_path / "signing" / "signer.key"),
        "MOTCUA_SIGNING_CERT": str(tmp_path / "signing" / "signer.pem"),
        "ASSISTANT_ZALO_ENABLED": "0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@override_settings(AXES_ENABLED=True)
def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "MOTCUA_ENV": "production", "SECRET_KEY": "", "MOTCUA_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_browser_language_does_not_override_vietnamese(client):
    response = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode() and "Đăng nhập cán bộ" in response.content.decode()
