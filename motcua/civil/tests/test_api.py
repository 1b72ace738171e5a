"""The civil status API for officers and connected systems (issue 12 item 13): registration, extract copies
and marital status certificates, each with the four callers (the unit's system, another unit's system
acting at this unit, a citizen, an anonymous caller); a refusal is exact and leaves nothing behind."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.civil.models import (
    BirthRecord,
    DeathRecord,
    ExtractCopy,
    MaritalStatusCertificate,
    MarriageRecord,
)
from motcua.civil.tests.conftest import KHANG
from motcua.civil.tests.test_registration import COUPLE
from motcua.core.models import AuditEntry
from motcua.org.models import Role
from motcua.org.tests.clients import system_api

CALLERS = ["unit", "other_unit", "citizen", "anonymous"]
REFUSED = {
    "other_unit": (403, "not_allowed"),
    "citizen": (403, "permission_denied"),
    "anonymous": (401, None),
}
LAN = "079199007777"  # single in the registry simulator


def _json(value):
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in value.items()}


def _caller(caller: str, ward_a, ward_b, citizen, role: str = Role.SPECIALIST) -> APIClient:
    if caller == "unit":
        return system_api(ward_a, role)
    if caller == "other_unit":
        return system_api(ward_b, role)
    api = APIClient()
    if caller == "citizen":
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=citizen)[0].key}")
    return api


def _rows() -> tuple:
    return (
        BirthRecord.objects.count(),
        ExtractCopy.objects.count(),
        MaritalStatusCertificate.objects.count(),
        AuditEntry.objects.count(),
    )


def _refused(response, caller: str) -> None:
    status, code = REFUSED[caller]
    assert response.status_code == status, response.content
    if code:
        assert response.json()["code"] == code


@pytest.mark.parametrize("caller", CALLERS)
def test_register_birth_four_callers(caller, ward_a, ward_b, citizen):
    api = _caller(caller, ward_a, ward_b, citizen)
    before = _rows()
    response = api.post("/api/v1/civil/births/", {**_json(KHANG), "unit": ward_a.code}, format="json")
    if caller == "unit":
        assert response.status_code == 201, response.content
        record = BirthRecord.objects.get()
        assert response.json()["code"] == record.code and record.unit == ward_a
        assert response.json()["id"] == str(record.public_id)
        return
    _refused(response, caller)
    assert _rows() == before


def test_registration_refusals_are_vietnamese_and_store_nothing(ward_a, ward_b):
    api = system_api(ward_a, Role.SPECIALIST)
    before = _rows()
    future = api.post(
        "/api/v1/civil/births/", {**_json(KHANG), "child_date_of_birth": "2999-01-01"}, format="json"
    )
    assert future.status_code == 409 and "sau ngày hôm nay" in future.json()["detail"]
    bad_id = api.post(
        "/api/v1/civil/births/", {**_json(KHANG), "child_personal_id": "000224005678"}, format="json"
    )
    # the contract's pattern states the ID rule (core.validation.personal_id_pattern): a 400 with the rule
    assert bad_id.status_code == 400 and "mã tỉnh" in bad_id.json()["detail"]
    nul = api.post("/api/v1/civil/births/", {**_json(KHANG), "child_name": "A\x00"}, format="json")
    assert nul.status_code == 400
    unknown_unit = api.post("/api/v1/civil/births/", {**_json(KHANG), "unit": "99999"}, format="json")
    assert unknown_unit.status_code == 404
    clerk = system_api(ward_a, Role.CLERK)
    before = _rows()
    not_registrar = clerk.post("/api/v1/civil/births/", _json(KHANG), format="json")
    assert not_registrar.status_code == 403 and not_registrar.json()["code"] == "not_allowed"
    assert _rows() == before


def test_marriage_and_death_registration(ward_a):
    api = system_api(ward_a, Role.SPECIALIST)
    married = api.post("/api/v1/civil/marriages/", _json(COUPLE), format="json")
    assert married.status_code == 201, married.content
    assert MarriageRecord.objects.get().code == married.json()["code"]
    again = api.post("/api/v1/civil/marriages/", _json(COUPLE), format="json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    died = api.post(
        "/api/v1/civil/deaths/",
        {
            "deceased_name": "Lê Văn Tư",
            "deceased_sex": "male",
            "date_of_death": "2025-01-05",
            "place_of_death": "Bệnh viện Chợ Rẫy",
        },
        format="json",
    )
    assert died.status_code == 201, died.content
    assert DeathRecord.objects.get().code == died.json()["code"]


@pytest.fixture
def birth(ward_a, make_staff):
    from motcua.civil.models import RecordKind
    from motcua.civil.services import register

    return register(
        RecordKind.BIRTH, unit=ward_a, actor=make_staff(Role.SPECIALIST, ward_a), data=dict(KHANG)
    )


@pytest.mark.parametrize("caller", CALLERS)
def test_issue_extract_four_callers(caller, birth, ward_a, ward_b, citizen):
    api = _caller(caller, ward_a, ward_b, citizen, Role.DESK_OFFICER)
    before = _rows()
    response = api.post(
        "/api/v1/civil/extracts/",
        {
            "kind": "birth",
            "record": str(birth.public_id),
            "collector_name": "Nguyễn Văn An",
            "collector_personal_id": "079090001234",
            "unit": ward_a.code,
        },
        format="json",
    )
    if caller == "unit":
        assert response.status_code == 201, response.content
        copy = ExtractCopy.objects.get()
        assert response.json()["verification_code"] == copy.verification_code and copy.unit == ward_a
        pdf = api.get(response.json()["pdf_url"])
        assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
        return
    _refused(response, caller)
    assert _rows() == before


@pytest.mark.parametrize("caller", CALLERS)
def test_extract_pdf_four_callers(caller, birth, ward_a, ward_b, citizen, make_staff):
    from motcua.civil.services import issue_extract

    copy = issue_extract(
        "birth",
        birth.pk,
        actor=make_staff(Role.DESK_OFFICER, ward_a),
        unit=ward_a,
        collector_name="Nguyễn Văn An",
        collector_personal_id="079090001234",
    )
    response = _caller(caller, ward_a, ward_b, citizen, Role.DESK_OFFICER).get(
        f"/api/v1/civil/extracts/{copy.public_id}/pdf"
    )
    if caller == "unit":
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return
    expected = {"other_unit": (404, "not_found"), "citizen": (403, None), "anonymous": (401, None)}[caller]
    assert response.status_code == expected[0], response.content
    if expected[1]:
        assert response.json()["code"] == expected[1]


def test_an_extract_attached_to_a_dossier_becomes_its_result(birth, ward_a, intake_birth_dossier):
    api = system_api(ward_a)
    d = intake_birth_dossier
    response = api.post(
        "/api/v1/civil/extracts/",
        {
            "kind": "birth",
            "record": str(birth.public_id),
            "collector_name": "Nguyễn Văn An",
            "collector_personal_id": "079090001234",
            "dossier": d.code,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["dossier_result"] is True and response.json()["fee"] == 0
    assert d.results.count() == 1


@pytest.fixture
def intake_birth_dossier(ward_a, desk_officer, specialist):
    """A dossier in processing at ward A (the extract becomes its result paper)."""
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.tests.conftest import APPLICANT, files_for, make_procedure

    procedure = make_procedure("1.001193", name="Đăng ký khai sinh")
    d = services.receive_at_counter(
        procedure=procedure,
        receiving_unit=ward_a,
        actor=desk_officer,
        competent_unit=ward_a,
        applicant=dict(APPLICANT),
        form_data={"ho_ten": APPLICANT["name"]},
        files=files_for(procedure),
    )
    services.claim_task(d.tasks.get(order=2), actor=specialist)
    return Dossier.objects.get(pk=d.pk)


@pytest.mark.parametrize("caller", CALLERS)
def test_marital_status_four_callers(caller, registry, ward_a, ward_b, citizen):
    api = _caller(caller, ward_a, ward_b, citizen)
    before = _rows()
    response = api.post(
        "/api/v1/civil/marital-status/",
        {"personal_id": LAN, "purpose": "Kết hôn", "unit": ward_a.code},
        format="json",
    )
    if caller == "unit":
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["outcome"] == "issued" and body["full_name"] == "Phạm Thị Lan" and body["valid_until"]
        assert MaritalStatusCertificate.objects.get().unit == ward_a
        return
    _refused(response, caller)
    assert _rows() == before


def test_an_extract_pdf_with_a_malformed_id_is_a_json_404(ward_a):
    response = system_api(ward_a).get("/api/v1/civil/extracts/null,null/pdf")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
