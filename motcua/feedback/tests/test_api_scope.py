"""GET /api/v1/feedback/reports/<code> answers by the one scope rule, like the lists (issue 11, security
follow-up): the unit's officer and the chat system that filed the report read it; an officer of another
ward, another system, a citizen and an anonymous caller do not. A second system reusing an external id
learns only that the id is taken."""

import pytest
from rest_framework.authtoken.models import Token

from motcua.feedback.models import Report
from motcua.org.models import Role, User, UserKind

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")
URL = "/api/v1/feedback/reports"
BODY = {
    "channel": "chat",
    "description": "Rác thải ùn ứ ở đầu hẻm 12",
    "category_code": "rac-thai",
    "address": "phường Cầu Ông Lãnh",
    "contact_name": "Đỗ Minh Khang",
    "phone": "0966555444",
    "external_id": "zl-77",
}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.fixture
def bot(db):
    return User.objects.create_user(username="zalo-bot", kind=UserKind.SYSTEM)


@pytest.fixture
def filed(client, categories, bot):
    response = client.post(URL, BODY, content_type="application/json", **_auth(bot))
    assert response.status_code == 201, response.content
    return response.json()["code"]


def test_four_callers_and_the_filing_system(client, filed, bot, make_staff, ward_a, ward_b, citizen):
    report = Report.objects.get(code=filed)
    assert report.unit_id == ward_a.pk
    url = f"{URL}/{filed}"
    assert client.get(url, **_auth(make_staff(Role.SPECIALIST, ward_a))).json()["code"] == filed
    assert client.get(url, **_auth(bot)).json()["code"] == filed
    outsider = client.get(url, **_auth(make_staff(Role.SPECIALIST, ward_b)))
    assert outsider.status_code == 404 and outsider.json()["code"] == "not_found"
    assert "Khang" not in outsider.content.decode()
    other_bot = User.objects.create_user(username="mail-bot", kind=UserKind.SYSTEM)
    assert client.get(url, **_auth(other_bot)).status_code == 404
    assert client.get(url, **_auth(citizen)).status_code == 403
    assert client.get(url).status_code == 401
    unknown = client.get(f"{URL}/PA-0000-000000", **_auth(make_staff(Role.SPECIALIST, ward_b)))
    assert unknown.status_code == 404 and unknown.json() == outsider.json()


def test_another_system_reusing_an_external_id_does_not_see_the_report(client, filed, bot):
    other_bot = User.objects.create_user(username="mail-bot", kind=UserKind.SYSTEM)
    before = (Report.objects.count(), Report.objects.get(code=filed).events.count())
    response = client.post(URL, BODY, content_type="application/json", **_auth(other_bot))
    assert response.status_code == 409 and response.json()["code"] == "external_id_taken"
    assert filed not in response.content.decode()
    assert (Report.objects.count(), Report.objects.get(code=filed).events.count()) == before
    # the filing system's retry still gets its own report back
    again = client.post(URL, BODY, content_type="application/json", **_auth(bot))
    assert again.status_code == 200 and again.json()["code"] == filed
