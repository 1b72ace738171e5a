"""A form never changes what the officer did not touch: the classification card opens on the report's own
values, a note never changes status or class or unit and never messages the reporter."""

import pytest

from motcua.feedback.models import Classification, ReportEvent
from motcua.feedback.tests.workflow_helpers import new_report, snapshot
from motcua.org.models import Role

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")


@pytest.fixture
def officer(make_staff, ward_a):
    return make_staff(Role.SPECIALIST, ward_a)


def test_saving_a_note_changes_nothing_but_the_trace(client, categories, officer):
    report = new_report()
    client.force_login(officer)
    before = snapshot(report)
    r = client.post(f"/staff/feedback/{report.code}/note/", {"text": "Đã gọi lại, hẹn thu gom thứ Hai"})
    assert r.status_code == 302
    after = snapshot(report)
    assert after["row"] == before["row"]
    assert after["outbox"] == before["outbox"]
    assert after["answers"] == before["answers"]
    assert ReportEvent.objects.filter(report=report, kind="noted").count() == 1


def test_the_classification_card_opens_on_the_report_values(client, categories, officer):
    report = new_report()
    client.force_login(officer)
    page = client.get(f"/staff/feedback/{report.code}/").content.decode()
    assert f'<option value="{Classification.WITHIN_COMPETENCE}" selected>' in page
    assert '<option value="rac-thai" selected>' in page
    assert f'<option value="{Classification.NOT_ACCEPTED}" selected>' not in page


def test_saving_the_card_as_opened_keeps_status_unit_and_sends_nothing(client, categories, officer):
    report = new_report()
    client.force_login(officer)
    before = snapshot(report)
    r = client.post(
        f"/staff/feedback/{report.code}/classify/",
        {"classification": report.classification, "category": "rac-thai", "reason": "Đã xác minh"},
    )
    assert r.status_code == 302
    after = snapshot(report)
    for field in ("status", "unit", "category", "classification", "deadline", "closed_at"):
        assert after["row"][field] == before["row"][field]
    assert after["outbox"] == before["outbox"]


def test_a_card_without_a_class_is_refused_and_changes_nothing(client, categories, officer):
    report = new_report()
    client.force_login(officer)
    before = snapshot(report)
    r = client.post(f"/staff/feedback/{report.code}/classify/", {"reason": "chỉ ghi chú"})
    assert r.status_code == 400
    assert snapshot(report) == before
