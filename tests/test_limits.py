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


def _api_views():
    """(route, view class) of every route under /api/v1/ (the URL resolver, so new endpoints are included)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and hasattr(p.callback, "cls"):
                yield prefix + str(p.pattern), p.callback.cls, getattr(p.callback, "initkwargs", {})

    return [(r, cls, kw) for r, cls, kw in walk(get_resolver(), "") if r.startswith("api/v1/")]


def _anonymous(cls, initkwargs) -> bool:
    from rest_framework.permissions import AllowAny

    perms = initkwargs.get("permission_classes", cls.permission_classes)
    return any(p is AllowAny or (isinstance(p, type) and issubclass(p, AllowAny)) for p in perms)


def test_every_anonymous_api_endpoint_is_throttled_by_the_client_address_rule():
    """The class rule for DRF: an endpoint anyone may call has a throttle keyed by `core.clientip`."""
    from motcua.core.ratelimit import ClientIPThrottleMixin

    anonymous = [(r, cls, kw) for r, cls, kw in _api_views() if _anonymous(cls, kw)]
    assert len(anonymous) >= 7  # procedures (2), calendar, public dossier, civil verify, categories, schema
    for route, cls, kw in anonymous:
        throttles = kw.get("throttle_classes", cls.throttle_classes)
        assert throttles, f"{route} answers anyone and is not throttled"
        assert all(issubclass(t, ClientIPThrottleMixin) for t in throttles), route


@pytest.mark.django_db
def test_every_anonymous_api_endpoint_refuses_the_second_call_of_a_client_over_its_rate(client, monkeypatch):
    import re

    from motcua.core.ratelimit import AnonThrottle, ScopedThrottle

    for throttle in (AnonThrottle, ScopedThrottle):
        monkeypatch.setattr(throttle, "get_rate", lambda self: "1/min")
    for route, cls, kw in _api_views():
        if not _anonymous(cls, kw):
            continue
        cache.clear()
        url = "/" + re.sub(r"<[^>]+>", "X-1", route)
        first = client.get(url, REMOTE_ADDR="203.0.113.5")
        assert first.status_code != 429, route
        assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 429, route
        assert client.get(url, REMOTE_ADDR="203.0.113.6").status_code != 429, route
        # a forged X-Forwarded-For from the limited client does not make a new client
        assert (
            client.get(url, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
        )
    cache.clear()
