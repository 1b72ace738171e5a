"""Shared helpers for the cross-app browser tests (Playwright on Debian's Chromium, live test server)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    cache.clear()
    storages = dict(settings.STORAGES)
    storages["default"] = {**storages["default"], "OPTIONS": {"location": str(tmp_path / "media")}}
    settings.STORAGES = storages
    # No population registry unless a test starts the simulator (never a demo one on the default port).
    settings.MOTCUA_POPULATION_REGISTRY_URL = "http://127.0.0.1:9"
    settings.MOTCUA_REGISTRY_TIMEOUT = 0.5


@pytest.fixture
def catalog(province):
    """The 83 real procedures with the demo's online levels and declaration forms."""
    from motcua.catalog import demo

    demo.seed()


class PageWatch:
    """Records every request, console error and page error of a page."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.origin = urlsplit(base_url).netloc
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def reset(self):
        self.requests.clear()
        self.errors.clear()

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith("data:") and urlsplit(u).netloc != self.origin]

    def check(self, name: str, artifacts_dir=None, *, full_page: bool = True) -> dict:
        """No foreign request, no console error, no serious/critical axe violation; screenshot; returns figures."""
        from axe_playwright_python.sync_playwright import Axe

        page = self.page
        page.wait_for_load_state("networkidle")
        assert self.foreign_requests() == [], f"{name}: requests left the origin: {self.foreign_requests()}"
        assert self.errors == [], f"{name}: console errors: {self.errors}"
        results = Axe().run(page)
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{name}: axe serious/critical violations: {bad}"
        if artifacts_dir is not None:
            page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=full_page)
        return {"requests": len(self.requests)}


@pytest.fixture
def watch(browser_page, live_server):
    return PageWatch(browser_page, live_server.url)


def outbox_code(phone: str) -> str:
    import re

    from motcua.core.models import OutboundMessage
    from motcua.core.notify import message_text

    message = OutboundMessage.objects.filter(recipient=phone, channel="sms").order_by("-pk").first()
    assert message is not None, "no SMS in the outbox"
    return re.search(r"\b(\d{6})\b", message_text(message)).group(1)  # what the phone receives


def finish_dossier(dossier, make_staff):
    """Officers take the dossier through its internal process to a returned result (dossier services)."""
    from motcua.dossiers import selectors, services
    from motcua.org.models import Role

    dossier.refresh_from_db()
    if dossier.status == "submitted":
        desk = make_staff(Role.DESK_OFFICER, dossier.receiving_unit)
        dossier = services.receive(dossier, actor=desk)
    for _ in range(10):
        task = selectors.current_task(dossier)
        if task is None:
            break
        officer = make_staff(task.role, task.unit)
        services.claim_task(task, actor=officer)
        services.complete_task(task, actor=officer)
        dossier.refresh_from_db()
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.attach_result(
        dossier,
        actor=make_staff(Role.SPECIALIST, dossier.unit),
        file=SimpleUploadedFile("trich-luc.pdf", PDF, content_type="application/pdf"),
        name="Trích lục khai sinh",
    )
    dossier.refresh_from_db()
    services.return_result(
        dossier, actor=make_staff(Role.DESK_OFFICER, dossier.receiving_unit), channel="online"
    )
    dossier.refresh_from_db()
    return dossier
