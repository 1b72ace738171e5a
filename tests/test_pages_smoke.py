"""Every page without URL parameters answers without a server error, for each kind of caller.

A safety net over all apps: it walks the URL configuration, so new pages are covered as they are added.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from motcua.org.models import Role

SKIP_PREFIXES = ("admin/", "i18n/", "o/", "oidc/", "api/v1/docs", "static/", "media/")
SKIP_SUFFIXES = ("logout/",)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if "<" in route or "(?P" in route or "\\" in route or "^" in route or "$" in route:
                continue
            yield "/" + route


def plain_routes():
    routes = sorted(set(_walk(get_resolver().url_patterns)))
    return [r for r in routes if not r.lstrip("/").startswith(SKIP_PREFIXES) and not r.endswith(SKIP_SUFFIXES)]


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "citizen", "desk_officer", "auditor", "superuser"])
def test_pages_answer_without_server_error(client, caller, citizen, make_staff, ward_a, province, django_user_model):
    if caller == "citizen":
        client.force_login(citizen)
    elif caller == "desk_officer":
        client.force_login(make_staff(Role.DESK_OFFICER, ward_a))
    elif caller == "auditor":
        client.force_login(make_staff(Role.AUDITOR, province))
    elif caller == "superuser":
        client.force_login(django_user_model.objects.create_superuser("root-smoke", "r@x.vn", "pw-test-12345"))
    failures = []
    routes = plain_routes()
    assert "/" in routes and "/staff/login/" in routes
    for route in routes:
        response = client.get(route)
        if response.status_code >= 500:
            failures.append((route, response.status_code))
    assert failures == []
