"""The staff gate (org.gates.staff_required): one answer on every staff URL, generated from the URL resolver.

Every route under /staff/ (sign-in and sign-out aside) is walked with dummy URL arguments; the gate answers
before the view looks at them, so a missing dossier or a wrong method never hides a missing gate.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from motcua.org.gates import StaffOrSystem, is_officer
from motcua.org.models import Role, User

pytestmark = pytest.mark.django_db

OPEN = {"/staff/login/", "/staff/logout/"}
DUMMY = {
    "int": "1",
    "str": "X-0001",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-4000-8000-000000000001",
}
# The outbox viewer is a diagnostic tool of core (below org); its gate is checked by the same answers.
UNGATED_BY_DECORATOR = {"/staff/outbox/"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + str(entry.pattern), entry.callback


def _concrete(route: str) -> str:
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: DUMMY[m.group(1) or "str"], route)
    return route.replace("export.X-0001", "export.csv")


def staff_routes() -> list[tuple[str, object]]:
    routes = {}
    for route, callback in _walk(get_resolver().url_patterns):
        if route.startswith("/staff/") and route not in OPEN:
            routes[_concrete(route)] = (route, callback)
    return sorted(routes.items())


STAFF_ROUTES = staff_routes()


def test_the_walk_finds_every_app():
    prefixes = {url.split("/")[2] for url, _ in STAFF_ROUTES}
    assert {"catalog", "citizens", "civil", "dossiers", "feedback", "surveys"} <= prefixes
    assert len(STAFF_ROUTES) >= 30


@pytest.mark.parametrize("url", [url for url, _ in STAFF_ROUTES])
def test_every_staff_view_is_behind_the_one_gate(url):
    route, callback = dict(STAFF_ROUTES)[url]
    if route in UNGATED_BY_DECORATOR:
        pytest.skip("core's outbox viewer: answers are checked below")
    assert hasattr(callback, "staff_roles"), f"{route} is not decorated with org.gates.staff_required"


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_the_staff_sign_in_everywhere(client, method):
    wrong = []
    for url, _ in STAFF_ROUTES:
        response = getattr(client, method)(url)
        if response.status_code != 302 or not response["Location"].startswith("/staff/login/?next="):
            wrong.append((url, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_citizen_is_refused_everywhere_with_the_vietnamese_page(client, citizen, method):
    client.force_login(citizen)
    wrong = []
    for url, _ in STAFF_ROUTES:
        response = getattr(client, method)(url)
        if response.status_code != 403 or "Không có quyền" not in response.content.decode():
            wrong.append((url, response.status_code))
    assert wrong == []


def test_an_officer_without_the_role_is_refused_and_with_it_passes(client, make_staff, ward_a, province):
    gated = [(url, cb.staff_roles) for url, (_r, cb) in STAFF_ROUTES if getattr(cb, "staff_roles", ())]
    assert gated, "some staff pages are reserved to roles"
    clerk = make_staff(Role.CLERK, ward_a)
    client.force_login(clerk)
    for url, roles in gated:
        if Role.CLERK not in roles:
            assert client.get(url).status_code == 403, url
    # Auditors read everything (province-wide); other roles are tried in their ward.
    for url, roles in gated:
        role = Role.AUDITOR if Role.AUDITOR in roles else roles[0]
        client.force_login(make_staff(role, province if role == Role.AUDITOR else ward_a))
        assert client.get(url).status_code not in (302, 401, 403), url


def test_a_superuser_passes_only_as_what_it_is(client, django_user_model, ward_a):
    root = django_user_model.objects.create_superuser("root-gate", "r@x.vn", "pw-test-12345")
    assert is_officer(root) and not is_officer(root, (Role.UNIT_LEADER,))
    root.kind = "citizen"
    assert not is_officer(root)


def test_json_callers_get_401_and_403(client, citizen):
    url = STAFF_ROUTES[0][0]
    anon = client.get(url, HTTP_ACCEPT="application/json")
    assert anon.status_code == 401 and anon.json()["code"] == "not_authenticated"
    client.force_login(citizen)
    refused = client.get(url, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


def test_disabled_officer_is_refused(client, make_staff, ward_a):
    officer = make_staff(Role.DESK_OFFICER, ward_a)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    officer.refresh_from_db()
    assert not is_officer(officer)


def test_api_permission_four_callers(rf, citizen, make_staff, ward_a):
    from django.contrib.auth.models import AnonymousUser

    def allowed(user) -> bool:
        request = rf.get("/api/v1/dossiers/")
        request.user = user
        return StaffOrSystem().has_permission(request, None)

    system = User.objects.create(username="he-thong", kind="system")
    assert allowed(make_staff(Role.DESK_OFFICER, ward_a)) and allowed(system)
    assert not allowed(citizen) and not allowed(AnonymousUser())
