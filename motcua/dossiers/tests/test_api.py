import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dossiers.models import Dossier
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.receipts import receipt_key
from motcua.dossiers.tests.conftest import APPLICANT, PDF


@pytest.fixture
def api():
    return APIClient()


def auth(api, user):
    token, _ = Token.objects.get_or_create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


def _create(api, procedure, ward_a, key="key-1"):
    return api.post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "receiving_unit": ward_a.code,
            "competent_unit": ward_a.code,
            "channel": "post",
            "applicant": {k: v for k, v in APPLICANT.items()},
            "form_data": {"ho_ten": "A"},
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_create_is_idempotent_then_papers_then_receive(api, desk_officer, procedure, ward_a):
    auth(api, desk_officer)
    first = _create(api, procedure, ward_a)
    assert first.status_code == 201, first.content
    again = _create(api, procedure, ward_a)
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1
    code = first.json()["code"]
    assert first.json()["status"] == S.SUBMITTED and first.json()["portal_status_code"] == 1
    too_early = api.post(f"/api/v1/dossiers/{code}/transitions/", {"action": "receive"}, format="json")
    assert too_early.status_code == 409 and too_early.json()["code"] == "missing_papers"
    bad = api.post(
        f"/api/v1/dossiers/{code}/papers/",
        {"file": SimpleUploadedFile("x.pdf", b"GIF89a....")},
        format="multipart",
    )
    assert bad.status_code == 415 and bad.json()["code"] == "file_type"
    for r in procedure.requirements.filter(kind="submit"):
        up = api.post(
            f"/api/v1/dossiers/{code}/papers/",
            {"requirement": r.pk, "file": SimpleUploadedFile("a.pdf", PDF)},
            format="multipart",
        )
        assert up.status_code == 201, up.content
    version = api.get(f"/api/v1/dossiers/{code}/").json()["version"]
    stale = api.post(
        f"/api/v1/dossiers/{code}/transitions/", {"action": "receive", "version": version - 1}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    ok = api.post(
        f"/api/v1/dossiers/{code}/transitions/", {"action": "receive", "version": version}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == S.RECEIVED and ok.json()["due_at"]


def test_list_is_scoped_and_filtered(api, intake, other_ward_specialist, specialist):
    d = intake()
    auth(api, other_ward_specialist)
    assert api.get("/api/v1/dossiers/").json()["count"] == 0
    assert api.get(f"/api/v1/dossiers/{d.code}/").status_code == 404
    auth(api, specialist)
    assert api.get("/api/v1/dossiers/?status=received").json()["count"] == 1
    assert api.get("/api/v1/dossiers/?status=returned").json()["count"] == 0
    assert api.get("/api/v1/dossiers/?status=nonsense").status_code == 400


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_ward", "unit"])
def test_four_callers_on_transition(who, api, intake, citizen, other_ward_specialist, specialist):
    d = intake()
    user = {"anonymous": None, "citizen": citizen, "other_ward": other_ward_specialist, "unit": specialist}[
        who
    ]
    if user is not None:
        auth(api, user)
    response = api.post(f"/api/v1/dossiers/{d.code}/transitions/", {"action": "claim"}, format="json")
    d.refresh_from_db()
    expected = {"anonymous": 401, "citizen": 403, "other_ward": 404, "unit": 200}[who]
    assert response.status_code == expected
    assert d.status == (S.PROCESSING if who == "unit" else S.RECEIVED)


def test_public_lookup_hides_personal_data_unless_verified(api, intake):
    d = intake()
    response = api.get(f"/api/v1/public/dossiers/{d.code}")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == S.RECEIVED and body["appointment_at"] and body["step"]["name"]
    text = response.content.decode()
    for secret in (APPLICANT["name"], APPLICANT["personal_id"], APPLICANT["phone"], "Nguyễn Thái Học"):
        assert secret not in text
    assert body["verified"] is False and "details" not in body
    wrong = api.get(f"/api/v1/public/dossiers/{d.code}?verify=000000").json()
    assert wrong["verified"] is False
    # Four digits (guessed in 727 requests) no longer verify; six digits or the receipt key do.
    assert api.get(f"/api/v1/public/dossiers/{d.code}?verify=4567").json()["verified"] is False
    right = api.get(f"/api/v1/public/dossiers/{d.code}?verify=234567").json()  # last 6 of the phone
    assert right["verified"] is True and right["details"]["timeline"]
    key = api.get(f"/api/v1/public/dossiers/{d.code}?verify={receipt_key(d.code).lower()}").json()
    assert key["verified"] is True
    assert api.get("/api/v1/public/dossiers/000.00.00.H29-990101-0001").status_code == 404


def test_public_lookup_is_throttled(api, intake, settings):
    from django.core.cache import cache

    cache.clear()
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], public_lookup="3/min")
    settings.REST_FRAMEWORK = dict(settings.REST_FRAMEWORK, DEFAULT_THROTTLE_RATES=rates)
    from rest_framework.throttling import ScopedRateThrottle

    old = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        d = intake()
        codes = [api.get(f"/api/v1/public/dossiers/{d.code}").status_code for _ in range(5)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = old
        cache.clear()
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
