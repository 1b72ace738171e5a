"""A scanned Vietnamese document from intake to the completed reply, in a real browser: arrival number,
OCR'd fields confirmed by the clerk, the leader's directive with a handwritten overlay, tasks with deadlines,
a reminder, the reply linked, and the register entry in the PDF and XLSX register."""

import datetime as dt
import io

import openpyxl
import pytest

from motcua.documents import ocr, services
from motcua.documents.models import Document, DocumentStatus, DocumentTask
from motcua.documents.tests.scans import SAMPLES, png, render
from motcua.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-test-12345")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_scan_to_completed_reply(
    browser_page, live_server, ward_a, make_staff, settings, tmp_path, artifacts_dir
):
    settings.MOTCUA_DOCUMENTS_OCR = True
    if ocr.unavailable_reason():
        pytest.skip(ocr.unavailable_reason())
    clerk = make_staff(Role.CLERK, ward_a, username="vanthu.test", email="vanthu@example.vn")
    leader = make_staff(Role.UNIT_LEADER, ward_a, username="lanhdao.test", email="lanhdao@example.vn")
    specialist = make_staff(Role.SPECIALIST, ward_a, username="chuyenvien.test", email="cv@example.vn")
    sample = SAMPLES[0]
    image, _truth = render(sample, dpi=200)
    scan = tmp_path / "scan.png"
    scan.write_bytes(png(image, 200))
    page = browser_page

    sign_in(page, clerk)
    page.goto("/staff/van-ban-den/")
    page.set_input_files("#file", str(scan))
    page.select_option("#urgency", "khan")
    page.click("#intake button")
    page.wait_for_selector("#arrival-number")
    assert page.inner_text("#arrival-number") == "1"
    document = Document.objects.get()
    assert page.get_attribute("#ocr-status", "data-status") == "pending"
    assert services.run_ocr(document.pk) == "done"  # what the task worker does
    page.reload()
    assert page.input_value("#f-number") == "125/UBND-VP"
    assert page.input_value("#f-issuer") == "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ"
    assert page.input_value("#f-issued") == "2026-03-15"
    page.click("#confirm-form button")
    page.wait_for_selector(".messages")
    page.select_option("#handler", str(specialist.pk))
    page.click("#present-form button")
    page.wait_for_selector(".messages")
    document.refresh_from_db()
    assert document.fields_confirmed and document.status == DocumentStatus.AWAITING_DIRECTIVE

    sign_in(page, leader)
    page.goto(f"/staff/van-ban-den/{document.pk}/")
    page.wait_for_function("document.getElementById('overlay').width > 0")
    box = page.locator("#overlay").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.30)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(
            box["x"] + box["width"] * (0.55 + step * 0.02),
            box["y"] + box["height"] * (0.30 + (step % 3) * 0.01),
        )
    page.mouse.up()
    assert page.input_value("#overlays") != "[]"
    page.fill("#directive-text", "Giao đồng chí chuyên viên chủ trì, báo cáo kết quả đúng hạn.")
    page.fill("#working_days", "3")
    page.screenshot(path=str(artifacts_dir / "documents-directive.png"), full_page=True)
    page.click("#directive-submit")
    page.wait_for_selector("#tasks")
    document.refresh_from_db()
    directive = document.directives.get()
    assert document.status == DocumentStatus.ASSIGNED and directive.lead_person == specialist
    assert directive.overlays[0]["page"] == 1 and len(directive.overlays[0]["strokes"][0]) >= 5
    task = DocumentTask.objects.get(document=document)
    assert task.assignee == specialist and task.deadline > document.arrival_at

    assert services.remind_and_escalate(now=task.deadline - dt.timedelta(hours=2)) == 1  # the periodic task
    sign_in(page, specialist)
    page.goto("/staff/van-ban-den/")
    assert "1/" in page.inner_text("section.card")
    page.goto(f"/staff/van-ban-den/{document.pk}/")
    assert "đã nhắc" in page.inner_text("#tasks")
    page.fill("#r-number", "45/UBND-VP")
    page.fill("#r-date", "2026-03-25")
    page.fill("#r-summary", "Báo cáo kết quả ra quân vệ sinh môi trường")
    page.click("#reply-form button")
    page.wait_for_selector("#replies")
    page.click("#complete-form button")
    page.wait_for_selector(".messages")
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.replies.get().number_notation == "45/UBND-VP"

    sign_in(page, clerk)
    xlsx = page.request.get("/staff/van-ban-den/so-den.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.body())).active.iter_rows(values_only=True))
    assert rows[1][1] == 1 and rows[1][3] == "125/UBND-VP" and rows[1][7] == str(specialist)
    pdf = page.request.get("/staff/van-ban-den/so-den.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    text = ocr.text_layer(pdf.body())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "tăng cường công tác vệ sinh" in text
    assert "125/UBND-VP" in "".join(text.split())  # table cells wrap the notation
