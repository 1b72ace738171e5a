"""The browser walk of every role on demo-like data (issue 12, "Done when"): the citizen on a 360 px phone
and on a desktop, the kiosk in portrait and landscape, the desk officer, the specialist, the leader, the
1022 hotline operator, the city leader and the auditor go through their main pages in Vietnamese.

Each page answers without an error, loads nothing that fails (no 4xx/5xx, no console error) and shows none
of the problem markers of `tests.vietnamese` (ISO dates, internal codes, raw keys, English words). A
viewport screenshot of each role's main page is saved into docs/screenshots/ (walk-*.png).
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.vietnamese import problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
KIOSK_PORTRAIT = {"width": 810, "height": 1440}
KIOSK_LANDSCAPE = {"width": 1440, "height": 810}


@pytest.fixture
def demo_data(db, monkeypatch):
    """The demo's own seed (all apps), smaller."""
    from motcua.core.management.commands.seed_demo import demo_modules

    sizes = {
        "motcua.dossiers": {"COUNT": 24},
        "motcua.feedback": {"DEMO_REPORTS": 12},
        "motcua.civil": {"BIRTHS": 8, "MARRIAGES": 3, "DEATHS": 2},
    }
    for app, module in demo_modules():
        for name, value in sizes.get(app, {}).items():
            monkeypatch.setattr(module, name, value)
        module.seed()


def _first(url_of, queryset) -> str:
    row = queryset.first()
    return url_of(row) if row is not None else ""


def walks() -> dict[str, tuple[str | None, dict, list[str]]]:
    from motcua.dossiers.models import Dossier
    from motcua.feedback.models import Report

    ward_dossier = _first(
        lambda d: f"/staff/dossiers/{d.code}/", Dossier.objects.filter(unit__code="26758").order_by("-pk")
    )
    report = _first(lambda r: f"/staff/feedback/{r.code}/", Report.objects.order_by("-pk"))
    citizen_pages = ["/", "/thu-tuc/", "/tai-khoan/", "/tra-cuu/", "/phan-anh/"]
    kiosk_pages = ["/kiosk/", "/kiosk/thu-tuc/", "/kiosk/tra-cuu/", "/kiosk/danh-gia/", "/kiosk/phan-anh/"]
    return {
        "citizen-phone": ("congdan", PHONE, citizen_pages),
        "citizen-desktop": ("congdan", DESKTOP, citizen_pages),
        "kiosk-portrait": (None, KIOSK_PORTRAIT, kiosk_pages),
        "kiosk-landscape": (None, KIOSK_LANDSCAPE, kiosk_pages),
        "desk-officer": (
            "tiepnhan.col",
            DESKTOP,
            [
                "/staff/",
                "/staff/dossiers/",
                "/staff/dossiers/new/",
                ward_dossier,
                "/staff/dossiers/log-book/",
            ],
        ),
        "specialist": (
            "chuyenvien.col",
            DESKTOP,
            ["/staff/", "/staff/dossiers/", ward_dossier, "/staff/civil/"],
        ),
        "leader": (
            "lanhdao.col",
            DESKTOP,
            ["/staff/", "/staff/dossiers/?status=overdue", "/staff/catalog/tai-cau-truc/", "/staff/surveys/"],
        ),
        "hotline-operator": (
            "tongdai",
            DESKTOP,
            ["/staff/", "/staff/feedback/", "/staff/feedback/hotline/", report],
        ),
        "city-leader": ("lanhdao.tp", DESKTOP, ["/staff/", "/staff/feedback/", "/staff/surveys/"]),
        "auditor": ("kiemtoan", DESKTOP, ["/staff/", "/staff/citizens/log/", "/staff/outbox/"]),
    }


def test_every_role_walks_its_main_pages(browser_page, live_server, demo_data, artifacts_dir):
    from motcua.org.models import User

    browser = browser_page.context.browser
    failures: list[str] = []
    for name, (username, viewport, pages) in walks().items():
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport)
        if username:
            client = Client()
            client.force_login(User.objects.get(username=username))
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on(
            "response",
            lambda r, errors=errors: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
        )
        for index, url in enumerate(p for p in pages if p):
            errors.clear()
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            where = f"{name} {url}"
            if response is None or response.status >= 400:
                failures.append(f"{where}: HTTP {response.status if response else '-'}")
            failures += [f"{where}: {e}" for e in errors]
            failures += [f"{where}: {p}" for p in problems(page.inner_text("body"))]
            if index == 0 or url.startswith(("/staff/dossiers/0", "/staff/feedback/PA", "/tai-khoan/")):
                suffix = "" if index == 0 else "-" + url.strip("/").replace("staff/", "").split("/")[0]
                page.screenshot(path=str(artifacts_dir / f"walk-{name}{suffix}.png"), full_page=False)
        context.close()
    assert failures == [], "\n".join(failures)
