"""Admin writes go through `org.services`: four callers through the admin URLs (a province administrator,
the administrator of another unit, a citizen, anonymous). Allowed writes leave an audit row; refused ones
change nothing."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.models import AuditEntry
from motcua.org.models import Role, StaffRole, Unit, User


def _form(obj, **overrides) -> dict:
    """What the admin change form posts for `obj` unchanged, with `overrides`."""
    data = {}
    for name, value in {**model_to_dict(obj), **overrides}.items():
        if value is False:
            continue
        data[name] = "on" if value is True else "" if value is None else str(value)
    return data


@pytest.fixture
def callers(make_staff, citizen, province, ward_b):
    admin = make_staff(Role.PROVINCE_ADMIN, province, is_staff=True)
    other = make_staff(Role.UNIT_ADMIN, ward_b, is_staff=True)
    return {"province admin": admin, "other unit admin": other, "citizen": citizen, "anonymous": None}


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _refused(response) -> bool:
    """A refusal: the login page, a 403, or the admin's 'no such object' redirect to its index."""
    if response.status_code == 403:
        return True
    url = response.get("Location", "")
    return response.status_code == 302 and (url.startswith("/admin/login/") or url == "/admin/")


def _snapshot(unit: Unit):
    unit.refresh_from_db()
    return (unit.afternoon_end, unit.saturday_reception, unit.name)


@pytest.mark.django_db
def test_office_hours_through_the_admin_four_callers(client, callers, ward_a):
    url = f"/admin/org/unit/{ward_a.pk}/change/"
    data = _form(ward_a, afternoon_end="16:30:00", saturday_reception=True, _save="Lưu")
    before, audits = _snapshot(ward_a), AuditEntry.objects.count()
    for label in ("anonymous", "citizen", "other unit admin"):
        response = _as(client, callers[label]).post(url, data)
        assert _refused(response), (label, response.status_code)
        assert _snapshot(ward_a) == before and AuditEntry.objects.count() == audits, label
    response = _as(client, callers["province admin"]).post(url, data)
    assert response.status_code == 302 and response.url == "/admin/org/unit/", response.content[:2000]
    assert _snapshot(ward_a)[:2] == (dt.time(16, 30), True)
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "org.unit_changed" and entry.actor_id == callers["province admin"].pk
    assert entry.after == {"afternoon_end": "16:30:00", "saturday_reception": True}


@pytest.mark.django_db
def test_unit_admin_may_change_hours_but_not_reshape_the_tree(client, make_staff, ward_a):
    own = make_staff(Role.UNIT_ADMIN, ward_a, is_staff=True)
    url = f"/admin/org/unit/{ward_a.pk}/change/"
    _as(client, own)
    before, audits = _snapshot(ward_a), AuditEntry.objects.count()
    response = client.post(url, _form(ward_a, name="Phường Đổi Tên", _save="Lưu"))
    assert response.status_code == 403
    assert _snapshot(ward_a) == before and AuditEntry.objects.count() == audits
    response = client.post(url, _form(ward_a, saturday_reception=True, _save="Lưu"))
    assert response.status_code == 302
    assert _snapshot(ward_a)[1] is True
    assert AuditEntry.objects.latest("id").action == "org.unit_changed"


def _roles(user):
    return sorted(StaffRole.objects.filter(user=user).values_list("role", "unit_id", "title", "active"))


@pytest.mark.django_db
def test_role_grant_change_and_delete_through_the_admin_four_callers(client, callers, make_staff, ward_a):
    newcomer = make_staff(Role.DESK_OFFICER, ward_a)
    grant = {
        "user": newcomer.pk,
        "unit": ward_a.pk,
        "role": Role.SPECIALIST,
        "title": "",
        "since": "2026-01-05",
    }
    existing = newcomer.roles.get()
    change_url = f"/admin/org/staffrole/{existing.pk}/change/"
    delete_url = f"/admin/org/staffrole/{existing.pk}/delete/"
    # `since` has a callable default: the admin form posts its initial value in a hidden field, as here
    changed = _form(existing, title="Trưởng bộ phận một cửa", _save="Lưu")
    changed["initial-since"] = changed["since"]
    before, audits = _roles(newcomer), AuditEntry.objects.count()
    for label in ("anonymous", "citizen", "other unit admin"):
        _as(client, callers[label])
        for response in (
            client.post("/admin/org/staffrole/add/", {**grant, "_save": "Lưu"}),
            client.post(change_url, changed),
            client.post(delete_url, {"post": "yes"}),
        ):
            assert _refused(response), (label, response.status_code)
        assert _roles(newcomer) == before and AuditEntry.objects.count() == audits, label

    _as(client, callers["province admin"])
    assert client.post("/admin/org/staffrole/add/", {**grant, "_save": "Lưu"}).status_code == 302
    assert AuditEntry.objects.latest("id").action == "org.role_granted"
    assert client.post(change_url, changed).status_code == 302
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "org.role_changed" and entry.after == {"title": "Trưởng bộ phận một cửa"}
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "org.role_deleted" and entry.before["role"] == Role.DESK_OFFICER
    assert _roles(newcomer) == [(Role.SPECIALIST, ward_a.pk, "", True)]
    assert AuditEntry.objects.count() == audits + 3


@pytest.mark.django_db
def test_ward_admin_cannot_hand_out_wide_roles(client, make_staff, ward_a):
    """A ward administrator may grant ward roles, but not auditor or province administrator (those reach
    every unit)."""
    own = make_staff(Role.UNIT_ADMIN, ward_a, is_staff=True)
    newcomer = make_staff(Role.DESK_OFFICER, ward_a)
    _as(client, own)
    audits = AuditEntry.objects.count()
    for role in (Role.AUDITOR, Role.PROVINCE_ADMIN):
        data = {"user": newcomer.pk, "unit": ward_a.pk, "role": role, "since": "2026-01-05", "_save": "Lưu"}
        assert client.post("/admin/org/staffrole/add/", data).status_code == 403
    assert _roles(newcomer) == [(Role.DESK_OFFICER, ward_a.pk, "", True)]
    assert AuditEntry.objects.count() == audits
    data = {
        "user": newcomer.pk,
        "unit": ward_a.pk,
        "role": Role.SPECIALIST,
        "since": "2026-01-05",
        "_save": "Lưu",
    }
    assert client.post("/admin/org/staffrole/add/", data).status_code == 302
    assert AuditEntry.objects.latest("id").action == "org.role_granted"


@pytest.mark.django_db
def test_role_grant_through_the_user_inline_is_audited(client, callers, make_staff, ward_a):
    officer = make_staff(Role.DESK_OFFICER, ward_a)
    existing = officer.roles.get()
    user_data = _form(officer, password=None, groups=None, user_permissions=None)
    for key in ("password", "groups", "user_permissions", "last_login"):
        user_data.pop(key, None)
    user_data.update(
        {
            "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
            "roles-TOTAL_FORMS": "2",
            "roles-INITIAL_FORMS": "1",
            "roles-0-id": str(existing.pk),
            "roles-0-user": str(officer.pk),
            "roles-0-unit": str(ward_a.pk),
            "roles-0-role": Role.DESK_OFFICER,
            "roles-0-active": "on",
            "roles-0-since": existing.since.isoformat(),
            "roles-1-user": str(officer.pk),
            "roles-1-unit": str(ward_a.pk),
            "roles-1-role": Role.UNIT_LEADER,
            "roles-1-active": "on",
            "roles-1-since": "2026-01-05",
            "_save": "Lưu",
        }
    )
    url = f"/admin/org/user/{officer.pk}/change/"
    before, audits = _roles(officer), AuditEntry.objects.count()
    for label in ("anonymous", "citizen", "other unit admin"):
        assert _refused(_as(client, callers[label]).post(url, user_data)), label
        assert _roles(officer) == before and AuditEntry.objects.count() == audits
    response = _as(client, callers["province admin"]).post(url, user_data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert (Role.UNIT_LEADER, ward_a.pk, "", True) in _roles(officer)
    assert AuditEntry.objects.filter(
        action="org.role_granted", object_id=str(officer.roles.get(role=Role.UNIT_LEADER).pk)
    ).exists()


@pytest.mark.django_db
def test_totp_device_removal_through_the_admin_four_callers(client, callers, make_staff, ward_a):
    officer = make_staff(Role.UNIT_LEADER, ward_a)
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    audits = AuditEntry.objects.count()
    for label in ("anonymous", "citizen", "other unit admin"):
        assert _refused(_as(client, callers[label]).post(url, {"post": "yes"})), label
        assert TOTPDevice.objects.filter(pk=device.pk).exists() and AuditEntry.objects.count() == audits
    assert _as(client, callers["province admin"]).post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEntry.objects.latest("id").action == "org.totp_removed"


@pytest.mark.django_db
def test_totp_enrolment_is_audited(client, make_staff, ward_a):
    from django_otp.oath import totp

    officer = make_staff(Role.SPECIALIST, ward_a)
    client.force_login(officer)
    assert client.get("/staff/2fa/").status_code == 200
    assert not TOTPDevice.objects.filter(user=officer).exists()  # a GET only reads
    assert client.post("/staff/2fa/", {"start": "1"}).status_code == 200
    device = TOTPDevice.objects.get(user=officer)
    assert client.post("/staff/2fa/", {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code throttles the device (django-otp)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/staff/2fa/", {"token": token}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    actions = list(AuditEntry.objects.filter(actor_id=officer.pk).values_list("action", flat=True))
    assert actions[-2:] == ["org.totp_enrolment_started", "org.totp_enabled"]
    page = client.get("/staff/2fa/").content.decode()
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret not in page and "<svg" not in page  # the seed is never shown again once enabled


@pytest.mark.django_db
def test_only_superusers_change_account_flags(client, callers, make_staff, ward_a):
    officer = make_staff(Role.SPECIALIST, ward_a)
    admin = callers["province admin"]
    _as(client, admin)
    page = client.get(f"/admin/org/user/{officer.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert not User.objects.get(pk=officer.pk).is_superuser
