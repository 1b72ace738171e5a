import datetime as dt

import pytest

from motcua.core.models import OutboundMessage
from motcua.feedback import services
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Report, ReportStatus
from motcua.feedback.tests.conftest import at


def test_old_ward_name_routes_to_todays_ward(categories, ward_a):
    report = services.submit_report(
        channel="web",
        description="Rác thải tồn đọng nhiều ngày trước nhà",
        category_code="rac-thai",
        address="Số 12 Trần Hưng Đạo, phường Cầu Kho, Quận 1",
        phone="0901 234 567",
        now=at(2026, 3, 2),
    )
    assert report.ward == ward_a
    assert report.unit == ward_a
    assert report.status == ReportStatus.ASSIGNED
    assert report.code == "PA-260302-0001"
    # 10 working days after Monday 2 March 2026 -> Monday 16 March 2026
    assert report.deadline == dt.date(2026, 3, 16)
    sms = OutboundMessage.objects.get(channel="sms", recipient="0901234567")
    assert "PA-260302-0001" in sms.body


def test_address_in_ward_b_routes_to_ward_b(categories, ward_b):
    report = services.submit_report(
        channel="hotline",
        description="Đèn đường tắt cả tuần nay",
        category_code="chieu-sang",
        attributes={"kind": "off"},
        address="45 Lê Lợi, phường Sài Gòn",
    )
    assert report.unit == ward_b


def test_rule_routes_to_agency_with_15_days(categories, agency_justice):
    report = services.submit_report(
        channel="web",
        description="Chậm trả hồ sơ công chứng hợp đồng",
        category_code="thu-tuc-hanh-chinh",
        address="phường Cầu Kho",
        now=at(2026, 3, 2),
    )
    assert report.unit == agency_justice
    assert report.deadline == dt.date(2026, 3, 23)


def test_no_category_goes_to_city_triage(categories, province):
    report = services.submit_report(
        channel="email", description="Tôi muốn phản ánh một việc chung chung", email="a@example.com"
    )
    assert report.unit == province
    assert report.status == ReportStatus.RECEIVED


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"description": "ngắn"}, "description_required"),
        ({"phone": "12ab"}, "bad_phone"),
        ({"category_code": "nope"}, "unknown_category"),
        ({"email": "not-an-email"}, "bad_email"),
        ({"latitude": 200, "longitude": 10}, "bad_location"),
        ({"channel": "fax"}, "bad_channel"),
    ],
)
def test_bad_input_changes_nothing(categories, kwargs, code):
    args = {"channel": "web", "description": "Nội dung phản ánh đủ dài"} | kwargs
    with pytest.raises(FeedbackError) as err:
        services.submit_report(**args)
    assert err.value.code == code
    assert Report.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_sms_receipt_is_delivered_by_the_worker(
    categories, ward_a, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.submit_report(
            channel="hotline",
            description="Rác thải tồn đọng trước chợ",
            category_code="rac-thai",
            address="phường Cầu Kho",
            phone="0901234567",
        )
    run_tasks()
    sms = OutboundMessage.objects.get(recipient="0901234567")
    assert sms.status == OutboundMessage.Status.SENT and report.code in sms.body


def test_lat_long_only_resolves_nearest_ward(categories, ward_a):
    report = services.submit_report(
        channel="open311",
        description="Rác thải tồn đọng ở góc phố",
        category_code="rac-thai",
        latitude=ward_a.latitude + 0.0005,
        longitude=ward_a.longitude,
    )
    assert report.ward == ward_a and report.unit == ward_a


def test_category_suggestions_from_text(categories):
    from motcua.feedback.selectors import suggest_categories

    assert [c.code for c in suggest_categories("Đèn đường trước nhà tắt cả tuần")] == ["chieu-sang"]
    assert [c.code for c in suggest_categories("Hồ sơ công chứng bị trễ")] == ["thu-tuc-hanh-chinh"]
    assert suggest_categories("xin chào") == []


@pytest.mark.urls("motcua.feedback.tests.urls")
def test_open311_attribute_types(client, categories, ward_b):
    from motcua.feedback.models import Category

    Category.objects.create(
        code="ngap-nuoc",
        name="Ngập nước",
        attributes=[
            {
                "code": "depth",
                "datatype": "number",
                "required": False,
                "order": 1,
                "description": "Độ sâu (cm)",
            },
            {
                "code": "impact",
                "datatype": "multivaluelist",
                "required": True,
                "order": 2,
                "description": "Ảnh hưởng",
                "values": [{"key": "road", "name": "Giao thông"}, {"key": "home", "name": "Nhà dân"}],
            },
        ],
    )
    services.create_api_key("app", "k-1")
    base = {
        "api_key": "k-1",
        "service_code": "ngap-nuoc",
        "address_id": ward_b.code,
        "description": "Ngập sâu sau cơn mưa chiều",
    }
    ok = client.post(
        "/open311/v2/requests.json",
        base | {"attribute[depth]": "30", "attribute[impact][]": ["road", "home"]},
    )
    assert ok.status_code == 200, ok.content
    report = Report.objects.get(code=ok.json()[0]["service_request_id"])
    assert report.attributes == {"depth": "30", "impact": ["road", "home"]} and report.unit == ward_b
    for bad in (
        {"attribute[depth]": "sâu", "attribute[impact][]": ["road"]},
        {"attribute[impact][]": ["river"]},
        {},
    ):
        r = client.post("/open311/v2/requests.json", base | bad)
        assert r.status_code == 400 and r.json()[0]["code"] == 400
    r = client.post(
        "/open311/v2/requests.json", base | {"address_id": "99999", "attribute[impact][]": ["road"]}
    )
    assert r.status_code == 400 and "address_id" in r.json()[0]["description"]
    assert Report.objects.count() == 1


@pytest.mark.urls("motcua.feedback.tests.urls")
def test_open311_key_in_query_string_and_media_upload(client, categories, ward_b, make_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.create_api_key("app", "k-2")
    png = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    r = client.post(
        "/open311/v2/requests.xml?api_key=k-2&jurisdiction_id=",
        {
            "service_code": "rac-thai",
            "address_string": "phường Sài Gòn",
            "description": "Rác thải trước chợ",
            "media": png,
        },
    )
    assert r.status_code == 200, r.content
    report = Report.objects.get()
    assert report.photo.name.endswith(".png")
    from motcua.feedback.tests.workflow_helpers import publish

    publish(report, make_staff)
    row = client.get(f"/open311/v2/requests/{report.code}.json").json()[0]
    assert row["media_url"].startswith("http://testserver/media/") and row["media_url"].endswith(".png")
    exe = SimpleUploadedFile("p.png", b"MZ\x90\x00", content_type="image/png")
    r = client.post(
        "/open311/v2/requests.json?api_key=k-2",
        {"service_code": "rac-thai", "address_string": "phường Sài Gòn", "media": exe},
    )
    assert r.status_code == 400 and Report.objects.count() == 1
    assert client.get("/open311/v2/service/rac-thai.json").json()["service_code"] == "rac-thai"


def test_required_open311_attributes_do_not_block_other_channels(categories, ward_a):
    report = services.submit_report(
        channel="kiosk",
        description="Đèn đường tắt cả tuần nay",
        category_code="chieu-sang",
        address="phường Cầu Ông Lãnh",
    )
    assert report.unit == ward_a and report.attributes == {}
    with pytest.raises(FeedbackError) as err:
        services.submit_report(
            channel="open311",
            description="Đèn đường tắt cả tuần nay",
            category_code="chieu-sang",
            address="phường Cầu Ông Lãnh",
        )
    assert err.value.code == "bad_attribute"
