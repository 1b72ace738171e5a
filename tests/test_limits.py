"""Every limited surface uses core.ratelimit with its scope in MOTCUA_RATE_LIMITS, keyed by the client address.

With the scope's limit set to 1 per minute, the second request from one address is refused with 429 and
another address is still served: the limit is per client, not per server (issue 11 item 2).
"""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db
CODE = "000.00.00.H29-990101-0001"
KIOSK_FEEDBACK = {
    "description": "Đèn đường trước số 12 Nguyễn Thái Học bị hỏng nhiều ngày.",
    "address": "12 NTH",
}
SURFACES = [
    ("track", "get", f"/tra-cuu/{CODE}/", None),
    ("kiosk-track", "get", f"/kiosk/tra-cuu/{CODE}/", None),
    ("civil-verify", "get", "/xac-minh/TL1-0000000000000000000a/", None),
    ("feedback-web", "post", "/phan-anh/", {"description": "x"}),
    ("kiosk-feedback", "post", "/kiosk/phan-anh/", KIOSK_FEEDBACK),
    ("otp-verify", "post", "/dang-nhap/", {"step": "code", "code": "123456"}),
    ("rate", "get", f"/danh-gia/{CODE}/", None),
    ("lookup-verify", "get", f"/api/v1/public/dossiers/{CODE}?verify=000000", None),
    ("open311", "get", "/open311/v2/services.json", None),
]


@pytest.mark.parametrize("scope, method, url, data", SURFACES, ids=[s[0] for s in SURFACES])
def test_each_surface_is_limited_per_client_address(client, settings, scope, method, url, data):
    cache.clear()
    settings.MOTCUA_RATE_LIMITS = {**settings.MOTCUA_RATE_LIMITS, scope: "1/m"}
    if scope == "otp-verify":
        session = client.session
        session["portal_otp_phone"] = "0901234567"
        session.save()

    def call(address):
        return (
            getattr(client, method)(url, data, REMOTE_ADDR=address)
            if data
            else client.get(url, REMOTE_ADDR=address)
        )

    first = call("203.0.113.5")
    assert first.status_code != 429
    assert call("203.0.113.5").status_code == 429
    assert call("203.0.113.6").status_code != 429
    cache.clear()


def test_every_scope_in_settings_is_used_by_a_surface(settings):
    """No limit is configured that nothing reads, and no surface counts under an unconfigured scope."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "motcua"
    files = [p for p in root.rglob("*.py") if "/tests/" not in str(p) and p.name != "settings.py"]
    source = "\n".join(p.read_text() for p in files)
    for scope in settings.MOTCUA_RATE_LIMITS:
        assert f'"{scope.split(":")[0]}"' in source, scope


def test_verify_guesses_from_rotating_addresses_are_stopped_per_dossier(client, make_dossier):
    """The probe guessed a 4-digit `verify` in 727 requests with a new forged address each time."""
    cache.clear()
    d = make_dossier(result=False)
    statuses = [
        client.get(
            f"/api/v1/public/dossiers/{d.code}?verify={n:06d}", REMOTE_ADDR=f"10.{n // 250}.{n % 250}.1"
        )
        for n in range(727)
    ]
    assert [r.status_code for r in statuses[:10]] == [200] * 10
    assert all(r.json()["verified"] is False for r in statuses[:10])
    assert {r.status_code for r in statuses[10:]} == {429}
    # The public status (no verify) is still answered, and other dossiers are not affected.
    assert client.get(f"/api/v1/public/dossiers/{d.code}", REMOTE_ADDR="198.51.100.7").status_code == 200
    other = make_dossier(result=False)
    assert client.get(f"/api/v1/public/dossiers/{other.code}?verify=234567").json()["verified"] is True
    cache.clear()
