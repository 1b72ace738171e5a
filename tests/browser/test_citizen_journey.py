"""A citizen finds birth registration by everyday words, signs in by phone, files online with papers,
sees the code; an officer receives and finishes it; the citizen sees the change and rates the service."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PDF, PageWatch, finish_dossier, outbox_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "0912345678"


def test_find_submit_track_and_rate(
    browser_page, live_server, watch, catalog, ward_a, make_staff, artifacts_dir
):
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.models import Dossier
    from motcua.org.models import Role
    from motcua.surveys.models import Rating

    page = browser_page
    # 1. Home: search in everyday words, without diacritics.
    page.goto("/")
    watch.check("portal-home", artifacts_dir)
    page.fill("#q", "lam giay khai sinh")
    page.press("#q", "Enter")
    page.wait_for_url("**/thu-tuc/?q=*")
    first = page.locator("ul.results li a").first
    expect(first).to_contain_text("đăng ký khai sinh")
    expect(first).to_contain_text("1.001193")
    watch.reset()
    first.click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    watch.check("procedure-page", artifacts_dir)

    # 2. Online submission needs sign-in: phone number + one-time code from the SMS (what the phone receives).
    page.click("text=Nộp trực tuyến")
    page.wait_for_url("**/dang-nhap/?next=*")
    watch.check("sign-in")
    page.fill("#id_phone", PHONE)
    page.click("button:has-text('Nhận mã xác thực')")
    expect(page.locator(".demo-hint")).to_have_count(0)  # the code is on the phone only (no demo phone here)
    page.fill("#id_code", outbox_code(PHONE))
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url("**/nop-ho-so/1.001193/")

    # 3. The form: applicant (phone pre-filled from the account), declaration, papers.
    watch.check("submission-form")
    expect(page.locator("#id_applicant_phone")).to_have_value(PHONE)
    page.fill("#id_applicant_name", "Trần Thị Bích")
    page.fill("#id_applicant_personal_id", "079190001111")
    page.fill("#id_applicant_address", "12 Nguyễn Thái Học, phường Cầu Ông Lãnh, Thành phố Hồ Chí Minh")
    values = {
        "applicant_name": "Trần Thị Bích",
        "applicant_id": "079190001111",
        "applicant_address": "12 Nguyễn Thái Học, phường Cầu Ông Lãnh, Thành phố Hồ Chí Minh",
        "child_name": "Nguyễn Minh Khang",
        "child_dob": "2026-11-20",
        "child_ethnicity": "Kinh",
        "child_nationality": "Việt Nam",
        "child_birthplace": "Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh",
        "mother_name": "Trần Thị Bích",
        "mother_id": "079190001111",
    }
    for key, value in values.items():
        page.fill(f"#f_{key}", value)
    page.select_option("#f_relation", "Mẹ")
    page.select_option("#f_child_sex", "Nam")
    for input_ in page.locator("input[type=file]").all():
        label = page.locator(f"label[for='{input_.get_attribute('id')}']").inner_text()
        if "*" in label:
            input_.set_input_files({"name": "giay-to.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("button:has-text('Tiếp tục: kiểm tra lại')")
    page.wait_for_url("**/xem-lai/")
    expect(page.locator("body")).to_contain_text("Nguyễn Minh Khang")
    watch.check("submission-review")

    # 4. Submit with a double click: one dossier, its code on screen.
    page.dblclick("#submit-dossier")
    page.wait_for_url("**/da-nop/**")
    code = page.locator("#dossier-code").inner_text().strip()
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    assert dossier.code == code and dossier.channel == "online" and dossier.papers.count() >= 1
    # a mother filing for her own child: no authorisation letter asked, no special case answered yes
    assert dossier.paper_answers and not any(dossier.paper_answers.values())
    expect(page.locator("#appointment")).not_to_be_empty()

    # 5. An officer of the receiving unit receives it; the citizen sees the change.
    desk = make_staff(Role.DESK_OFFICER, dossier.receiving_unit)
    dossier_services.receive(dossier, actor=desk)
    page.goto(f"/tai-khoan/ho-so/{code}/")
    expect(page.locator("#status-label")).to_have_text("Đã tiếp nhận")

    # Public tracking by code (what the receipt's QR opens), for anyone: status, no personal data.
    anonymous = page.context.browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 768}
    )
    visitor = anonymous.new_page()
    visitor_watch = PageWatch(visitor, live_server.url)
    visitor.goto(f"/tra-cuu/{code}/")
    expect(visitor.locator("#status-label")).to_have_text("Đã tiếp nhận")
    assert "Trần Thị Bích" not in visitor.content() and "079190001111" not in visitor.content()
    visitor_watch.check("tracking-page", artifacts_dir)
    anonymous.close()

    # 6. Processed and returned online; the citizen downloads the result and rates the service.
    finish_dossier(dossier, make_staff)
    page.goto(f"/tai-khoan/ho-so/{code}/")
    expect(page.locator("#status-label")).to_have_text("Đã trả kết quả")
    expect(page.locator("a:has-text('Trích lục khai sinh')")).to_be_visible()
    page.click("#rate-link")
    watch.check("rating-form")
    for question, value in (("service", "5"), ("time", "4"), ("attitude", "5")):
        page.check(f"input[name=q_{question}][value='{value}']")
    page.fill("#rating-comment", "Nhanh, không phải đi lại.")
    page.click("button:has-text('Gửi đánh giá')")
    expect(page.locator("h1")).to_contain_text("Cảm ơn")
    rating = Rating.objects.get()
    assert rating.dossier_code == code and rating.channel == "portal" and rating.satisfied
