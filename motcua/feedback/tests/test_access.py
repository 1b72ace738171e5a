"""Four callers on every staff action: anonymous, citizen, staff of another unit, staff of the unit."""

import pytest

from motcua.core.models import AuditEntry
from motcua.feedback import services
from motcua.feedback.models import Answer, Report, ReportStatus
from motcua.feedback.tests.conftest import at

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")


def snapshot(report):
    report.refresh_from_db()
    return (
        report.status,
        report.unit_id,
        report.classification,
        report.duplicate_of_id,
        report.answers.count(),
        report.events.count(),
        AuditEntry.objects.count(),
        list(report.answers.values_list("status", flat=True)),
    )


@pytest.fixture
def report(categories, ward_a):
    return services.submit_report(
        channel="web",
        description="Rác thải tồn đọng trước chợ",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        phone="0901000001",
        now=at(2026, 3, 2),
    )


@pytest.fixture
def other(categories, ward_a):
    return services.submit_report(
        channel="web",
        description="Rác thải tồn đọng trước chợ nữa",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 3, 2),
    )


def actions(report, other, agency):
    return [
        ("draft", {"body": "Đã xử lý"}),
        ("classify", {"classification": "officer_conduct"}),
        ("transfer", {"to_unit": agency.code, "reason": "Thuộc thẩm quyền"}),
        ("merge", {"into": other.code}),
        ("note", {"text": "Đã gọi lại cho người phản ánh"}),
    ]


@pytest.mark.parametrize("action", ["draft", "classify", "transfer", "merge", "note"])
def test_four_callers(
    client, report, other, agency_justice, citizen, other_ward_specialist, specialist, action
):
    data = dict(actions(report, other, agency_justice))[action]
    url = f"/staff/feedback/{report.code}/{action}/"
    before = snapshot(report)
    r = client.post(url, data)  # anonymous
    assert r.status_code == 302 and "/staff/login/" in r["Location"]
    assert snapshot(report) == before
    client.force_login(citizen)
    assert client.post(url, data).status_code == 403
    assert snapshot(report) == before
    client.force_login(other_ward_specialist)
    assert client.post(url, data).status_code == 404
    assert snapshot(report) == before
    client.force_login(specialist)
    assert client.post(url, data).status_code == 302
    assert snapshot(report) != before


def test_approval_four_callers(
    client, report, citizen, other_ward_specialist, specialist, leader, make_staff, ward_b
):
    services.draft_answer(report, actor=specialist, body="Đã xử lý")
    url = f"/staff/feedback/{report.code}/approve/"
    before = snapshot(report)
    assert client.post(url).status_code == 302 and snapshot(report) == before
    client.force_login(citizen)
    assert client.post(url).status_code == 403 and snapshot(report) == before
    client.force_login(make_staff("unit_leader", ward_b))
    assert client.post(url).status_code == 404 and snapshot(report) == before
    client.force_login(specialist)  # the unit's own specialist: not a leader
    assert client.post(url).status_code == 403 and snapshot(report) == before
    client.force_login(leader)
    assert client.post(url).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED
    assert report.answers.get().status == Answer.Status.PUBLISHED


def test_rating_link_needs_its_token(client, report, specialist, leader):
    answer = services.draft_answer(report, actor=specialist, body="Đã xử lý")
    services.approve_answer(answer, actor=leader)
    report.refresh_from_db()
    page = client.get(f"/phan-anh/{report.code}/danh-gia/{report.rating_token}/")
    assert page.status_code == 200 and "Chưa được giải quyết" in page.content.decode()
    before = snapshot(report)
    r = client.post(f"/phan-anh/{report.code}/danh-gia/wrong-token/", {"action": "reopen", "reason": "x"})
    # a wrong token is the same 404 as an unknown code: the link tells nothing about which codes exist
    assert r.status_code == 404 and snapshot(report) == before
    r = client.post("/phan-anh/PA-000000-9999/danh-gia/wrong-token/", {"action": "reopen", "reason": "x"})
    assert r.status_code == 404
    assert client.get(f"/phan-anh/{report.code}/danh-gia/wrong-token/").status_code == 404


def test_monitoring_is_scoped_by_unit(
    client, report, categories, ward_b, other_ward_specialist, leader, citizen, auditor
):
    theirs = services.submit_report(
        channel="web",
        description="Rác thải ở phường Sài Gòn nhiều",
        category_code="rac-thai",
        address="phường Sài Gòn",
    )
    client.force_login(leader)
    page = client.get("/staff/feedback/").content.decode()
    assert report.code in page and theirs.code not in page
    assert client.get(f"/staff/feedback/{theirs.code}/").status_code == 404
    assert client.get(f"/staff/feedback/{report.code}/").status_code == 200
    client.force_login(other_ward_specialist)
    page = client.get("/staff/feedback/").content.decode()
    assert theirs.code in page and report.code not in page
    client.force_login(auditor)  # read-only, everything
    page = client.get("/staff/feedback/").content.decode()
    assert theirs.code in page and report.code in page
    client.force_login(citizen)
    assert client.get("/staff/feedback/").status_code == 403
    client.logout()
    assert client.get("/staff/feedback/").status_code == 302
    assert client.get("/staff/feedback/hotline/").status_code == 302
    client.force_login(auditor)
    assert client.get("/staff/feedback/hotline/").status_code == 403


def test_figures_per_unit_and_category(report, categories, specialist, leader, ward_a):
    from motcua.feedback import selectors

    answer = services.draft_answer(report, actor=specialist, body="Đã xử lý", now=at(2026, 3, 4))
    services.approve_answer(answer, actor=leader, now=at(2026, 3, 4, 15))
    report.refresh_from_db()
    services.rate(report, token=report.rating_token, score=5)
    late = services.submit_report(
        channel="web",
        description="Rác thải tồn đọng lâu rồi",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 3, 2),
    )
    a2 = services.draft_answer(late, actor=specialist, body="Đã xử lý", now=at(2026, 3, 20))
    services.approve_answer(a2, actor=leader, now=at(2026, 3, 20, 10))
    figures = selectors.figures(leader)
    row = figures["by_unit"][0]
    assert row["unit__name"] == ward_a.name
    assert (row["received"], row["on_time"], row["late"], row["rated"], row["satisfied"]) == (2, 1, 1, 1, 1)
    assert row["satisfaction_pct"] == 100.0
    assert figures["by_category"][0]["category__code"] == "rac-thai"
    assert Report.objects.count() == 2


def test_dashboard_search_by_code_phone_and_words(client, report, other, leader):
    client.force_login(leader)
    for q in (report.code.lower(), "0901 000 001", "tồn đọng trước chợ nữa"):
        page = client.get("/staff/feedback/", {"q": q}).content.decode()
        expected, not_expected = (other, report) if "nữa" in q else (report, other)
        assert expected.code in page and not_expected.code not in page, q
