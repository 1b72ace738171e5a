"""Browser walk (Playwright on Chromium): a birth registered at Phường Sài Gòn is found at Phường Cầu Ông
Lãnh, its certified extract copy issued there, and the copy's verification page says it is genuine."""

from __future__ import annotations

import pytest

from motcua.civil.models import ExtractCopy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-test-12345")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_extract_at_another_ward_and_public_verification(
    browser_page, birth_at_b, desk_officer, artifacts_dir
):
    page = browser_page
    sign_in(page, desk_officer)
    page.goto("/staff/civil/")
    page.fill("#id_q", "079224005678")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name=birth_at_b.code).click()
    assert page.get_by_text("Phường Sài Gòn").first.is_visible()
    page.fill("#id_collector_name", "Nguyễn Văn An")
    page.fill("#id_collector_personal_id", "079090001234")
    page.fill("#id_purpose", "Nhập học")
    page.check("#id_fee_collected")
    page.get_by_role("button", name="Cấp bản sao").click()
    page.wait_for_url("**/staff/civil/extracts/*/")
    copy = ExtractCopy.objects.get()
    assert copy.unit.code == "26758" and copy.copy_number == 1
    page.screenshot(path=str(artifacts_dir / "civil-extract-issued.png"), full_page=True)
    page.context.clear_cookies()
    page.goto(f"/xac-minh/{copy.verification_code}/")
    assert page.get_by_text("Giấy tờ thật").is_visible()
    # what a school or bank compares with the paper: name and date of birth, not the ID or the parents
    assert page.get_by_text("Nguyễn Minh Khang").count() == 1
    assert page.get_by_text("079224005678").count() == 0
    page.screenshot(path=str(artifacts_dir / "civil-verification.png"), full_page=True)
