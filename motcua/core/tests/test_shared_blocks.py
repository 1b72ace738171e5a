"""The shared building blocks: coded errors, phone and ID shape, upload sniffing, public links, due time."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.errors import CatalogError
from motcua.citizens import idnumber
from motcua.civil.errors import CivilError
from motcua.core import links, uploads, validation
from motcua.core.errors import MotcuaError, format_message
from motcua.core.openapi import api_exception_handler
from motcua.dossiers.errors import DossierError, DossierErrorCode
from motcua.feedback.errors import FeedbackError
from motcua.portal.errors import PortalError
from motcua.surveys.errors import SurveyError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
WEBP = b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 20


# --- coded errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cls", [CatalogError, CivilError, DossierError, FeedbackError, PortalError, SurveyError]
)
def test_every_app_error_is_a_coded_motcua_error_with_a_vietnamese_message_per_code(cls):
    assert issubclass(cls, MotcuaError)
    for code in cls.codes:
        assert cls.template(code.value) == str(code.label)
        assert cls.template(code.value)  # never empty


def test_message_is_filled_with_params_in_either_placeholder_style():
    assert DossierError("task_taken", name="Lan").message == "Bước này đã được Lan nhận xử lý trước bạn."
    assert str(CivilError("target_not_found", code="KS-1")) == "Không tìm thấy bản ghi gốc có mã KS-1."
    # A missing parameter leaves the template as written instead of failing.
    assert format_message("{a} và {b}", {"a": 1}) == "{a} và {b}"


def test_status_follows_the_code_and_defaults_to_conflict():
    assert DossierError(DossierErrorCode.NOT_ALLOWED).status == 403
    assert DossierError("file_size", name="x", limit=1).status == 413
    assert DossierError("stale").status == 409
    assert CatalogError("bad_limit").status == 400
    assert CatalogError("procedure_not_found").status == 404


def test_unknown_code_of_civil_falls_back_to_its_generic_message():
    assert CivilError("no_such_code", message="Sai.").message == "Sai."


def test_feedback_detail_is_added_after_the_code_message():
    exc = FeedbackError("bad_unit", "P. Bến Nghé")
    assert exc.message == "Đơn vị nhận không hợp lệ. P. Bến Nghé"
    assert exc.status == 404


def test_the_api_handler_gives_an_escaped_business_refusal_the_one_error_shape():
    response = api_exception_handler(DossierError("not_found"), {})
    assert response.status_code == 404
    assert response.data == {"code": "not_found", "detail": "Không tìm thấy hồ sơ."}


@pytest.mark.django_db
def test_catalog_api_refusal_has_code_detail_and_status(client):
    response = client.get("/api/v1/procedures", {"limit": "abc"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_limit",
        "detail": "Tham số limit phải là số nguyên từ 1 đến 100.",
    }


# --- phone numbers ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0901234567", "0901234567"),
        ("+84 90 123 4567", "0901234567"),
        ("84901234567", "0901234567"),
        ("090.123.4567", "0901234567"),
        ("(090) 123-4567", "0901234567"),
        ("028 3829 1234", "02838291234"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_are_normalised_to_the_national_form(raw, expected):
    assert validation.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0901234", "090123456789", "abc0901234567", "+1 202 555 0100"])
def test_not_a_vietnamese_phone_is_refused(raw):
    with pytest.raises(validation.InvalidPhone):
        validation.normalise_phone(raw)
    assert not validation.is_phone(raw)


def test_sms_codes_need_a_mobile_number():
    assert validation.normalise_phone("0901234567", mobile=True) == "0901234567"
    with pytest.raises(validation.InvalidPhone):
        validation.normalise_phone("02838291234", mobile=True)


@given(st.integers(min_value=10**8, max_value=10**9 - 1).map(lambda n: f"0{n}"))
def test_property_a_mobile_number_reads_the_same_in_every_written_form(number):
    spaced = f"{number[:4]} {number[4:7]} {number[7:]}"
    international = "+84" + number[1:]
    for written in (number, spaced, international, number.replace("0", "0.", 1)):
        assert validation.normalise_phone(written, mobile=True) == number


def test_each_app_refuses_a_bad_phone_with_its_own_code():
    from motcua.feedback.services import normalise_phone as feedback_phone
    from motcua.portal.services import normalise_phone as portal_phone

    with pytest.raises(FeedbackError) as feedback:
        feedback_phone("12345")
    assert feedback.value.code == "bad_phone"
    with pytest.raises(PortalError) as portal:
        portal_phone("12345")
    assert portal.value.code == "phone_invalid"
    assert feedback_phone("+84 90 123 4567") == portal_phone("+84 90 123 4567") == "0901234567"


# --- personal ID shape ----------------------------------------------------------------------------------
@given(st.text(max_size=14))
def test_property_shape_check_agrees_with_the_citizens_structure_rule(text):
    shape_ok = validation.is_personal_id(text)
    assert shape_ok == bool(idnumber.ID_RE.match(text))
    if not shape_ok:
        assert idnumber.problems(text)[0][0] == "structure" or text.strip() != text


# --- uploads --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "head, expected",
    [(PDF, uploads.PDF), (JPEG, uploads.JPEG), (PNG, uploads.PNG), (b"GIF89a", None), (b"", None)],
)
def test_documents_are_recognised_by_content(head, expected):
    assert uploads.sniff(head) == expected


def test_photos_accept_webp_and_documents_do_not():
    assert uploads.sniff(WEBP, uploads.PHOTOS) == uploads.WEBP
    assert uploads.sniff(WEBP) is None
    assert uploads.sniff(PDF, uploads.PHOTOS) is None


def test_check_upload_returns_kind_size_and_digest_and_rewinds():
    upload = SimpleUploadedFile("giay-to.txt", PDF)  # the name says nothing: the content decides
    checked = uploads.check_upload(upload)
    assert (checked.content_type, checked.ext, checked.size) == ("application/pdf", "pdf", len(PDF))
    assert len(checked.sha256) == 64
    assert upload.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    "content, code, status",
    [(b"", "file_empty", 400), (b"MZ\x90\x00 executable", "file_type", 415)],
)
def test_check_upload_refuses_with_a_coded_error(content, code, status):
    with pytest.raises(uploads.UploadError) as refused:
        uploads.check_upload(SimpleUploadedFile("x.pdf", content))
    assert (refused.value.code, refused.value.status) == (code, status)


def test_check_upload_speaks_the_callers_codes_and_counts_streamed_size():
    stream = io.BytesIO(PDF + b"0" * 2048)  # no .size: counted while reading
    with pytest.raises(DossierError) as refused:
        uploads.check_upload(stream, limit=1024, error=DossierError)
    assert refused.value.code == "file_size"
    assert refused.value.message == "Tệp “tệp” vượt quá dung lượng cho phép (0 MB)."
    assert refused.value.status == 413


# --- public links ---------------------------------------------------------------------------------------
@override_settings(MOTCUA_PUBLIC_URL="https://dichvucong.example.vn/")
def test_public_links_share_one_base_address():
    assert links.dossier_tracking_url("H29.22-260213-0001") == (
        "https://dichvucong.example.vn/tra-cuu/H29.22-260213-0001/"
    )
    assert links.report_tracking_url("PA-1") == "https://dichvucong.example.vn/phan-anh/PA-1/"
    assert links.verification_url("KS-1") == "https://dichvucong.example.vn/xac-minh/KS-1/"


# --- due time -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_due_time_has_one_rule_for_catalog_api_dossiers_and_portal():
    from motcua.catalog import selectors
    from motcua.catalog.models import Procedure
    from motcua.core.calendar import TZ, LegalTimeUnit, calendar_for
    from motcua.org.models import Unit, UnitKind

    unit, _ = Unit.objects.get_or_create(
        code="79", defaults={"name": "TP. Hồ Chí Minh", "kind": UnitKind.PROVINCE}
    )
    procedure = Procedure.objects.create(
        code="1.000001", name="Thủ tục thử", time_value=3, time_unit=LegalTimeUnit.WORKING_DAYS
    )
    received = dt.datetime(2026, 2, 10, 9, 0, tzinfo=TZ)
    expected = calendar_for(unit.province_code).due_at(
        received, 3.0, LegalTimeUnit.WORKING_DAYS, unit.schedule
    )
    assert selectors.due_at(procedure, "counter", unit, received) == expected
