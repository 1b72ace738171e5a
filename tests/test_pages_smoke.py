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


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    skip = {"django_session", "axes_accesslog", "axes_accessattempt"}  # sign-in bookkeeping, not data
    return {
        m._meta.db_table: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.db_table not in skip
    }


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "citizen", "desk_officer", "auditor"])
def test_no_get_writes_a_row(client, caller, citizen, make_staff, ward_a, province):
    """A GET only reads (a link followed cross-site must not act in the caller's name): every page of the
    walk leaves every table's row count as it was (issue 11 item 11's class)."""
    if caller == "citizen":
        client.force_login(citizen)
    elif caller == "desk_officer":
        client.force_login(make_staff(Role.DESK_OFFICER, ward_a))
    elif caller == "auditor":
        client.force_login(make_staff(Role.AUDITOR, province))
    writes = []
    for route in plain_routes():
        before = _row_counts()
        client.get(route)
        after = _row_counts()
        changed = {t: (before[t], after[t]) for t in after if after[t] != before.get(t)}
        if changed:
            writes.append((route, changed))
    assert writes == []
