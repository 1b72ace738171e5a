"""An Open311 client reads back the status of the requests it filed, before they are published, with its
api_key; nobody else does (issue 11 security follow-up). Published requests stay readable by anyone."""

import pytest

from motcua.feedback import services
from motcua.feedback.models import ApiKey, Report
from motcua.feedback.tests.workflow_helpers import publish

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")
API = "/open311/v2"
KEY, OTHER = "open311-client-key-a", "open311-client-key-b"


@pytest.fixture
def filed(client, categories, ward_a):
    services.create_api_key("client A", KEY)
    services.create_api_key("client B", OTHER)
    response = client.post(
        f"{API}/requests.json",
        {
            "api_key": KEY,
            "service_code": "rac-thai",
            "address_string": "12 Trần Hưng Đạo, phường Cầu Ông Lãnh",
            "description": "Rác thải ùn ứ trước số 12",
            "first_name": "Lan",
            "phone": "0909000111",
        },
    )
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def _detail(client, code: str, **extra):
    return client.get(f"{API}/requests/{code}.json", **extra)


def test_the_filing_client_reads_its_unpublished_request_and_no_one_else(client, filed):
    report = Report.objects.get(code=filed)
    assert report.api_key == ApiKey.objects.get(name="client A")
    used = ApiKey.objects.get(name="client A").last_used_at
    mine = _detail(client, filed, QUERY_STRING=f"api_key={KEY}")
    assert mine.status_code == 200, mine.content
    (row,) = mine.json()
    assert row["service_request_id"] == filed and row["status"] == "open"
    assert "0909000111" not in mine.content.decode()  # the reporter's phone is never in a row
    by_header = _detail(client, filed, HTTP_X_API_KEY=KEY)
    assert by_header.status_code == 200 and by_header.json() == mine.json()
    assert ApiKey.objects.get(name="client A").last_used_at == used  # a GET writes nothing
    anonymous = _detail(client, filed)
    other = _detail(client, filed, QUERY_STRING=f"api_key={OTHER}")
    unknown = _detail(client, "PA-000000-0000", QUERY_STRING=f"api_key={OTHER}")
    assert anonymous.status_code == other.status_code == unknown.status_code == 404
    assert _detail(client, filed, QUERY_STRING="api_key=forged").status_code == 403


def test_the_list_shows_the_clients_own_requests_and_published_ones(client, filed, categories, make_staff):
    published = services.submit_report(
        channel="web",
        description="Rác thải trước chợ Cầu Ông Lãnh",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
    )
    publish(published, make_staff)

    def codes(**extra) -> set[str]:
        response = client.get(f"{API}/requests.json", **extra)
        assert response.status_code == 200, response.content
        return {row["service_request_id"] for row in response.json()}

    assert codes(QUERY_STRING=f"api_key={KEY}") == {filed, published.code}
    assert codes(QUERY_STRING=f"api_key={OTHER}") == {published.code}
    assert codes() == {published.code}
    by_id = f"service_request_id={filed},{published.code}"
    assert codes(QUERY_STRING=f"{by_id}&api_key={KEY}") == {filed, published.code}
    assert codes(QUERY_STRING=by_id) == {published.code}
    assert client.get(f"{API}/requests.json", QUERY_STRING="api_key=forged").status_code == 403
