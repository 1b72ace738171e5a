"""Issue 11 items 10 and 11: the input boundary. Text no column can hold (NUL, a lone surrogate), JSON
nested 5,000 deep and oversized JSON bodies are refused with a Vietnamese 4xx before any view runs, on
every route; a non-numeric id is a 404; a write request that fails leaves nothing behind; a GET changes
nothing (the kiosk reset is a POST with CSRF)."""

import json
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.exceptions import ParseError

from motcua.core.middleware import json_depth, loads_checked
from motcua.core.parsers import JSONParser

pytestmark = pytest.mark.django_db

HOSTILE = ["a\x00b", "\ud800", "x\udfffy", "\ud83d"]
SAMPLE = {"int": "1", "str": "X1", "slug": "x-1", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def every_route() -> list[str]:
    """One concrete path per URL pattern of the project (converters filled with sample values)."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "X1"), route)
                route = re.sub(r"[\^$]|\(\?P<\w+>[^)]*\)|\\", "", route)
                found.append("/" + route.replace("\\.", "."))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def row_count() -> int:
    return sum(m.objects.count() for m in apps.get_models() if m.__module__.startswith("motcua."))


def assert_refused(response, status=400):
    assert response.status_code == status, (response.status_code, response.content[:300])
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["code"] in {"ill_formed_text", "too_deep", "too_large", "parse_error"}
    assert "không hợp lệ" in text or "quá" in text  # Vietnamese


def test_every_route_refuses_ill_formed_text_in_query_form_and_json(client):
    routes = every_route()
    assert len(routes) > 60 and "/api/v1/dossiers/" in routes and "/kiosk/phan-anh/" in routes
    before = row_count()
    for i, route in enumerate(routes):
        bad = HOSTILE[i % len(HOSTILE)]
        assert_refused(client.get(route, {"q": bad if "\x00" in bad else "a\x00"}))
        if not route.startswith("/api/"):  # API form bodies are parsed (and refused) after authentication
            assert_refused(client.post(route, {"name": "a\x00b"}))
        body = json.dumps({"name": bad, "nested": [{"k": bad}]})  # \ud800 escapes: valid JSON syntax
        assert_refused(client.post(route, body, content_type="application/json"))
        assert_refused(client.post(route, json.dumps({bad: 1}), content_type="application/json"))
    assert row_count() == before


def test_nul_in_the_path_or_a_multipart_field_is_refused(client):
    assert_refused(client.get("/tra-cuu/A%00B/"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert_refused(client.post("/kiosk/phan-anh/", {"description": "Đèn\x00 hỏng", "photo": upload}))


def test_api_answers_in_its_error_shape_and_pages_in_vietnamese(client):
    api = client.post(
        "/api/v1/feedback/reports", '{"description": "\\ud800"}', content_type="application/json"
    )
    assert api.json() == {
        "code": "ill_formed_text",
        "detail": "Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL hoặc ký tự Unicode lỗi). Vui lòng nhập lại.",
    }
    page = client.get("/tra-cuu/?ma=a%00")
    assert page.status_code == 400 and "ký tự không hợp lệ" in page.content.decode()


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_5000_deep_is_a_400_not_a_500(client):
    for route in [r for r in every_route() if r.startswith("/api/")]:
        assert_refused(client.post(route, nested(5000), content_type="application/json"))
        assert_refused(client.post(route, '{"a":' * 5000 + "1" + "}" * 5000, content_type="application/json"))


def test_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'{"a": "[[[[[[", "b": [1, {"c": "\\"]]]"}]}') == 3
    assert loads_checked(nested(32)) is not None
    with pytest.raises(Exception, match="lồng nhau"):
        loads_checked(nested(33))


def test_drf_parser_refuses_what_the_boundary_refuses():
    import io

    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from motcua.core.parsers import FormParser, MultiPartParser

    for raw in (nested(5000), '{"a": "\\u0000"}', '{"a": "\\ud800"}', "{not json"):
        with pytest.raises(ParseError):
            JSONParser().parse(io.BytesIO(raw.encode()))
    assert JSONParser().parse(io.BytesIO(b'{"a": "Nguy\\u1ec5n"}')) == {"a": "Nguyễn"}
    with pytest.raises(ParseError):
        FormParser().parse(
            io.BytesIO(b"name=a%00b"), "application/x-www-form-urlencoded", {"encoding": "utf-8"}
        )
    body = encode_multipart(BOUNDARY, {"name": "a\x00b"})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    request = type("R", (), {"META": meta, "upload_handlers": [], "encoding": "utf-8"})()
    with pytest.raises(ParseError):
        MultiPartParser().parse(
            io.BytesIO(body), MULTIPART_CONTENT, {"request": request, "encoding": "utf-8"}
        )
    with pytest.raises(ParseError):
        FormParser().parse(
            io.BytesIO(b"name=a%00b"), "application/x-www-form-urlencoded", {"encoding": "utf-8"}
        )
    body = encode_multipart(BOUNDARY, {"name": "a\x00b"})
    request = type(
        "R",
        (),
        {
            "META": {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))},
            "upload_handlers": [],
            "encoding": "utf-8",
        },
    )()
    with pytest.raises(ParseError):
        MultiPartParser().parse(
            io.BytesIO(body), MULTIPART_CONTENT, {"request": request, "encoding": "utf-8"}
        )


def test_oversized_json_body_is_413(client):
    big = json.dumps({"description": "x" * (1024 * 1024 + 10)})
    assert_refused(client.post("/api/v1/feedback/reports", big, content_type="application/json"), 413)


def test_well_formed_vietnamese_text_passes(client):
    response = client.get("/thu-tuc/", {"q": "Đăng ký khai sinh – trẻ em 👶"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/tra-cuu/?ma=ABC/DEF", "/kiosk/tra-cuu/?ma=A/B", "/kiosk/danh-gia/?ma=A/B"]
)
def test_a_slash_in_a_look_up_code_is_not_found_not_a_500(client, path):
    response = client.get(path, follow=True)
    assert response.status_code in (200, 404)
    assert "/" not in response.redirect_chain[-1][0].split("/", 3)[-1].strip("/").split("/")[-1]


def test_kiosk_reset_is_a_post_with_csrf(citizen):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen, backend="motcua.portal.auth.PhoneOTPBackend")
    assert browser.get("/kiosk/thoat/").status_code == 405  # a link or <img> elsewhere cannot sign out
    assert browser.post("/kiosk/thoat/").status_code == 403  # nor a cross-site form without the token
    assert "_auth_user_id" in browser.session
    page = browser.get("/kiosk/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert 'id="kiosk-reset-form"' in page
    assert browser.post("/kiosk/thoat/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in browser.session


def test_a_non_numeric_id_from_the_request_is_a_404_for_writes_and_reads(rf):
    """Django refuses 'abc' for an integer key with a ValueError: the object asked for does not exist."""
    from django.http import Http404

    from motcua.core.middleware import AtomicWritesMiddleware
    from motcua.org.models import Unit

    def staff_action(request):
        Unit.objects.filter(pk=request.POST.get("competent_unit") or request.GET.get("unit")).first()
        raise AssertionError("not reached")

    middleware = AtomicWritesMiddleware(lambda request: None)
    with pytest.raises(Http404):
        middleware.process_view(rf.post("/x/", {"competent_unit": "abc"}), staff_action, (), {})
    read = rf.get("/x/", {"unit": "abc"})
    try:
        staff_action(read)
    except ValueError as exc:
        assert middleware.process_exception(read, exc).status_code == 404
    other = ValueError("something else went wrong")
    assert middleware.process_exception(read, other) is None  # real bugs still surface as 500s


def test_a_failing_write_request_leaves_nothing(client, monkeypatch, settings):
    """The view wrote (a feedback report, its audit entry, its outbox rows), then failed: all rolled back."""
    from motcua.portal import kiosk

    real = kiosk.kiosk_render

    def fail_on_done(request, template, context=None, status=200):
        if template.endswith("done.html"):
            raise RuntimeError("the page failed after the write")
        return real(request, template, context, status)

    monkeypatch.setattr(kiosk, "kiosk_render", fail_on_done)
    client.raise_request_exception = False
    before = row_count()
    response = client.post(
        "/kiosk/phan-anh/", {"description": "Đèn đường hỏng trước số 12", "address": "12 Lê Lợi", "phone": ""}
    )
    assert response.status_code == 500
    assert row_count() == before


def test_a_refused_write_request_keeps_its_logged_refusal_and_a_broken_one_keeps_nothing(rf):
    from django.core.exceptions import PermissionDenied

    from motcua.core import audit
    from motcua.core.middleware import AtomicWritesMiddleware
    from motcua.core.models import AuditEntry

    def refuse(request):
        audit.record("registry.refused", actor="system:test", purpose="no case held")
        raise PermissionDenied

    def break_down(request):
        audit.record("half.written", actor="system:test")
        raise RuntimeError("bug after a write")

    middleware = AtomicWritesMiddleware(lambda request: None)
    with pytest.raises(PermissionDenied):
        middleware.process_view(rf.post("/x/"), refuse, (), {})
    with pytest.raises(RuntimeError):
        middleware.process_view(rf.post("/x/"), break_down, (), {})
    assert AuditEntry.objects.filter(action="registry.refused").count() == 1
    assert not AuditEntry.objects.filter(action="half.written").exists()
