"""POST /api/v1/feedback/reports answers as its contract says: malformed 400 with field errors, a category or
ward code that names nothing 404; nothing is filed on refusal."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.feedback.models import Report
from motcua.org.models import User, UserKind

URL = "/api/v1/feedback/reports"


@pytest.fixture
def bot_api(db):
    bot = User.objects.create_user(username="chat-bot", kind=UserKind.SYSTEM)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=bot).key}")
    return client


GOOD = {"description": "Rác thải ùn ứ ở đầu hẻm", "address": "12 Lê Lợi"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  ngắn  "}, "description"),
        ({"description": 1234567890}, "description"),
        ({"latitude": 10.77}, "non_field_errors"),
        ({"latitude": "10.7", "longitude": "106.7"}, "latitude"),
        ({"latitude": 91, "longitude": 106.7}, "latitude"),
        ({"phone": "abc"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_malformed_reports_are_refused_with_field_errors(bot_api, categories, overrides, field):
    response = bot_api.post(URL, {**GOOD, **overrides}, format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "invalid" and data["detail"].startswith("Dữ liệu không hợp lệ")
    assert field in data["errors"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("overrides", [{"category_code": "khong-co"}, {"ward_code": "00000"}])
def test_codes_that_name_nothing_are_404(bot_api, categories, overrides):
    response = bot_api.post(URL, {**GOOD, **overrides}, format="json")
    assert response.status_code == 404, response.content
    assert response.json()["detail"]
    assert not Report.objects.exists()


def test_a_form_encoded_body_is_415(bot_api, categories):
    response = bot_api.post(URL, GOOD)
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    assert not Report.objects.exists()


def test_unknown_report_is_a_404_api_error(bot_api):
    response = bot_api.get(f"{URL}/PA-000000-0000")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
