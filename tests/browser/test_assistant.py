"""The assistant's chat box: a question in the portal and on the kiosk gets its cited answer; an officer
answers a handed-over question, and the same question is then answered by the assistant."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def knowledge(catalog, settings):
    from motcua.assistant.demo import seed_guide
    from motcua.assistant.index import clear_cache

    settings.ASSISTANT_UNIT_CODE = "26758"
    seed_guide()
    clear_cache()
    yield
    clear_cache()


def chat(page, question: str):
    if page.get_attribute("#as-toggle", "aria-expanded") != "true":
        page.click("#as-toggle")
    before = page.locator(".as-msg.as-assistant").count()
    page.fill("#as-input", question)
    page.press("#as-input", "Enter")
    answer = page.locator(".as-msg.as-assistant").nth(before)
    expect(answer).to_be_visible()
    return answer


def test_portal_and_kiosk_chat_give_cited_answers(browser_page, watch, artifacts_dir, knowledge):
    page = browser_page
    page.goto("/")
    answer = chat(page, "làm giấy khai sinh cho con cần giấy tờ gì")
    expect(answer).to_contain_text("Nguồn: danh mục thủ tục hành chính, mã 1.001193")
    expect(answer.locator("a", has_text="1.001193 – Thủ tục đăng ký khai sinh")).to_have_attribute(
        "href", "/thu-tuc/1.001193/"
    )
    follow = chat(page, "còn lệ phí thì sao?")
    expect(follow).to_contain_text("Lệ phí")
    expect(follow).to_contain_text("mã 1.001193")
    watch.check("assistant-portal", artifacts_dir)

    page.goto("/kiosk/")
    answer = chat(page, "dang ky tam tru mat bao nhieu tien")
    expect(answer).to_contain_text("Đăng ký tạm trú (mã 1.004194)")
    expect(answer).to_contain_text("10.000 đồng")
    watch.check("assistant-kiosk", artifacts_dir, full_page=False)


def test_an_officer_answer_teaches_the_assistant(browser_page, knowledge, make_staff, ward_a):
    from motcua.org.models import Role

    question = "Bà nội em 90 tuổi nằm một chỗ, phường có cử người tới nhà làm giấy tờ không ạ?"
    page = browser_page
    page.goto("/")
    first = chat(page, question)
    expect(first).to_contain_text("chuyển cho cán bộ")
    assert first.get_attribute("data-intent") == "handover"

    officer = make_staff(Role.DESK_OFFICER, ward_a, username="tiepnhan.test")
    assert officer.pk
    page.goto("/staff/login/?next=/staff/tro-ly/")
    page.fill("#id_username", "tiepnhan.test")
    page.fill("#id_password", "pw-test-12345")
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url("**/staff/tro-ly/")
    page.click("table a.btn")
    page.fill("#procedure", "1.003583")
    page.fill(
        "#reply", "Phường đăng ký khai sinh lưu động tại nhà, vui lòng gọi bộ phận Một cửa để hẹn lịch."
    )
    page.click("#resolve-form button")
    expect(page.locator(".messages")).to_contain_text("từ nay được trợ lý trả lời tự động")

    page.context.clear_cookies()
    page.goto("/kiosk/")
    again = chat(page, question)
    expect(again).to_contain_text("mã 1.003583")
    assert again.get_attribute("data-intent") == "procedure"
