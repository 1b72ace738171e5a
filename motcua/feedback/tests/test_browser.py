"""The hotline console in a real browser: the operator types, the panels fill in, the report is filed."""

import pytest

from motcua.feedback import services
from motcua.feedback.models import Channel, Report
from motcua.org.models import Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("motcua.feedback.tests.urls"),
]


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-test-12345")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_hotline_console(browser_page, live_server, categories, make_staff, province, ward_a, artifacts_dir):
    earlier = services.submit_report(
        channel="hotline",
        description="Đèn đường tắt cả tuần nay",
        category_code="chieu-sang",
        attributes={"kind": "off"},
        address="phường Cầu Ông Lãnh",
        phone="0912345678",
    )
    operator = make_staff(Role.HOTLINE_OPERATOR, province)
    page = browser_page
    sign_in(page, operator)
    page.goto("/staff/feedback/hotline/")
    page.fill("#id_phone", "0912345678")
    page.fill("#id_description", "Có người xả rác ra kênh mỗi tối")
    page.fill("#id_address", "Số 5 Trần Hưng Đạo, phường Cầu Kho, Quận 1")
    page.wait_for_selector(f"#fb-earlier >> text={earlier.code}")
    page.wait_for_function("document.getElementById('fb-place').textContent.includes('Cầu Ông Lãnh')")
    assert page.input_value("#id_category") == "rac-thai"  # suggested from the words "xả rác"
    page.fill("#id_contact_name", "Trần Văn Bình")
    page.screenshot(path=str(artifacts_dir / "feedback-hotline-console.png"), full_page=True)
    page.click("button[accesskey=s]")
    page.wait_for_selector(".messages")
    report = Report.objects.exclude(pk=earlier.pk).get()
    assert report.channel == Channel.HOTLINE and report.unit == ward_a and report.category.code == "rac-thai"
    assert report.code in page.inner_text(".messages")
