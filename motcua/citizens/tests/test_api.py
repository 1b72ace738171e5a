"""POST /api/v1/citizens/prefill/: a malformed body is a 400 ApiError (never a 500); refusals say why."""

import pytest


@pytest.mark.parametrize("payload", [[None, None], {"consent": "yes"}, {}])
def test_prefill_refuses_a_malformed_body_with_400_not_500(client, citizen, payload):
    client.force_login(citizen)
    response = client.post("/api/v1/citizens/prefill/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_prefill_without_consent_is_a_403_with_a_message(client, citizen):
    client.force_login(citizen)
    response = client.post("/api/v1/citizens/prefill/", {"consent": False}, content_type="application/json")
    assert response.status_code == 403
    data = response.json()
    assert data["ok"] is False and data["detail"] == data["error"] and data["code"]
