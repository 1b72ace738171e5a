"""The staff pages: intake through the form, the document page with its forms by role, the directive with
a drawn overlay, the register and status report as PDF and XLSX (scoped), the handling slip."""

import io
import json

import openpyxl
import pytest
from django.test import Client

from motcua.documents.models import Document, DocumentStatus
from motcua.documents.tests.conftest import pdf_of, unique_pdf, upload


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_clerk_to_leader_to_handler_through_the_pages(clerk, leader, specialist):
    clerk_client = _client(clerk)
    response = clerk_client.post("/staff/van-ban-den/vao-so", {"file": upload(pdf_of(0)), "urgency": "khan"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/van-ban-den/{document.pk}/"
    page = clerk_client.get(f"/staff/van-ban-den/{document.pk}/").content.decode()
    assert "125/UBND-VP" in page and 'id="confirm-form"' in page and 'id="directive-form"' not in page
    clerk_client.post(
        f"/staff/van-ban-den/{document.pk}/confirm_fields",
        {**document.fields(), "summary": "Tăng cường vệ sinh môi trường"},
    )
    clerk_client.post(f"/staff/van-ban-den/{document.pk}/present", {"handler": specialist.pk})
    document.refresh_from_db()
    assert document.fields_confirmed and document.status == DocumentStatus.AWAITING_DIRECTIVE
    assert document.summary == "Tăng cường vệ sinh môi trường"
    leader_client = _client(leader)
    page = leader_client.get(f"/staff/van-ban-den/{document.pk}/").content.decode()
    assert 'id="directive-form"' in page and 'id="overlay"' in page
    image = leader_client.get(f"/staff/van-ban-den/{document.pk}/tep/{document.files.get().pk}/trang/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    strokes = [{"page": 1, "strokes": [[[0.1, 0.1], [0.3, 0.2], [0.5, 0.1]]]}]
    leader_client.post(
        f"/staff/van-ban-den/{document.pk}/direct",
        {
            "text": "Giao chuyên viên xử lý",
            "lead_person": specialist.pk,
            "working_days": "3",
            "overlays": json.dumps(strokes),
        },
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.ASSIGNED
    assert document.directives.get().overlays == strokes
    handler = _client(specialist)
    assert str(document.arrival_number) in handler.get("/staff/van-ban-den/").content.decode()
    handler.post(
        f"/staff/van-ban-den/{document.pk}/link_reply",
        {"number_notation": "45/UBND-VP", "issued_on": "2026-03-25", "summary": "Báo cáo kết quả"},
    )
    handler.post(f"/staff/van-ban-den/{document.pk}/complete", {"text": "Đã xong"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.replies.count() == 1
    slip = handler.get(f"/staff/van-ban-den/{document.pk}/phieu.pdf")
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")


def test_register_pdf_and_xlsx_are_scoped_to_the_unit(clerk, clerk_b):
    _client(clerk).post("/staff/van-ban-den/vao-so", {"file": upload(pdf_of(1))})
    _client(clerk_b).post("/staff/van-ban-den/vao-so", {"file": unique_pdf(5)})
    response = _client(clerk).get("/staff/van-ban-den/so-den.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Số đến" and len(rows) == 2
    assert rows[1][3] == "482/QĐ-STP"
    pdf = _client(clerk).get("/staff/van-ban-den/so-den.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for fmt in ("pdf", "xlsx"):
        assert _client(clerk).get(f"/staff/van-ban-den/tinh-hinh.{fmt}").status_code == 200


def test_pages_refuse_other_callers(clerk, clerk_b, citizen):
    _client(clerk).post("/staff/van-ban-den/vao-so", {"file": unique_pdf(6)})
    document = Document.objects.get()
    url = f"/staff/van-ban-den/{document.pk}/"
    assert _client(clerk_b).get(url).status_code == 404
    assert _client(citizen).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    before = Document.objects.get().status
    assert _client(clerk_b).post(f"{url}present", {}).status_code == 404
    assert Document.objects.get().status == before


@pytest.mark.parametrize("readers", ["", "khong-ton-tai"])
def test_secret_form_intake(clerk, readers):
    response = _client(clerk).post(
        "/staff/van-ban-den/vao-so", {"file": unique_pdf(7), "secrecy": "mat", "readers": readers}
    )
    assert response.status_code == 302
    assert Document.objects.filter(secrecy="mat").count() == (1 if not readers else 0)


def test_the_hotline_operator_reaches_no_document_and_an_unknown_format_is_not_found(
    clerk, make_staff, province
):
    from motcua.org.models import Role

    _client(clerk).post("/staff/van-ban-den/vao-so", {"file": upload(pdf_of(0))})
    document = Document.objects.get()
    operator = make_staff(Role.HOTLINE_OPERATOR, province)  # letters name citizens: no personal data
    assert (
        f"/staff/van-ban-den/{document.pk}/"
        not in _client(operator).get("/staff/van-ban-den/").content.decode()
    )
    assert _client(operator).get(f"/staff/van-ban-den/{document.pk}/").status_code == 404
    assert _client(clerk).get("/staff/van-ban-den/so-den.exe").status_code == 404
