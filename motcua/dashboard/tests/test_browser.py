"""Browser walk (Playwright on Chromium): the city leader and a ward leader on the same dashboard page see
different scopes, in the drill-down and in the export; the ward leader who edits the URL or the unit filter
to another ward gets nothing of it; an anonymous visitor sees only the public figures."""

from __future__ import annotations

import pytest

from motcua.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "from=2022-01-01&to=2030-12-31"


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-test-12345")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_city_and_ward_leaders_and_the_public(
    browser_page, live_server, intake, ward_a, ward_b, province, make_staff, artifacts_dir
):
    page = browser_page
    a = intake()
    b = intake(receiving_unit=ward_b, competent_unit=ward_b, actor=make_staff(Role.DESK_OFFICER, ward_b))
    city, ward = make_staff(Role.UNIT_LEADER, province), make_staff(Role.UNIT_LEADER, ward_a)

    sign_in(page, city)
    page.goto(f"/staff/dashboard/?{PERIOD}")
    assert page.inner_text("#scope-unit") == province.name
    assert page.locator("svg.chart").count() >= 2
    page.screenshot(path=str(artifacts_dir / "dashboard-city.png"), full_page=True)
    page.click("a[data-figure=received]")
    listed = page.inner_text("#drill-list")
    assert a.code in listed and b.code in listed
    page.click(f"text={a.code}")
    assert a.code in page.content()

    sign_in(page, ward)
    page.goto(f"/staff/dashboard/?{PERIOD}")
    assert page.inner_text("#scope-unit") == ward_a.name
    assert ward_b.name not in page.content()
    options = page.locator("#unit option").all_inner_texts()
    assert ward_b.name not in options
    page.click("a[data-figure=received]")
    listed = page.inner_text("#drill-list")
    assert a.code in listed and b.code not in listed
    export = page.request.get(f"/staff/dashboard/xuat.csv?{PERIOD}").text()
    assert ward_a.code in export and ward_b.name not in export
    # the URL edited to another ward, and to the city: nothing of it
    for code in (ward_b.code, province.code):
        response = page.goto(f"/staff/dashboard/?unit={code}&{PERIOD}")
        assert response.status == 403
        assert ward_b.name not in page.content() and b.code not in page.content()
        response = page.goto(f"/staff/dashboard/ho-so/?unit={code}&figure=received&{PERIOD}")
        assert response.status == 403 and b.code not in page.content()
    page.screenshot(path=str(artifacts_dir / "dashboard-ward-refused.png"), full_page=True)

    page.context.clear_cookies()
    response = page.goto(f"/staff/dashboard/?unit={ward_a.code}")
    assert "/staff/login/" in page.url
    page.goto(f"/cong-khai/{ward_a.code}/")
    assert ward_a.name in page.content()
    assert a.code not in page.content() and "Nguyễn Văn An" not in page.content()
    page.screenshot(path=str(artifacts_dir / "public-ward.png"), full_page=True)
