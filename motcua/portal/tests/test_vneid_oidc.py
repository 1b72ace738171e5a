"""Sign-in with VNeID over real OpenID Connect, against the local provider (django-oauth-toolkit at /o/).

Everything goes over HTTP to the live test server: the browser side (a requests session following
redirects and posting the provider's forms) and the portal's back-channel calls (token, JWKS, userinfo).
"""

import re
from html import unescape

import pytest
import requests

from motcua.org.models import User, UserKind
from motcua.portal.demo import ensure_oidc_client
from motcua.portal.models import ExternalIdentity

pytestmark = pytest.mark.django_db(transaction=True)


def hidden_fields(html: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


@pytest.fixture
def provider(live_server, settings):
    op = f"{live_server.url}/o"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{op}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{op}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{op}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{op}/.well-known/jwks.json"
    settings.VNEID_ENABLED = True
    ensure_oidc_client([f"{live_server.url}/oidc/callback/"])
    return live_server.url


def vneid_login(base: str, identifier: str, password: str) -> tuple[requests.Session, requests.Response]:
    s = requests.Session()
    r = s.get(f"{base}/oidc/authenticate/?next=/tai-khoan/", timeout=20)
    assert "/o/dang-nhap/" in r.url, r.url  # authorize -> the provider's own sign-in
    form = hidden_fields(r.text)
    r = s.post(r.url, data={**form, "identifier": identifier, "password": password}, timeout=20)
    assert "/o/authorize/" in r.url and "authorizationForm" in r.text  # consent
    consent = hidden_fields(r.text)
    assert consent["code_challenge_method"] == "S256" and consent["scope"] == "openid profile phone"
    r = s.post(r.url, data={**consent, "allow": "Authorize"}, timeout=30)  # code -> token -> userinfo
    return s, r


def test_round_trip_signs_in_the_known_citizen(provider):
    an = User.objects.create_user(
        "congdan",
        password="motcua-demo",
        kind=UserKind.CITIZEN,
        full_name="Nguyễn Văn An",
        phone="0901234567",
        personal_id="079090001234",
    )
    session, r = vneid_login(provider, "079090001234", "motcua-demo")
    assert r.status_code == 200 and r.url == f"{provider}/tai-khoan/"
    assert "Nguyễn Văn An" in r.text
    identity = ExternalIdentity.objects.get()
    assert identity.user_id == an.pk and identity.subject == str(an.pk) and identity.issuer.endswith("/o")
    # Second sign-in: the same identity, no new account.
    session2, r2 = vneid_login(provider, "079090001234", "motcua-demo")
    assert r2.url == f"{provider}/tai-khoan/"
    assert User.objects.filter(kind=UserKind.CITIZEN).count() == 1 and ExternalIdentity.objects.count() == 1


def test_wrong_password_at_the_provider_signs_nobody_in(provider):
    User.objects.create_user(
        "congdan", password="motcua-demo", kind=UserKind.CITIZEN, personal_id="079090001234"
    )
    s = requests.Session()
    r = s.get(f"{provider}/oidc/authenticate/?next=/tai-khoan/", timeout=20)
    r = s.post(
        r.url, data={**hidden_fields(r.text), "identifier": "079090001234", "password": "sai"}, timeout=20
    )
    assert "/o/dang-nhap/" in r.url and "không đúng" in r.text
    assert not ExternalIdentity.objects.exists()
    assert "/dang-nhap/" in s.get(f"{provider}/tai-khoan/", timeout=20).url


def test_refused_consent_returns_without_signing_in(provider):
    User.objects.create_user(
        "congdan", password="motcua-demo", kind=UserKind.CITIZEN, personal_id="079090001234"
    )
    s = requests.Session()
    r = s.get(f"{provider}/oidc/authenticate/?next=/tai-khoan/", timeout=20)
    r = s.post(
        r.url,
        data={**hidden_fields(r.text), "identifier": "079090001234", "password": "motcua-demo"},
        timeout=20,
    )
    r = s.post(r.url, data=hidden_fields(r.text), timeout=20)  # no "allow"
    assert not ExternalIdentity.objects.exists()


def test_claims_create_or_match_citizens(db):
    from motcua.portal.services import citizen_for_claims

    new = citizen_for_claims(
        "https://vneid",
        {"sub": "abc", "name": "Trần Thị B", "personal_id": "079190000001", "phone_number": "+84912000111"},
    )
    assert new.kind == UserKind.CITIZEN and new.phone == "0912000111" and new.personal_id == "079190000001"
    again = citizen_for_claims("https://vneid", {"sub": "abc", "name": "Trần Thị B"})
    assert again.pk == new.pk
    by_phone = User.objects.create_user("x", kind=UserKind.CITIZEN, phone="0912000222")
    matched = citizen_for_claims("https://vneid", {"sub": "zzz", "phone_number": "0912000222"})
    assert matched.pk == by_phone.pk
    staff = User.objects.create_user("s", kind=UserKind.STAFF, personal_id="079190000009")
    other = citizen_for_claims("https://vneid", {"sub": "s9", "personal_id": "079190000009"})
    assert other.pk != staff.pk and other.kind == UserKind.CITIZEN
