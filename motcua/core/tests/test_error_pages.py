"""Every error page (400, 403 and the CSRF failure, 404, 500) is a Vietnamese page in the site's layout."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad")


def _denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("loi/400/", _bad),
    path("loi/403/", _denied),
    path("loi/500/", _boom),
    path("", include("motcua.urls")),
]
handler400 = "motcua.core.views.bad_request"
handler403 = "motcua.core.views.permission_denied"
handler404 = "motcua.core.views.not_found"
handler500 = "motcua.core.views.server_error"

LAYOUT = 'class="site-header"'


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/loi/400/", 400, "Yêu cầu không hợp lệ"),
        ("/loi/403/", 403, "Không có quyền truy cập"),
        ("/khong-co-trang-nay/", 404, "Không tìm thấy trang"),
        ("/loi/500/", 500, "Hệ thống đang gặp sự cố"),
    ],
)
def test_error_pages_are_vietnamese_in_the_layout(settings, url, status, title):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get(url)
    page = response.content.decode()
    assert response.status_code == status
    assert LAYOUT in page and f"<h1>{title}</h1>" in page and 'lang="vi"' in page
    assert "Server Error" not in page and "Not Found" not in page and "Forbidden" not in page


def test_csrf_failure_is_a_vietnamese_page(settings, desk_officer):
    settings.DEBUG = False
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(desk_officer)
    response = browser.post("/staff/logout/")
    page = response.content.decode()
    assert response.status_code == 403 and LAYOUT in page
    assert "Trang đã hết hiệu lực" in page and "CSRF" not in page
