"""Every endpoint that names one object in its path answers only callers whose scope holds that object.

The class test of issue 11 item 2 (the feedback report API answered any staff or system token for any
report): the URL resolver is walked, and every route with a path parameter under the API, Open311 and the
staff pages must be listed here, as scoped (then an officer of the same role in another ward is refused
with nothing changed, and the unit's officer is answered) or as public by design / covered by a named test,
with the reason. A new endpoint fails `test_every_object_route_is_classified` until someone decides which.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from motcua.core.models import AuditEntry
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.feedback import services as feedback
from motcua.feedback.models import Report, ReportEvent
from motcua.feedback.tests.conftest import categories  # noqa: F401  (the feedback categories)
from motcua.org.models import Role, User, UserKind

pytestmark = pytest.mark.django_db

# route pattern -> (method, url template). {code}: a returned dossier of ward A; {paper}, {result}: its
# files; {report}: a feedback report of ward A.
SCOPED = {
    "api/v1/dossiers/<str:code>/": ("GET", "/api/v1/dossiers/{code}/"),
    "api/v1/dossiers/<str:code>/transitions/": ("POST", "/api/v1/dossiers/{code}/transitions/"),
    "api/v1/dossiers/<str:code>/papers/": ("POST", "/api/v1/dossiers/{code}/papers/"),
    "api/v1/dossiers/<str:code>/result-papers/": ("POST", "/api/v1/dossiers/{code}/result-papers/"),
    "api/v1/dossiers/<str:code>/supplements/": ("POST", "/api/v1/dossiers/{code}/supplements/"),
    "api/v1/feedback/reports/<str:code>": ("GET", "/api/v1/feedback/reports/{report}"),
    "staff/dossiers/<str:code>/": ("GET", "/staff/dossiers/{code}/"),
    "staff/dossiers/<str:code>/act/<slug:action>/": ("POST", "/staff/dossiers/{code}/act/note/"),
    "staff/dossiers/<str:code>/papers/<int:pk>/": ("GET", "/staff/dossiers/{code}/papers/{paper}/"),
    "staff/dossiers/<str:code>/results/<int:pk>/": ("GET", "/staff/dossiers/{code}/results/{result}/"),
    "staff/dossiers/<str:code>/mau-<str:number>.pdf": ("GET", "/staff/dossiers/{code}/mau-01.pdf"),
    "staff/dossiers/<str:code>/mau-06.xlsx": ("GET", "/staff/dossiers/{code}/mau-06.xlsx"),
    "staff/feedback/<str:code>/": ("GET", "/staff/feedback/{report}/"),
    "staff/feedback/<str:code>/<str:action>/": ("POST", "/staff/feedback/{report}/note/"),
}
# route pattern -> why it is not tested here (public by design, or the test that covers its own rule).
NOT_HERE = {
    "api/v1/procedures/<str:code>": "public: the published procedure catalogue",
    "api/v1/public/dossiers/<str:code>": "public status; details need `verify` (tests/test_limits.py)",
    "api/v1/documents/incoming/<str:id>": "the unit's register and the named readers of a secret document "
    "(documents/tests/test_api.py, test_secrecy_storage.py)",
    "api/v1/documents/incoming/<str:id>/edxml": "as the register entry; secret documents are never exported "
    "(documents/tests/test_edxml.py)",
    "staff/van-ban-den/<int:pk>/": "the unit's register; secret documents 404 to anyone not named "
    "(documents/tests/test_views.py, test_secrecy_storage.py)",
    "staff/van-ban-den/<int:pk>/<str:action>": "the document workflow's table, four callers per action "
    "(documents/tests/test_workflow_permissions.py)",
    "staff/van-ban-den/<int:pk>/phieu.pdf": "as the document page (documents/tests/test_views.py)",
    "staff/van-ban-den/<int:pk>/tep/<int:file_id>": "as the document page; every read audited "
    "(documents/tests/test_secrecy_storage.py)",
    "staff/van-ban-den/<int:pk>/tep/<int:file_id>/trang/<int:number>.png": "as the document's file",
    "^staff/van-ban-den/so-den\\.(?P<fmt>pdf|xlsx)$": "a format, not an object; the register of the caller's "
    "units (documents/tests/test_followup.py)",
    "^staff/van-ban-den/tinh-hinh\\.(?P<fmt>pdf|xlsx)$": "a format, not an object; the caller's units",
    "staff/tro-ly/cuoc-tro-chuyen/<str:public_id>/": "random id; conversations of the officer's unit "
    "(assistant/tests/test_handover.py)",
    "staff/tro-ly/hoi-dap/<int:pk>/": "hand-overs of the officer's unit, four callers "
    "(assistant/tests/test_handover.py)",
    "cong-khai/<str:code>/": "public: a unit's published figures, no personal data (dashboard/tests/test_pages.py)",
    "^du-lieu-mo/ho-so-theo-thang\\.(?P<fmt>csv|json)$": "public open data, no personal data "
    "(dashboard/tests/test_pages.py)",
    "^staff/dashboard/xuat\\.(?P<fmt>csv|xlsx|pdf)$": "a format, not an object; the caller's scope, stamped "
    "(dashboard/tests/test_pages.py, test_browser.py)",
    "api/v1/civil/extracts/<str:public_id>/pdf": "random id; the issuing unit's scope "
    "(civil.selectors.extracts_visible_to; civil/tests/test_api.py)",
    "hang-doi/<str:code>/": "public hall display of a ward: called ticket numbers only, no personal data",
    "hang-doi/<str:code>/so-da-goi.json": "the hall display's numbers (public by design, no personal data)",
    "api/v1/civil/verify/<str:code>/": "public authenticity check, issue data only (civil/tests/test_extracts.py)",
    "thu-tuc/<str:code>/": "public: the published procedure catalogue",
    "xac-minh/<str:code>/": "public authenticity check (civil/tests/test_extracts.py)",
    "staff/civil/register/<str:kind>/": "a registration form, no object in the path",
    "staff/civil/records/<str:kind>/<uuid:public_id>/": "province-wide with a purpose, audited and capped "
    "(civil/tests/test_extracts.py::test_cross_unit_reads_need_a_purpose_are_audited_and_capped)",
    "staff/civil/extracts/<uuid:public_id>/": "random id; ScopedQuerySet of the issuing unit (civil.selectors.extracts_visible_to)",
    "staff/civil/extracts/<uuid:public_id>/pdf/": "as the extract page",
    "staff/civil/marital-status/<uuid:public_id>/pdf/": "random id; issuing unit's scope "
    "(civil.selectors.marital_certificates_visible_to)",
    "staff/surveys/export.<str:fmt>": "a format, not an object; scoped export (tests/test_exports.py)",
    "^open311/v2/discovery\\.(?P<fmt>[a-z]+)$": "public Open311",
    "^open311/v2/services\\.(?P<fmt>[a-z]+)$": "public Open311",
    "^open311/v2/services?/(?P<code>[-\\w]+)\\.(?P<fmt>[a-z]+)$": "public Open311 service definition",
    "^open311/v2/requests\\.(?P<fmt>[a-z]+)$": "published requests, or the client's own with its api_key "
    "(feedback/tests/test_open311.py)",
    "^open311/v2/requests/(?P<request_id>[-\\w]+)\\.(?P<fmt>[a-z]+)$": "published, or the client's own with its "
    "api_key (feedback/tests/test_open311.py)",
    "^open311/v2/tokens/(?P<token>[-\\w]+)\\.(?P<fmt>[a-z]+)$": "Open311 token -> request id (random token)",
    "phan-anh/<str:code>/": "published reports, or the reporter's own with its token (test_publishing.py)",
    "phan-anh/<str:code>/danh-gia/<str:token>/": "the reporter's rating link (its token)",
    "danh-gia/<str:code>/": "the applicant's rating (surveys/tests/test_ratings.py)",
    "nop-ho-so/<str:code>/": "a procedure code (public catalogue); the draft belongs to the signed-in citizen",
    "nop-ho-so/<str:code>/xem-lai/": "the signed-in citizen's own draft (portal tests)",
    "nop-ho-so/<str:code>/gui/": "the signed-in citizen's own draft (portal tests)",
    "da-nop/<str:code>/": "the signed-in citizen's own dossier (portal tests)",
    "tai-khoan/ho-so/<str:code>/": "the signed-in citizen's own dossier "
    "(portal/tests/test_my_dossiers_and_tracking.py::test_my_dossiers_lists_only_mine_and_detail_is_private)",
    "tai-khoan/ho-so/<str:code>/ket-qua/<int:file_id>/": "the signed-in citizen's own result "
    "(portal/tests/test_my_dossiers_and_tracking.py::test_result_download_only_for_the_owner)",
    "tra-cuu/<str:code>/": "public status; details need `verify` (tests/test_limits.py)",
    "kiosk/tra-cuu/<str:code>/": "public status on the kiosk; details need `verify`",
    "kiosk/thu-tuc/<str:code>/": "public: the published procedure catalogue",
    "kiosk/danh-gia/<str:code>/": "the applicant's rating on the kiosk (receipt key)",
}
# Third-party areas with their own gate: the admin (superusers; secrets removed, core/tests/test_secrets.py)
# and django-oauth-toolkit's endpoints (the owner's applications and tokens only).
OTHER_GATES = ("admin/", "o/")


def _routes(resolver=None, prefix: str = ""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def test_every_object_route_is_classified():
    with_parameter = {r for r in _routes() if ("<" in r or "(?P" in r) and not r.startswith(OTHER_GATES)}
    unclassified = sorted(with_parameter - set(SCOPED) - set(NOT_HERE))
    assert unclassified == [], "classify these routes in tests/test_object_scope.py"
    assert sorted((set(SCOPED) | set(NOT_HERE)) - with_parameter) == [], "stale entries"


@pytest.fixture
def objects(make_dossier, categories):  # noqa: F811
    d = make_dossier()
    report = feedback.submit_report(
        channel="web",
        description="Rác thải tồn đọng trước chợ",
        category_code="rac-thai",
        address="phường Cầu Ông Lãnh",
        phone="0901000001",
    )
    return {
        "code": d.code,
        "paper": d.papers.exclude(file="").first().pk,
        "result": d.results.first().pk,
        "report": report.code,
    }


def _state():
    return (
        list(Dossier.objects.values_list("status", "version")),
        DossierEvent.objects.count(),
        list(Report.objects.values_list("status", "unit_id")),
        ReportEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def _call(client, user, method: str, url: str):
    if url.startswith("/api/"):
        headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
        if method == "GET":
            return client.get(url, **headers)
        return client.post(
            url, {"action": "note", "note": "Ghi chú"}, content_type="application/json", **headers
        )
    client.force_login(user)
    if method == "GET":
        return client.get(url)
    return client.post(url, {"note": "Ghi chú", "text": "Ghi chú", "version": "1"})


@pytest.mark.parametrize("route", sorted(SCOPED))
def test_an_officer_of_another_ward_is_refused_and_nothing_changes(
    client, objects, make_staff, ward_b, route
):
    method, template = SCOPED[route]
    url = template.format(**objects)
    for role in (Role.SPECIALIST, Role.UNIT_LEADER):
        outsider = make_staff(role, ward_b)
        before = _state()
        response = _call(client, outsider, method, url)
        assert response.status_code in (403, 404), (role, response.status_code, response.content[:200])
        assert _state() == before
        client.logout()


@pytest.mark.parametrize("route", sorted(r for r, (m, _t) in SCOPED.items() if m == "GET"))
def test_the_units_officer_and_the_auditor_are_answered(client, objects, leader, auditor, route):
    _method, template = SCOPED[route]
    url = template.format(**objects)
    for user in (leader, auditor):
        response = _call(client, user, "GET", url)
        assert response.status_code == 200, (user.username, response.status_code, response.content[:200])
        client.logout()


@pytest.mark.parametrize("route", sorted(r for r, (m, _t) in SCOPED.items() if m == "GET"))
def test_a_system_account_without_roles_is_refused(client, objects, route):
    _method, template = SCOPED[route]
    if not template.startswith("/api/"):
        return  # system accounts have no session on the staff pages (org/tests/test_gates.py)
    bot = User.objects.create_user(username="other-bot", kind=UserKind.SYSTEM)
    response = _call(client, bot, "GET", template.format(**objects))
    assert response.status_code == 404, response.content[:200]
