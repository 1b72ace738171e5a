"""Every page of every role, on demo data, in the citizen's words: no ISO dates, internal codes, raw keys,
English interface words or placeholder titles (`tests.vietnamese`), and no broken link.

The crawl starts at each role's home and follows the links a user sees (same site, GET), one page per
shape of address (codes and ids folded), so it grows with the site without a list to maintain.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.vietnamese import problems, visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SKIP = ("/static/", "/media/", "/admin/", "/api/", "/o/", "/oidc/", "/i18n/", "/open311/", "/metrics")
FILES = re.compile(r"\.(pdf|xlsx|csv|json|svg|png|ico|xml)$|[?&]format=")
ROLES = {
    "anonymous": ["/", "/thu-tuc/", "/tra-cuu/", "/phan-anh/", "/dang-nhap/", "/kiosk/"],
    "congdan": ["/", "/tai-khoan/"],
    "tiepnhan.col": ["/staff/"],
    "chuyenvien.col": ["/staff/"],
    "lanhdao.col": ["/staff/"],
    "vanthu.col": ["/staff/"],
    "tongdai": ["/staff/"],
    "lanhdao.tp": ["/staff/"],
    "kiemtoan": ["/staff/"],
    "quantri": ["/staff/"],
}
PAGES_PER_ROLE = 45


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])


def shape(url: str) -> str:
    path, _, query = url.partition("?")
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>", path)
    path = re.sub(r"\d+", "#", path)
    keys = sorted(k.split("=")[0] for k in query.split("&") if k and not k.startswith("page="))
    return path + ("?" + "&".join(keys) if keys else "")


@pytest.fixture
def demo_data(db, monkeypatch):
    from motcua.core.management.commands.seed_demo import demo_modules

    sizes = {
        "motcua.dossiers": {"COUNT": 40},
        "motcua.feedback": {"DEMO_REPORTS": 30},
        "motcua.civil": {"BIRTHS": 20, "MARRIAGES": 8, "DEATHS": 4},
    }
    for app, module in demo_modules():
        for name, value in sizes.get(app, {}).items():
            monkeypatch.setattr(module, name, value)
        module.seed()


def crawl(browser: Client, starts: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    seen_shapes: set[str] = set()
    queue = deque(starts)
    found: dict[str, list[str]] = {}
    visited: list[str] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url.startswith(SKIP) or FILES.search(url) or "logout" in url or shape(url) in seen_shapes:
            continue
        seen_shapes.add(shape(url))
        response = browser.get(url)
        visited.append(url)
        if response.status_code in (301, 302):
            continue
        if response.status_code >= 400:
            found.setdefault(url, []).append(f"HTTP {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        issues = problems(visible_text(html))
        if issues:
            found[url] = issues[:5]
        parser = _Links()
        parser.feed(html)
        queue.extend(parser.links)
    return found, visited


def test_every_page_of_every_role_speaks_vietnamese(demo_data, settings):
    from motcua.org.models import User

    settings.DEBUG = False
    report: dict[str, dict[str, list[str]]] = {}
    total = 0
    for username, starts in ROLES.items():
        browser = Client()
        if username != "anonymous":
            browser.force_login(User.objects.get(username=username))
        found, visited = crawl(browser, starts)
        total += len(visited)
        if found:
            report[username] = found
    assert total > 100
    assert report == {}, "\n".join(
        f"{user} {url}: {issue}"
        for user, pages in report.items()
        for url, issues in pages.items()
        for issue in issues
    )


def test_the_administration_reads_vietnamese():
    """Every model and field our admin shows has a Vietnamese name, not the English one Django derives."""
    from django.contrib import admin

    untranslated = []
    for model in admin.site._registry:
        if not model.__module__.startswith("motcua."):
            continue
        derived = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
        if str(model._meta.verbose_name) == derived:
            untranslated.append(model.__name__)
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and not field.auto_created:
                if str(field.verbose_name) == field.name.replace("_", " "):
                    untranslated.append(f"{model.__name__}.{field.name}")
    assert untranslated == []
