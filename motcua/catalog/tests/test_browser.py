"""A citizen finds a procedure without diacritics and opens its printable sheet (Playwright, Chromium)."""

from __future__ import annotations

import pytest

from motcua.catalog import services
from motcua.catalog.models import Procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_unaccented_then_open_the_procedure(browser_page, live_server, artifacts_dir):
    services.import_file()
    services.update_procedure(Procedure.objects.get(code="1.001193"), actor="test", online_level="full")
    page = browser_page
    page.goto("/thu-tuc/")
    page.fill("#q", "giay khai sinh")
    page.press("#q", "Enter")
    page.wait_for_selector(".results li")
    first = page.locator(".results li a").first
    assert "Thủ tục đăng ký khai sinh" in first.inner_text()
    page.screenshot(path=str(artifacts_dir / "catalog-search.png"), full_page=False)
    first.click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Thủ tục đăng ký khai sinh"
    assert page.get_by_role("link", name="Nộp trực tuyến").get_attribute("href") == "/nop-ho-so/1.001193/"
    assert "Giấy chứng sinh" in page.inner_text("table")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()  # the printed sheet has no navigation
    page.emulate_media(media="screen")
    page.screenshot(path=str(artifacts_dir / "catalog-procedure.png"), full_page=True)
