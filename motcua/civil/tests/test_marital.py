"""Marital status certificate (1.004873): marriages anywhere in the province and the registry are checked."""

import datetime as dt

import pytest

from motcua.citizens.models import RegistryMessage
from motcua.civil.errors import CivilError
from motcua.civil.models import ChangeKind, MaritalOutcome, MaritalStatusCertificate, RecordKind
from motcua.civil.services import issue_marital_status, register, verify_code
from motcua.civil.tests.test_registration import COUPLE
from motcua.core.models import AuditEntry

LAN = "079199007777"  # single in the registry simulator


def test_refused_for_a_person_married_at_a_different_ward(
    registry, specialist, ward_a, ward_b, ward_b_registrar
):
    marriage = register(RecordKind.MARRIAGE, unit=ward_b, actor=ward_b_registrar, data=dict(COUPLE))
    cert = issue_marital_status(LAN, actor=specialist, unit=ward_a, purpose="Kết hôn")
    assert cert.outcome == MaritalOutcome.REFUSED and cert.valid_until is None and not cert.pdf
    assert ward_b.name in cert.refusal_reason and marriage.code in cert.refusal_reason
    assert "đang có vợ/chồng" in cert.refusal_reason
    assert (
        cert.checked["province_marriages"] == [marriage.code] and cert.checked["registry_status"] == "single"
    )
    assert AuditEntry.objects.filter(action="civil.marital_status_refused", purpose="Kết hôn").count() == 1
    assert verify_code(f"XN{cert.pk}-" + "0" * 20) == {"genuine": False}


def test_issued_with_validity_and_purpose_for_a_single_person(registry, specialist, ward_a, client):
    cert = issue_marital_status(LAN, actor=specialist, unit=ward_a, purpose="Kết hôn với công dân Hàn Quốc")
    today = dt.date.today()
    assert cert.outcome == MaritalOutcome.ISSUED and cert.full_name == "Phạm Thị Lan"
    assert cert.purpose == "Kết hôn với công dân Hàn Quốc" and cert.marital_status == "single"
    months = (cert.valid_until.year - today.year) * 12 + cert.valid_until.month - today.month
    assert months == 6
    assert cert.pdf.read(5) == b"%PDF-"
    result = verify_code(cert.verification_code)
    assert result["genuine"] and result["document"] == "marital" and result["valid_until"] == cert.valid_until
    logged = RegistryMessage.objects.filter(subject_id=LAN, procedure_code="1.004873")
    assert set(logged.values_list("service", flat=True)) == {"identity", "residence", "marital-status"}


def test_validity_is_configurable(registry, settings, specialist, ward_a):
    settings.MOTCUA_MARITAL_CERT_VALID_MONTHS = 3
    cert = issue_marital_status(LAN, actor=specialist, unit=ward_a, purpose="Vay vốn", render_pdf=False)
    today = dt.date.today()
    assert (cert.valid_until.year - today.year) * 12 + cert.valid_until.month - today.month == 3


def test_refused_when_the_registry_says_married(registry, specialist, ward_a):
    cert = issue_marital_status("079090001234", actor=specialist, unit=ward_a, purpose="Kết hôn")
    assert cert.outcome == MaritalOutcome.REFUSED and "Trần Thị Bích" in cert.refusal_reason


def test_divorced_after_a_divorce_note(registry, specialist, ward_a, ward_b, ward_b_registrar):
    marriage = register(RecordKind.MARRIAGE, unit=ward_b, actor=ward_b_registrar, data=dict(COUPLE))
    register(
        RecordKind.CHANGE,
        unit=ward_b,
        actor=ward_b_registrar,
        data={
            "change_kind": ChangeKind.DIVORCE_NOTE,
            "target_code": marriage.code,
            "subject_name": "Phạm Thị Lan",
        },
    )
    cert = issue_marital_status(LAN, actor=specialist, unit=ward_a, purpose="Kết hôn", render_pdf=False)
    assert cert.outcome == MaritalOutcome.ISSUED and cert.marital_status == "divorced"
    assert marriage.code in cert.status_detail


def test_registry_down_issues_nothing_but_keeps_the_log(registry, specialist, ward_a):
    registry.faults.update({"down": True})
    with pytest.raises(CivilError) as exc:
        issue_marital_status(LAN, actor=specialist, unit=ward_a, purpose="Kết hôn")
    assert exc.value.code == "registry_unavailable" and "thử lại" in exc.value.message
    assert MaritalStatusCertificate.objects.count() == 0
    assert RegistryMessage.objects.filter(subject_id=LAN, status="unavailable").count() == 1


def test_desk_officer_may_not_issue(registry, desk_officer, ward_a):
    with pytest.raises(CivilError) as exc:
        issue_marital_status(LAN, actor=desk_officer, unit=ward_a, purpose="Kết hôn")
    assert exc.value.code == "not_allowed" and RegistryMessage.objects.count() == 0
