"""Browser walks through the officer screens (Playwright on Chromium against the live server)."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.calendar import TZ
from motcua.dossiers import services
from motcua.dossiers.documents import qr_payload
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-test-12345")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def scan(name="scan.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def counter_intake(page, procedure, name="Phạm Thị Hoa"):
    page.goto(f"/staff/dossiers/new/?procedure={procedure.code}")
    page.fill("#applicant_name", name)
    page.fill("#applicant_personal_id", "079190001111")
    page.fill("#applicant_phone", "0909111222")
    page.fill("#f_ho_ten", name)
    for r in procedure.requirements.filter(kind="submit"):
        page.check(f"#present_{r.pk}")
        page.set_input_files(f"#paper_{r.pk}", scan(f"giay-{r.pk}.pdf"))
    page.click("button[name=outcome][value=accept]")
    page.wait_for_selector("#dossier-code")
    return Dossier.objects.get(code=page.inner_text("#dossier-code").strip())


def counter_intake_after_lookup(page, procedure, personal_id: str):
    """Type the applicant's ID, fill the form from the population registry, then accept."""
    page.goto(f"/staff/dossiers/new/?procedure={procedure.code}")
    page.fill("#applicant_personal_id", personal_id)
    page.click("#lookup-btn")
    page.wait_for_selector(".lookup-ok")
    page.fill("#f_ho_ten", page.input_value("#applicant_name"))
    for r in procedure.requirements.filter(kind="submit"):
        page.check(f"#present_{r.pk}")
        page.set_input_files(f"#paper_{r.pk}", scan(f"giay-{r.pk}.pdf"))
    page.click("button[name=outcome][value=accept]")
    page.wait_for_selector("#dossier-code")
    return Dossier.objects.get(code=page.inner_text("#dossier-code").strip())


def pdf_of(page, d, number) -> bytes:
    response = page.request.get(f"/staff/dossiers/{d.code}/mau-{number}.pdf")
    assert response.status == 200
    return response.body()


def test_counter_to_specialist_to_leader_to_return(
    browser_page, live_server, procedure, desk_officer, specialist, leader, artifacts_dir
):
    page = browser_page
    sign_in(page, desk_officer)
    d = counter_intake(page, procedure)
    assert "Đã tiếp nhận" in page.inner_text("#dossier-status")
    receipt = pdf_of(page, d, "01")
    assert receipt.startswith(b"%PDF") and d.code.encode() in receipt
    assert qr_payload(d) == f"{services.public_url(d)}" and qr_payload(d).endswith(f"/tra-cuu/{d.code}/")
    page.screenshot(path=str(artifacts_dir / "dossiers-intake-received.png"), full_page=True)

    sign_in(page, specialist)
    page.goto("/staff/dossiers/")
    page.locator("#unit-queue").get_by_role("button", name="Nhận xử lý").first.click()
    page.goto(f"/staff/dossiers/{d.code}/")
    page.fill("#note", "Hồ sơ đủ điều kiện")
    page.click("#btn-complete")
    page.wait_for_selector("text=Đã thực hiện")

    sign_in(page, leader)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.click("#btn-claim")
    page.click("#btn-complete")
    page.wait_for_selector("text=Đã thực hiện")
    assert "chờ trả" in page.inner_text("#dossier-status")

    sign_in(page, specialist)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.fill("#res_name", "Giấy xác nhận")
    page.set_input_files("#res_file", scan("ket-qua.pdf"))
    page.click("#btn-attach")
    page.wait_for_selector("#results a")

    sign_in(page, desk_officer)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.select_option("#ret_channel", "counter")
    page.click("#btn-return")
    page.wait_for_selector("#dossier-outcome")
    assert "Đã trả kết quả" in page.inner_text("#dossier-status")
    d.refresh_from_db()
    assert d.status == S.RETURNED and d.outcome in (Outcome.EARLY, Outcome.ON_TIME)
    sheet = pdf_of(page, d, "06")
    assert sheet.startswith(b"%PDF") and d.code.encode() in sheet
    page.screenshot(path=str(artifacts_dir / "dossiers-returned.png"), full_page=True)


class Clock:
    """The services' clock, shared with the live server thread."""

    def __init__(self):
        self.moment = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)  # Monday

    def __call__(self):
        return self.moment


def test_supplement_restarts_clock_apology_once_and_late_return(
    browser_page, live_server, procedure, desk_officer, specialist, leader, monkeypatch, artifacts_dir
):
    clock = Clock()
    monkeypatch.setattr(services.clock, "now", clock)
    page = browser_page
    sign_in(page, desk_officer)
    d = counter_intake(page, procedure, name="Đỗ Văn Lâm")
    assert "17:00 12/03/2026" in page.inner_text("#legal-due")

    clock.moment = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
    sign_in(page, specialist)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.click("#btn-claim")
    page.fill("#rs_items", "Bản sao trích lục khai sinh\nVăn bản ủy quyền có chứng thực")
    page.click("#btn-request-supplement")
    page.wait_for_selector("text=Đã thực hiện")
    assert "Yêu cầu bổ sung" in page.inner_text("#dossier-status")
    supplement_letter = pdf_of(page, d, "02")
    assert supplement_letter.startswith(b"%PDF") and d.code.encode() in supplement_letter

    clock.moment = dt.datetime(2026, 3, 16, 10, 0, tzinfo=TZ)  # the citizen comes back the next Monday
    sign_in(page, desk_officer)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.set_input_files("#sup_files", scan("bo-sung.pdf"))
    page.click("#btn-supplement")
    page.wait_for_selector("text=Đã thực hiện")
    assert "10:00 16/03/2026" in page.inner_text("#clock-start")  # restarted from zero
    assert "17:00 19/03/2026" in page.inner_text("#legal-due")

    clock.moment = dt.datetime(2026, 3, 17, 9, 0, tzinfo=TZ)
    sign_in(page, leader)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.fill("#new_due_date", "24/03/2026")
    page.fill("#ap_reason", "Cần xác minh tại cơ quan khác")
    page.click("#btn-apologise")
    page.wait_for_selector("text=Đã thực hiện")
    assert "17:00 24/03/2026" in page.inner_text("#appointment")
    apology = pdf_of(page, d, "04")
    assert apology.startswith(b"%PDF") and d.code.encode() in apology
    page.fill("#new_due_date", "27/03/2026")
    page.fill("#ap_reason", "Lần hai")
    page.click("#btn-apologise")
    page.wait_for_selector("text=không được hẹn lại lần nữa")
    assert "17:00 24/03/2026" in page.inner_text("#appointment")

    clock.moment = dt.datetime(2026, 3, 20, 10, 0, tzinfo=TZ)  # past the legal due time (19/03 17:00)
    sign_in(page, specialist)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.click("#btn-complete")
    page.wait_for_selector("text=Đã thực hiện")
    page.fill("#res_name", "Giấy xác nhận")
    page.set_input_files("#res_file", scan("ket-qua.pdf"))
    sign_in(page, leader)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.click("#btn-claim")
    page.click("#btn-complete")
    page.wait_for_selector("text=Đã thực hiện")
    page.fill("#res_name", "Giấy xác nhận")
    page.set_input_files("#res_file", scan("ket-qua.pdf"))
    page.click("#btn-attach")
    page.wait_for_selector("#results a")
    sign_in(page, desk_officer)
    page.goto(f"/staff/dossiers/{d.code}/")
    page.click("#btn-return")
    page.wait_for_selector("#dossier-outcome")
    assert "Quá hạn" in page.inner_text("#dossier-outcome")
    d.refresh_from_db()
    assert d.outcome == Outcome.LATE and d.apologised_at is not None
    page.screenshot(path=str(artifacts_dir / "dossiers-late-with-apology.png"), full_page=True)
