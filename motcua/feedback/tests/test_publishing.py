"""What the public sees follows one publishing rule (public category, answered and published): the public
page and Open311 GET alike; an unpublished code is the same 404 as an unknown one. Open311 CORS is closed
unless configured, and only http(s) media links are stored or republished."""

import pytest

from motcua.feedback import services
from motcua.feedback.models import Category, Report
from motcua.feedback.tests.workflow_helpers import bring_to, new_report, snapshot
from motcua.org.models import Role

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")
KEY = "test-open311-key"


@pytest.fixture
def staff(make_staff, ward_a):
    return {"drafter": make_staff(Role.SPECIALIST, ward_a), "leader": make_staff(Role.UNIT_LEADER, ward_a)}


def _not_found_bodies(client, url_of, codes):
    pages = [client.get(url_of(code)) for code in codes]
    assert [p.status_code for p in pages] == [404] * len(codes)
    return pages


def test_unpublished_reports_are_the_same_404_as_unknown_codes(client, categories, staff):
    waiting = new_report()
    answered = bring_to("answered", **staff)
    assert client.get(f"/phan-anh/{answered.code}/").status_code == 200
    unknown = waiting.code[:-4] + "9999"
    _not_found_bodies(client, lambda c: f"/phan-anh/{c}/", [waiting.code, unknown])
    # the reporter's own link (the receipt SMS) shows it before it is published
    page = client.get(f"/phan-anh/{waiting.code}/?t={waiting.token}")
    assert page.status_code == 200 and waiting.code in page.content.decode()
    assert client.get(f"/phan-anh/{waiting.code}/?t=00000000-0000-0000-0000-000000000000").status_code == 404


def test_a_non_public_category_is_never_published(client, categories, staff):
    answered = bring_to("answered", **staff)
    Category.objects.filter(pk=answered.category_id).update(public=False)
    assert client.get(f"/phan-anh/{answered.code}/").status_code == 404
    assert answered.code not in client.get("/phan-anh/cong-khai/").content.decode()
    assert client.get(f"/open311/v2/requests/{answered.code}.json").status_code == 404


def test_open311_get_publishes_only_answered_public_reports(client, categories, staff):
    waiting = new_report()
    answered = bring_to("answered", **staff)
    rows = client.get("/open311/v2/requests.json?start_date=2026-02-20&end_date=2026-03-20").json()
    assert [r["service_request_id"] for r in rows] == [answered.code]
    a = client.get(f"/open311/v2/requests/{waiting.code}.json")
    b = client.get(f"/open311/v2/requests/{waiting.code[:-4]}9999.json")
    assert a.status_code == b.status_code == 404
    assert a.json()[0]["description"].split(":")[0] == b.json()[0]["description"].split(":")[0]
    listed = client.get(f"/open311/v2/requests.json?service_request_id={waiting.code},{answered.code}").json()
    assert [r["service_request_id"] for r in listed] == [answered.code]


def test_open311_cors_is_closed_unless_configured(client, categories, settings):
    response = client.get("/open311/v2/services.json", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    settings.OPEN311_CORS_ORIGINS = ["https://map.tphcm.gov.vn"]
    assert "Access-Control-Allow-Origin" not in client.get(
        "/open311/v2/services.json", HTTP_ORIGIN="https://evil.example"
    )
    ok = client.get("/open311/v2/services.json", HTTP_ORIGIN="https://map.tphcm.gov.vn")
    assert ok["Access-Control-Allow-Origin"] == "https://map.tphcm.gov.vn" and "Origin" in ok["Vary"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "JaVaScRiPt:alert(1)", "ftp://x/y.jpg"],
)
def test_open311_refuses_unsafe_media_urls(client, categories, url):
    services.create_api_key("test client", KEY)
    before = Report.objects.count()
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": KEY,
            "service_code": "rac-thai",
            "address_string": "phường Cầu Ông Lãnh",
            "description": "Rác thải tồn đọng trước chợ",
            "media_url": url,
        },
    )
    assert response.status_code == 400
    assert "http" in response.json()[0]["description"]
    assert Report.objects.count() == before


def test_a_stored_unsafe_media_url_is_not_republished(client, categories, staff):
    answered = bring_to("answered", **staff)
    Report.objects.filter(pk=answered.pk).update(media_url="javascript:alert(1)")
    row = client.get(f"/open311/v2/requests/{answered.code}.json").json()[0]
    assert row["media_url"] == ""


def test_published_description_hides_disguised_contact_data(client, categories, staff):
    report = new_report(
        description="Ong nguyen van an, goi (090) 123 4567 hoac an.nguyen (at) example.vn ve rac thai",
        contact_name="Nguyễn Văn An",
    )
    answer = services.draft_answer(report, actor=staff["drafter"], body="Đã thu gom rác")
    services.approve_answer(answer, actor=staff["leader"])
    for body in (
        client.get(f"/phan-anh/{report.code}/").content.decode(),
        client.get(f"/open311/v2/requests/{report.code}.json").content.decode(),
    ):
        assert "123 4567" not in body and "an.nguyen" not in body and "nguyen van an" not in body.lower()


def test_snapshot_helper_sees_outbox(categories):
    report = new_report()
    assert snapshot(report)["outbox"] == 1
