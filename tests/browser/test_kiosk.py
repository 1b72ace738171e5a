"""Kiosk: look up a dossier with the on-screen keypad, print the slip, reset after idle, leave feedback;
the kiosk home is clean (same-origin only, no console error, axe) at 1366x768 and 1080x1920."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier(ward_a, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers import services
    from motcua.portal.tests.conftest import ADDRESS, make_procedure

    procedure = make_procedure()
    files = {
        r.pk: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
        for r in procedure.requirements.filter(kind="submit", required=True)
    }
    return services.submit_online(
        procedure=procedure,
        citizen_user=citizen,
        files=files,
        idempotency_key="kiosk-browser-1",
        applicant={"name": "Nguyễn Văn An", "phone": "0901234567", "address": ADDRESS},
        form_data={"ho_ten": "Nguyễn Văn An", "gioi_tinh": "Nam"},
    )


def type_on_keypad(page, text: str) -> None:
    alpha = page.locator(".keys-alpha")
    for ch in text:
        wants_alpha = ch.isalpha()
        if wants_alpha != alpha.is_visible():
            page.click(".keypad [data-mode]")
        page.click(f".keypad .keys-{'alpha' if wants_alpha else 'num'} [data-key='{ch}']")


def test_kiosk_home_is_clean_in_both_screen_shapes(browser_page, watch, artifacts_dir, live_server):
    page = browser_page
    page.goto("/kiosk/")
    watch.check("kiosk-home", artifacts_dir, full_page=False)
    sizes = page.eval_on_selector_all(".ktile, .kbtn", "els => els.map(e => [e.offsetWidth, e.offsetHeight])")
    assert sizes and all(w >= 56 and h >= 56 for w, h in sizes), sizes
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto("/kiosk/tra-cuu/")
    watch.check("kiosk-keypad", artifacts_dir, full_page=False)
    keys = page.eval_on_selector_all(
        ".keypad button:visible", "els => els.map(e => [e.offsetWidth, e.offsetHeight])"
    )
    assert keys and all(w >= 56 and h >= 56 for w, h in keys), keys
    page.set_viewport_size({"width": 1080, "height": 1920})
    page.goto("/kiosk/")
    watch.check("kiosk-home-portrait", artifacts_dir, full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_lookup_with_keypad_print_and_idle_reset(browser_page, watch, dossier, artifacts_dir):
    page = browser_page
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto("/kiosk/?idle=3")
    page.click("#tile-lookup")
    page.wait_for_url("**/kiosk/tra-cuu/")
    type_on_keypad(page, dossier.code)
    expect(page.locator("#kiosk-code")).to_have_value(dossier.code)
    page.click("#kiosk-lookup-submit")
    page.wait_for_url(f"**/kiosk/tra-cuu/{dossier.code}/")
    expect(page.locator("#status-label")).to_contain_text("Mới nộp")
    assert "Nguyễn Văn An" not in page.content()
    watch.check("kiosk-lookup", artifacts_dir, full_page=False)
    page.click("#print-slip")
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert not page.locator(".kiosk-header").is_visible() and page.locator(".slip").is_visible()
    page.screenshot(path=str(artifacts_dir / "kiosk-slip-print.png"))
    page.emulate_media(media="screen")

    # Idle: start typing another code, then leave; the kiosk returns home and forgets everything.
    page.goto("/kiosk/tra-cuu/")
    page.click(".keypad [data-key='1']")
    page.click(".keypad [data-key='2']")
    expect(page.locator("#kiosk-code")).to_have_value("12")
    session_before = (
        next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
        if any(c["name"] == "sessionid" for c in page.context.cookies())
        else None
    )
    page.wait_for_url("**/kiosk/", timeout=8000)
    page.goto("/kiosk/tra-cuu/")
    expect(page.locator("#kiosk-code")).to_have_value("")
    session_after = [c["value"] for c in page.context.cookies() if c["name"] == "sessionid"]
    assert session_before is None or session_before not in session_after


def test_rating_and_feedback_at_the_kiosk(browser_page, dossier, ward_a, make_staff):
    from motcua.feedback.demo import seed_categories
    from motcua.feedback.models import Report
    from motcua.surveys.models import Rating
    from tests.browser.conftest import finish_dossier

    seed_categories()
    finish_dossier(dossier, make_staff)
    page = browser_page
    page.goto("/kiosk/")
    page.click("#tile-rate")
    type_on_keypad(page, dossier.code)
    page.click("#kiosk-lookup-submit")
    from motcua.dossiers.receipts import receipt_key

    type_on_keypad(page, receipt_key(dossier.code).replace("-", ""))
    page.click("#kiosk-key-submit")
    for question in ("service", "time", "attitude"):
        page.check(f"input[name=q_{question}][value='5']")
    page.click("#rating-submit")
    expect(page.locator("#kiosk-done")).to_contain_text("Cảm ơn")
    assert Rating.objects.get().channel == "kiosk"

    page.click("text=Về trang đầu")
    page.click("#tile-feedback")
    page.fill(
        "#id_description", "Vỉa hè trước chợ Cầu Ông Lãnh bị lấn chiếm, người đi bộ phải xuống lòng đường."
    )
    page.fill("#id_address", "Chợ Cầu Ông Lãnh, phường Cầu Ông Lãnh")
    page.click("#feedback-submit")
    expect(page.locator("#kiosk-done")).to_contain_text("Mã số phản ánh")
    report = Report.objects.get(channel="kiosk")
    assert report.code in page.locator("#kiosk-done").inner_text()


def test_feedback_text_is_typed_with_vietnamese_tones_on_the_screen_keyboard(browser_page, live_server):
    page = browser_page
    page.goto("/kiosk/phan-anh/")
    page.click("#id_description")
    for key in ("đ", "ư", "ơ", "n", "g"):
        page.click(f".vnkeyboard [data-key='{key}']")
    page.click(".vnkeyboard [data-tone='grave']")
    page.click(".vnkeyboard [data-key=' ']")
    for key in ("t", "o", "i"):
        page.click(f".vnkeyboard [data-key='{key}']")
    page.click(".vnkeyboard [data-tone='acute']")
    page.click(".vnkeyboard [data-tone='grave']")  # a second tone replaces the first
    expect(page.locator("#id_description")).to_have_value("đường tòi")
    page.click(".vnkeyboard [data-action='back']")
    page.click(".vnkeyboard [data-key='i']")
    expect(page.locator("#id_description")).to_have_value("đường tòi")
    page.click("#id_address")
    page.click(".vnkeyboard [data-action='shift']")
    page.click(".vnkeyboard [data-key='h']")
    expect(page.locator("#id_address")).to_have_value("H")
