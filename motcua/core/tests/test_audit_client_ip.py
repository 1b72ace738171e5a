"""The audit log records the client address by the platform's one rule (core.clientip): behind a trusted
proxy the real client, never a forged `X-Forwarded-For` hop; the address is part of the keyed chain."""

import pytest

from motcua.core import audit
from motcua.core.models import AuditEntry
from motcua.org.models import Role


@pytest.mark.django_db
def test_audit_entries_carry_the_real_client_address_behind_a_trusted_proxy(
    client, settings, make_staff, ward_a
):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1/32"]
    officer = make_staff(Role.SPECIALIST, ward_a)
    client.force_login(officer)
    # nginx appends the peer it saw (203.0.113.7) to whatever the client sent (a forged 6.6.6.6).
    answer = client.post(
        "/staff/2fa/", {"start": "1"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert answer.status_code == 200
    entry = AuditEntry.objects.filter(action="org.totp_enrolment_started").latest("id")
    assert entry.client_ip == "203.0.113.7"
    checked, problems = audit.verify()
    assert checked >= 1 and problems == []


@pytest.mark.django_db
def test_the_forwarded_header_is_ignored_without_a_trusted_proxy(client, settings, make_staff, ward_a):
    settings.MOTCUA_TRUSTED_PROXIES = []
    officer = make_staff(Role.SPECIALIST, ward_a)
    client.force_login(officer)
    client.post("/staff/2fa/", {"start": "1"}, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="6.6.6.6")
    entry = AuditEntry.objects.filter(action="org.totp_enrolment_started").latest("id")
    assert entry.client_ip == "198.51.100.4"


@pytest.mark.django_db
def test_an_edited_client_address_breaks_the_chain(client, settings, make_staff, ward_a):
    officer = make_staff(Role.SPECIALIST, ward_a)
    client.force_login(officer)
    client.post("/staff/2fa/", {"start": "1"}, REMOTE_ADDR="198.51.100.4")
    entry = AuditEntry.objects.filter(action="org.totp_enrolment_started").latest("id")
    AuditEntry.objects.filter(pk=entry.pk).update(client_ip="192.0.2.1")  # an insider covering tracks
    _, problems = audit.verify()
    assert any(p.seq == entry.seq and p.chain == entry.chain for p in problems)


@pytest.mark.django_db
def test_entries_written_outside_a_request_have_no_address(ward_a):
    entry = audit.record("test.task", actor="system", unit_id=ward_a.pk)
    assert entry.client_ip is None
