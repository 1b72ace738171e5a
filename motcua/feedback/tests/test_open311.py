"""An Open311 GeoReport v2 client speaking real HTTP to the live server, in JSON and in XML."""

import xml.etree.ElementTree as ET

import pytest
import requests

from motcua.feedback import services
from motcua.feedback.models import Report
from motcua.feedback.tests.workflow_helpers import publish

pytestmark = [pytest.mark.urls("motcua.feedback.tests.urls"), pytest.mark.django_db(transaction=True)]
KEY = "test-open311-key"


@pytest.fixture
def api(live_server, categories):
    services.create_api_key("test client", KEY)
    return live_server.url + "/open311/v2"


def test_discovery_and_services_json(api):
    d = requests.get(f"{api}/discovery.json", timeout=10).json()
    assert d["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "application/json" in d["endpoints"][0]["formats"]
    services_ = requests.get(f"{api}/services.json", timeout=10).json()
    codes = {s["service_code"]: s for s in services_}
    assert set(codes) == {"rac-thai", "chieu-sang", "thu-tuc-hanh-chinh"}
    den = codes["chieu-sang"]
    assert den["metadata"] is True and den["type"] == "realtime" and den["group"] == "Hạ tầng"
    assert codes["rac-thai"]["metadata"] is False
    assert set(den) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    definition = requests.get(f"{api}/services/chieu-sang.json", timeout=10).json()
    assert definition["service_code"] == "chieu-sang"
    kind = [a for a in definition["attributes"] if a["code"] == "kind"][0]
    assert kind["datatype"] == "singlevaluelist" and kind["required"] is True and kind["variable"] is True
    assert kind["values"] == [{"key": "off", "name": "Đèn tắt"}, {"key": "blink", "name": "Đèn chập chờn"}]


def test_submit_and_read_back_json(api, ward_a, make_staff):
    response = requests.post(
        f"{api}/requests.json",
        data={
            "api_key": KEY,
            "service_code": "chieu-sang",
            "attribute[kind]": "off",
            "attribute[pole]": "CK-12",
            "address_string": "12 Trần Hưng Đạo, phường Cầu Kho, Quận 1",
            "lat": "10.7635",
            "long": "106.6930",
            "description": "Đèn đường tắt từ tối qua",
            "first_name": "Lan",
            "last_name": "Nguyễn",
            "phone": "0909000111",
            "email": "lan@example.com",
            "device_id": "dev-1",
            "account_id": "acc-9",
            "media_url": "https://example.org/p.jpg",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    created = response.json()[0]
    code = created["service_request_id"]
    assert code.startswith("PA-") and created["account_id"] == "acc-9"
    report = Report.objects.get(code=code)
    assert report.unit == ward_a and report.channel == "open311"
    assert report.attributes == {"kind": "off", "pole": "CK-12"}
    # not published before it is answered: the same 404 as an unknown code
    assert requests.get(f"{api}/requests/{code}.json", timeout=10).status_code == 404
    publish(report, make_staff)
    [row] = requests.get(f"{api}/requests/{code}.json", timeout=10).json()
    assert row["service_request_id"] == code and row["status"] == "closed"
    assert row["service_code"] == "chieu-sang" and row["agency_responsible"] == ward_a.name
    assert (
        row["lat"] == 10.7635 and row["long"] == 106.693 and row["media_url"] == "https://example.org/p.jpg"
    )
    assert row["expected_datetime"].endswith("+07:00") and "T17:00:00" in row["expected_datetime"]
    assert "0909000111" not in row["description"]
    listed = requests.get(
        f"{api}/requests.json", params={"service_code": "chieu-sang", "status": "closed"}, timeout=10
    ).json()
    assert [r["service_request_id"] for r in listed] == [code]
    assert requests.get(f"{api}/requests.json", params={"status": "open"}, timeout=10).json() == []
    token = requests.get(f"{api}/tokens/{created['token']}.json", timeout=10).json()
    assert token == [{"service_request_id": code, "token": created["token"]}]
    ext = requests.get(f"{api}/requests/{code}.json", params={"extensions": "true"}, timeout=10).json()[0]
    assert ext["extended_attributes"]["detailed_status"] == "answered"
    assert "extended_attributes" not in row


def test_submit_and_read_back_xml(api, ward_b, make_staff):
    services_xml = ET.fromstring(requests.get(f"{api}/services.xml", timeout=10).content)
    assert services_xml.tag == "services"
    assert {s.findtext("service_code") for s in services_xml.findall("service")} >= {"rac-thai"}
    definition = ET.fromstring(requests.get(f"{api}/services/chieu-sang.xml", timeout=10).content)
    assert definition.tag == "service_definition"
    values = definition.findall("attributes/attribute/values/value")
    assert [v.findtext("key") for v in values] == ["off", "blink"]
    response = requests.post(
        f"{api}/requests.xml",
        data={
            "api_key": KEY,
            "service_code": "rac-thai",
            "address_string": "45 Lê Lợi, phường Sài Gòn",
            "description": "Rác đổ bừa bãi ở góc đường",
        },
        timeout=10,
    )
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/xml")
    created = ET.fromstring(response.content)
    assert created.tag == "service_requests"
    code = created.find("request").findtext("service_request_id")
    publish(Report.objects.get(code=code), make_staff)
    got = ET.fromstring(requests.get(f"{api}/requests/{code}.xml", timeout=10).content)
    request = got.find("request")
    assert request.findtext("service_request_id") == code
    assert request.findtext("status") == "closed"
    assert request.findtext("agency_responsible") == ward_b.name
    listed = ET.fromstring(requests.get(f"{api}/requests.xml", timeout=10).content)
    assert code in [r.findtext("service_request_id") for r in listed.findall("request")]
    discovery = ET.fromstring(requests.get(f"{api}/discovery.xml", timeout=10).content)
    assert discovery.findtext("endpoints/endpoint/formats/format") == "text/xml"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_per_spec(api, fmt):
    def errors(response):
        if fmt == "json":
            body = response.json()
            return body[0]["code"], body[0]["description"]
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        return int(root.find("error").findtext("code")), root.find("error").findtext("description")

    base = {
        "service_code": "rac-thai",
        "address_string": "phường Sài Gòn",
        "description": "Rác rất nhiều ở đây",
    }
    r = requests.post(f"{api}/requests.{fmt}", data=base | {"api_key": "wrong"}, timeout=10)
    assert r.status_code == 403 and errors(r)[0] == 403
    r = requests.post(f"{api}/requests.{fmt}", data=base, timeout=10)
    assert r.status_code == 403
    r = requests.post(
        f"{api}/requests.{fmt}", data=base | {"api_key": KEY, "service_code": "nope"}, timeout=10
    )
    assert r.status_code == 404 and errors(r)[0] == 404
    r = requests.post(f"{api}/requests.{fmt}", data={"api_key": KEY, "service_code": "rac-thai"}, timeout=10)
    assert r.status_code == 400 and "location" in errors(r)[1]
    r = requests.post(
        f"{api}/requests.{fmt}",
        data={"api_key": KEY, "service_code": "chieu-sang", "address_string": "phường Sài Gòn"},
        timeout=10,
    )
    assert r.status_code == 400  # required attribute[kind] missing
    assert requests.get(f"{api}/services/nope.{fmt}", timeout=10).status_code == 404
    assert requests.get(f"{api}/requests/PA-000000-0000.{fmt}", timeout=10).status_code == 404
    r = requests.get(f"{api}/services.{fmt}", params={"jurisdiction_id": "elsewhere.gov"}, timeout=10)
    assert r.status_code == 404 and errors(r)[0] == 404
    assert requests.get(f"{api}/services.{fmt}", params={"jurisdiction_id": "tphcm.gov.vn"}, timeout=10).ok
    host = api.split("//")[1].split(":")[0]
    assert requests.get(f"{api}/services.{fmt}", params={"jurisdiction_id": host}, timeout=10).ok
    r = requests.get(f"{api}/requests.{fmt}", params={"start_date": "yesterday"}, timeout=10)
    assert r.status_code == 400
    assert Report.objects.count() == 0


def test_date_window_and_limit(api, categories, make_staff):
    import datetime as dt

    from django.utils import timezone

    old = services.submit_report(
        channel="web",
        description="Rác tồn đọng cũ lâu ngày",
        category_code="rac-thai",
        address="phường Sài Gòn",
        now=timezone.now() - dt.timedelta(days=120),
    )
    new = services.submit_report(
        channel="web",
        description="Rác tồn đọng mới hôm nay",
        category_code="rac-thai",
        address="phường Sài Gòn",
    )
    publish(old, make_staff)
    publish(new, make_staff)
    ids = [r["service_request_id"] for r in requests.get(f"{api}/requests.json", timeout=10).json()]
    assert new.code in ids and old.code not in ids
    start = (timezone.now() - dt.timedelta(days=130)).isoformat()
    end = (timezone.now() - dt.timedelta(days=100)).isoformat()
    ids = [
        r["service_request_id"]
        for r in requests.get(
            f"{api}/requests.json", params={"start_date": start, "end_date": end}, timeout=10
        ).json()
    ]
    assert ids == [old.code]
    both = requests.get(
        f"{api}/requests.json", params={"service_request_id": f"{old.code},{new.code}"}, timeout=10
    ).json()
    assert {r["service_request_id"] for r in both} == {old.code, new.code}
