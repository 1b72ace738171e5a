"""Reply deadlines, transfer deadlines and escalations on the working-day calendar, with concrete dates."""

import datetime as dt

from motcua.core.models import OutboundMessage
from motcua.feedback import services
from motcua.feedback.models import ReportEvent
from motcua.feedback.tests.conftest import at
from motcua.org.models import Role


def test_deadline_skips_hung_kings_and_labour_day(categories, ward_a):
    # received Monday 20 April 2026: 27/4 (Hùng Kings, observed), 30/4 and 1/5 are days off -> Thursday 7 May
    report = services.submit_report(
        channel="hotline",
        description="Rác thải tồn đọng trước chợ",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 4, 20),
    )
    assert report.deadline == dt.date(2026, 5, 7)


def test_several_agencies_get_15_working_days(categories, ward_a, leader):
    report = services.submit_report(
        channel="web",
        description="Rác thải và cống nghẹt kéo dài",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 3, 2),
    )
    assert report.deadline == dt.date(2026, 3, 16)
    services.classify(report, actor=leader, classification="within", multi_agency=True, now=at(2026, 3, 3))
    report.refresh_from_db()
    assert report.deadline == dt.date(2026, 3, 23)


def test_escalation_to_leader_then_city(categories, ward_a, make_staff, province):
    unit_leader = make_staff(Role.UNIT_LEADER, ward_a, email="lanhdao@ward.vn")
    city_leader = make_staff(Role.UNIT_LEADER, province, email="lanhdao@city.vn")
    report = services.submit_report(
        channel="web",
        description="Rác thải tồn đọng trước chợ",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 4, 20),
    )
    assert services.escalate_due(now=at(2026, 5, 4, 8)) == 0  # three working days left
    assert services.escalate_due(now=at(2026, 5, 5, 8)) == 1  # two working days before 7 May
    report.refresh_from_db()
    assert report.escalation_level == 1
    assert OutboundMessage.objects.filter(recipient=unit_leader.email).count() == 1
    assert services.escalate_due(now=at(2026, 5, 7, 16)) == 0  # deadline day: not late yet, already raised
    assert services.escalate_due(now=at(2026, 5, 8, 8)) == 1  # passed: the city
    report.refresh_from_db()
    assert report.escalation_level == 2
    assert OutboundMessage.objects.filter(recipient=city_leader.email).count() == 1
    assert services.escalate_due(now=at(2026, 5, 11, 8)) == 0
    events = ReportEvent.objects.filter(report=report, kind="escalated").order_by("at")
    assert [e.data["level"] for e in events] == [1, 2]
    assert [e.to_unit for e in events] == [ward_a, province]


def test_late_answer_is_counted_late(categories, ward_a, specialist, leader):
    report = services.submit_report(
        channel="web",
        description="Rác thải tồn đọng trước chợ",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 4, 20),
    )
    answer = services.draft_answer(report, actor=specialist, body="Đã thu gom", now=at(2026, 5, 7, 10))
    services.approve_answer(answer, actor=leader, now=at(2026, 5, 8, 9))
    report.refresh_from_db()
    assert report.answered_late is True
    assert report.deadline_state() == "done_late"


def test_reopen_gets_a_new_deadline(categories, ward_a, specialist, leader):
    report = services.submit_report(
        channel="web",
        description="Rác thải tồn đọng trước chợ",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 3, 2),
    )
    answer = services.draft_answer(report, actor=specialist, body="Đã thu gom", now=at(2026, 3, 5))
    services.approve_answer(answer, actor=leader, now=at(2026, 3, 5, 14))
    report.refresh_from_db()
    services.reopen(report, token=report.rating_token, reason="Rác lại tồn đọng", now=at(2026, 3, 6))
    report.refresh_from_db()
    assert report.deadline == dt.date(2026, 3, 20)
    assert report.escalation_level == 0


def test_outside_competence_is_transferred_within_5_working_days(categories, ward_a, leader, agency_justice):
    report = services.submit_report(
        channel="web",
        description="Chậm chứng thực bản sao tại phường",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        now=at(2026, 4, 20),
    )
    services.classify(
        report,
        actor=leader,
        classification="outside",
        to_unit=agency_justice,
        reason="Thuộc thẩm quyền Sở Tư pháp",
        now=at(2026, 4, 21),
    )
    report.refresh_from_db()
    assert report.unit == agency_justice
    assert report.transfer_deadline == dt.date(2026, 4, 28)  # 21-24 April, 27 off, 28
    event = report.events.get(kind="transferred")
    assert (event.from_unit, event.to_unit, event.note) == (
        ward_a,
        agency_justice,
        "Thuộc thẩm quyền Sở Tư pháp",
    )


def test_unclear_competence_is_raised_after_one_working_hour(categories, province, make_staff):
    city_leader = make_staff(Role.UNIT_LEADER, province, email="lanhdao@city.vn")
    monday = services.submit_report(
        channel="hotline", description="Một việc chưa rõ thuộc lĩnh vực nào", now=at(2026, 3, 2, 9, 0)
    )
    friday = services.submit_report(
        channel="hotline", description="Một việc khác chưa rõ lĩnh vực nào", now=at(2026, 3, 6, 16, 30)
    )
    assert monday.unit == province and friday.unit == province
    assert services.escalate_due(now=at(2026, 3, 2, 9, 45)) == 0
    assert services.escalate_due(now=at(2026, 3, 2, 10, 5)) == 1
    monday.refresh_from_db()
    assert monday.escalation_level == 1
    # Friday 16:30 + 1 working hour = Monday 8:00 (office 7:30-11:30, 13:00-17:00): nothing over the weekend
    assert services.escalate_due(now=at(2026, 3, 7, 12, 0)) == 0
    assert services.escalate_due(now=at(2026, 3, 9, 8, 1)) == 1
    assert OutboundMessage.objects.filter(recipient=city_leader.email).count() == 2
