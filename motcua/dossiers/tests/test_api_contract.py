"""The dossier API answers exactly as its OpenAPI contract says: malformed input 400 (ApiError with a
Vietnamese message and per-field errors), well-formed references to nothing 404, rule refusals 409; a
refused request changes nothing."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import APPLICANT


@pytest.fixture
def api(desk_officer):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=desk_officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def body(proc, unit, **overrides):
    data = {
        "procedure": proc.code,
        "receiving_unit": unit.code,
        "channel": "post",
        "applicant": dict(APPLICANT),
        "form_data": {"ho_ten": "A"},
    }
    data.update(overrides)
    return data


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"]
    assert isinstance(data["code"], str)
    if code:
        assert data["code"] == code
    return data


@pytest.mark.parametrize(
    "query",
    [
        "received_to=",
        "received_from=2026-02-30",
        "received_from=20260201",
        "status=",
        "overdue=maybe",
        "limit=0",
        "limit=501",
        "limit=abc",
        "offset=-1",
    ],
)
def test_list_refuses_malformed_filters(api, query):
    data = assert_error(api.get(f"/api/v1/dossiers/?{query}"), 400, "bad_filter")
    assert "không hợp lệ" in data["detail"]


def test_list_accepts_documented_filters(api, intake):
    intake()
    response = api.get("/api/v1/dossiers/?received_from=2000-01-01&overdue=false&limit=500&offset=0")
    assert response.status_code == 200 and response.json()["count"] == 1


@pytest.mark.parametrize("key", [None, "", " padded ", "x" * 101, "khóa"])
def test_create_needs_a_well_formed_idempotency_key(api, procedure, ward_a, key):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = api.post("/api/v1/dossiers/", body(procedure, ward_a), format="json", **headers)
    data = assert_error(response, 400, "idempotency_key")
    assert "Idempotency-Key" in data["detail"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"procedure": "1001193"}, "procedure"),
        ({"procedure": 1.001193}, "procedure"),
        ({"applicant": {**APPLICANT, "name": "   "}}, "applicant"),
        ({"applicant": {**APPLICANT, "phone": "090 123 4567"}}, "applicant"),
        ({"applicant": {**APPLICANT, "personal_id": "12345"}}, "applicant"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_create_refuses_malformed_bodies_with_field_errors(api, procedure, ward_a, overrides, field):
    response = api.post(
        "/api/v1/dossiers/", body(procedure, ward_a, **overrides), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    data = assert_error(response, 400, "invalid")
    assert field in data["errors"]
    assert data["detail"].startswith("Dữ liệu không hợp lệ")
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    "overrides", [{"procedure": "8.888888"}, {"receiving_unit": "00000"}, {"competent_unit": "00000"}]
)
def test_create_with_codes_that_name_nothing_is_404(api, procedure, ward_a, overrides):
    response = api.post(
        "/api/v1/dossiers/", body(procedure, ward_a, **overrides), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    data = assert_error(response, 404, "not_found")
    assert "Không tìm thấy" in data["detail"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "action"),
        ({"action": "fly"}, "action"),
        ({"action": "stop"}, "reason"),
        ({"action": "stop", "reason": "  "}, "reason"),
        ({"action": "refuse_receipt", "reason": 5}, "reason"),
        ({"action": "intake_supplement", "items": []}, "items"),
        ({"action": "complete", "decision": "refuse"}, "note"),
        ({"action": "apologise", "reason": "x"}, "new_due_date"),
        ({"action": "transfer_out", "to_unit": "79-CA", "hours": 0}, "hours"),
        ({"action": "receive", "version": "1"}, "version"),
    ],
)
def test_transition_body_must_fit_its_action(api, intake, payload, field):
    d = intake()
    before = (d.status, d.version)
    data = assert_error(
        api.post(f"/api/v1/dossiers/{d.code}/transitions/", payload, format="json"), 400, "invalid"
    )
    assert field in data["errors"]
    d.refresh_from_db()
    assert (d.status, d.version) == before


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "assign", "assignee": "nobody.here"},
        {"action": "claim", "task": 10**12},
        {"action": "transfer_out", "to_unit": "00000", "hours": 4},
    ],
)
def test_transition_references_to_nothing_are_404(api, intake, payload):
    d = intake()
    before = (d.status, d.version)
    assert_error(
        api.post(f"/api/v1/dossiers/{d.code}/transitions/", payload, format="json"), 404, "not_found"
    )
    d.refresh_from_db()
    assert (d.status, d.version) == before


def test_rule_refusals_are_409_with_the_rule_code(api, intake):
    d = intake()
    response = api.post(f"/api/v1/dossiers/{d.code}/transitions/", {"action": "receive"}, format="json")
    data = assert_error(response, 409, "bad_transition")
    assert data["message"] == data["detail"]


def test_public_lookup_of_nothing_is_a_404_api_error(client, db):
    assert_error(client.get("/api/v1/public/dossiers/000.00.00.H29-990101-0001"), 404, "not_found")


def test_openapi_documents_the_contract(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/dossiers/"]["post"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert header["required"] and header["schema"]["pattern"]
    assert create["requestBody"]["required"]
    assert {"400", "404", "409"} <= set(create["responses"])
    assert "422" not in create["responses"]
    transition = schema["components"]["schemas"]["TransitionRequest"]
    assert len(transition["oneOf"]) == 17
    listing = schema["paths"]["/api/v1/dossiers/"]["get"]["parameters"]
    limit = next(p for p in listing if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert schema["components"]["schemas"]["ApiError"]["required"] == ["code", "detail"]
