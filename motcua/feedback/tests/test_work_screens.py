"""Issue 12 item 10, the hotline and feedback work screens: the leader's queue of answers waiting for
approval, transfer with a unit picker, and the routing preview that names the unit the real routing picks."""

import pytest

from motcua.feedback.intake import route
from motcua.feedback.models import Report
from motcua.feedback.models import ReportStatus as S
from motcua.feedback.tests.workflow_helpers import bring_to, new_report, snapshot
from motcua.org.models import Role

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")


@pytest.fixture
def staff(make_staff, ward_a):
    return {
        "drafter": make_staff(Role.SPECIALIST, ward_a),
        "leader": make_staff(Role.UNIT_LEADER, ward_a),
    }


def test_the_leader_sees_the_answers_waiting_for_approval(client, categories, staff, make_staff, ward_b):
    waiting = bring_to(S.AWAITING_APPROVAL, drafter=staff["drafter"], leader=staff["leader"])
    assigned = new_report(description="Rác thải ở hẻm 12")
    client.force_login(staff["leader"])
    page = client.get("/staff/feedback/").content.decode()
    queue = page.split('id="cho-duyet"')[1].split("</section>")[0]
    assert waiting.code in queue and assigned.code not in queue
    # the drafter and another ward's leader have no such queue
    for other in (staff["drafter"], make_staff(Role.UNIT_LEADER, ward_b)):
        client.force_login(other)
        assert 'id="cho-duyet"' not in client.get("/staff/feedback/").content.decode()


def test_transfer_offers_a_unit_picker_and_moves_the_report(client, categories, staff, agency_justice):
    report = new_report()
    client.force_login(staff["drafter"])
    page = client.get(f"/staff/feedback/{report.code}/").content.decode()
    assert '<select id="to_unit" name="to_unit" required>' in page
    assert f'<option value="{agency_justice.code}">{agency_justice.name}</option>' in page
    assert f'<option value="{report.unit.code}">' not in page  # not to itself
    r = client.post(
        f"/staff/feedback/{report.code}/transfer/", {"to_unit": agency_justice.code, "reason": "Thuộc Sở"}
    )
    assert r.status_code == 302
    assert Report.objects.get(pk=report.pk).unit == agency_justice


def test_a_transfer_to_no_unit_is_refused_and_changes_nothing(client, categories, staff):
    report = new_report()
    client.force_login(staff["drafter"])
    before = snapshot(report)
    client.post(f"/staff/feedback/{report.code}/transfer/", {"to_unit": "khong-co", "reason": "Thử"})
    assert snapshot(report)["row"] == before["row"]


def test_the_routing_preview_follows_the_category_chosen(client, categories, make_staff, province, ward_a):
    client.force_login(make_staff(Role.HOTLINE_OPERATOR, province))
    lookup = "/staff/feedback/hotline/lookup/"
    address = "12 Nguyễn Thái Học, phường Cầu Ông Lãnh"
    by_ward = client.get(lookup, {"text": "rác thải", "address": address}).json()
    assert by_ward["unit"] == route(categories["rac"], ward_a)[0].name == ward_a.name
    chosen = client.get(
        lookup, {"text": "rác thải", "address": address, "category": "thu-tuc-hanh-chinh"}
    ).json()
    assert chosen["unit"] == route(categories["tthc"], ward_a)[0].name != ward_a.name
