"""Shared test fixtures: the real Ho Chi Minh City units (loaded once per test database) and staff factories."""

import itertools

import pytest

from motcua.org.models import Role, StaffRole, Unit, User, UserKind

WARD_A = "26758"  # Phường Cầu Ông Lãnh
WARD_B = "26740"  # Phường Sài Gòn
_counter = itertools.count(1)


def _ensure_units():
    from motcua.org.loader import load_province

    if not Unit.objects.filter(code="79-STP").exists():
        load_province("79", with_legacy=True, with_agencies=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_units()


@pytest.fixture
def province(db):
    _ensure_units()
    return Unit.objects.get(code="79", valid_to__isnull=True)


@pytest.fixture
def ward_a(province):
    return Unit.objects.get(code=WARD_A, valid_to__isnull=True)


@pytest.fixture
def ward_b(province):
    return Unit.objects.get(code=WARD_B, valid_to__isnull=True)


@pytest.fixture
def agency_justice(province):
    return Unit.objects.get(code="79-STP", valid_to__isnull=True)


@pytest.fixture
def make_staff(db):
    """make_staff(role, unit, **fields) -> a staff user holding `role` in `unit` (password 'pw-test-12345')."""

    def make(role: str, unit: Unit, **fields) -> User:
        n = next(_counter)
        user = User.objects.create_user(
            username=fields.pop("username", f"{role}-{unit.code}-{n}"),
            password="pw-test-12345",
            kind=UserKind.STAFF,
            full_name=fields.pop("full_name", f"Cán bộ {n}"),
            **fields,
        )
        StaffRole.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        username=f"citizen-{next(_counter)}",
        password="pw-test-12345",
        kind=UserKind.CITIZEN,
        full_name="Nguyễn Văn An",
        phone="0901234567",
        personal_id="079090001234",
    )


@pytest.fixture
def desk_officer(make_staff, ward_a):
    return make_staff(Role.DESK_OFFICER, ward_a)


@pytest.fixture
def specialist(make_staff, ward_a):
    return make_staff(Role.SPECIALIST, ward_a)


@pytest.fixture
def leader(make_staff, ward_a):
    return make_staff(Role.UNIT_LEADER, ward_a)


@pytest.fixture
def other_ward_specialist(make_staff, ward_b):
    return make_staff(Role.SPECIALIST, ward_b)


@pytest.fixture
def auditor(make_staff, province):
    return make_staff(Role.AUDITOR, province)


@pytest.fixture
def province_admin(make_staff, province):
    return make_staff(Role.PROVINCE_ADMIN, province)


__all__ = ["Role", "StaffRole"]


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run every queued Django task now with the real database worker (as `motcua db_worker --batch`).

    The worker's periodic connection recycling is switched off: inside a test's transaction it would
    close the connection the test is using.
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff fixtures set passwords; a cheap hasher keeps each one from costing most of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: an in-process WSGI app (schemathesis `from_wsgi`) must not close the test
    database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Checkpoints are files outside the database: each test gets its own folder, so one left by a demo
    run or another test never anchors entries this test's database does not hold."""
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture
def browser_page(live_server, tmp_path, monkeypatch):
    """A Playwright page in Debian's headless Chromium against the live test server.

    Skips (visibly) when Chromium is not installed; `.ci/run` installs it.
    """
    import os
    import shutil

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes meanwhile are
    # safe (one thread), so allow them for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 768}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def artifacts_dir():
    """Where browser tests leave screenshots (CI artefacts folder, else docs/screenshots)."""
    import os
    from pathlib import Path

    path = Path(os.environ.get("MOTCUA_ARTIFACTS") or Path(__file__).parent / "docs" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
