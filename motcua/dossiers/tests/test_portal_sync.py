"""The national portal receives exactly one message per status change, in order, despite failures."""

import pytest

from motcua.dossiers import portal, services
from motcua.dossiers.fakeportal import FakePortal
from motcua.dossiers.models import PortalMessage
from motcua.dossiers.tests.conftest import pdf


@pytest.fixture
def fake_portal(settings, monkeypatch):
    # the worker's connection housekeeping must not close the test transaction's connection
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr(portal, "BACKOFF", [0] * 6)
    with FakePortal() as fake:
        settings.MOTCUA_NATIONAL_PORTAL_URL = fake.url
        yield fake


def _walk(d, specialist, leader, desk_officer):
    for order, actor in ((2, specialist), (3, leader)):
        task = d.tasks.get(order=order)
        services.claim_task(task, actor=actor)
        services.complete_task(task, actor=actor)
    services.attach_result(d, actor=specialist, file=pdf(), name="Kết quả")
    services.return_result(d, actor=desk_officer)


def test_one_message_per_status_change_in_order(
    fake_portal, intake, specialist, leader, desk_officer, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = intake()
        _walk(d, specialist, leader, desk_officer)
    run_tasks()
    assert fake_portal.codes_for(d.code) == [2, 4, 9, 10]
    assert [m["seq"] for m in fake_portal.messages] == [1, 2, 3, 4]
    assert not PortalMessage.objects.filter(state="pending").exists()
    run_tasks()  # nothing is sent twice
    assert fake_portal.deliveries == 4


def test_outage_and_worker_restart_keep_order_and_never_duplicate(
    fake_portal,
    intake,
    specialist,
    leader,
    desk_officer,
    run_tasks,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    fake_portal.fail_next(1000)  # the portal is down
    with django_capture_on_commit_callbacks(execute=True):
        d = intake()
        _walk(d, specialist, leader, desk_officer)
    run_tasks()
    assert PortalMessage.objects.filter(dossier=d, state="pending").exists()
    assert fake_portal.codes_for(d.code) == []
    fake_portal.fail_next(0)  # back up

    # The worker dies after the portal accepted a message but before it was marked sent.
    real_post = portal.post
    crashed = []

    def post_then_crash(url, payload):
        real_post(url, payload)
        if not crashed:
            crashed.append(payload["seq"])
            raise ConnectionResetError("worker killed")

    monkeypatch.setattr(portal, "post", post_then_crash)
    portal.retry_pending()
    monkeypatch.setattr(portal, "post", real_post)
    # a fresh worker picks everything up through the periodic sweep
    from motcua.dossiers.tasks import retry_portal_sync

    retry_portal_sync.enqueue()
    run_tasks()
    assert fake_portal.codes_for(d.code) == [2, 4, 9, 10]
    assert fake_portal.deliveries > 4  # retries happened, duplicates were dropped by message id
    assert PortalMessage.objects.filter(dossier=d, state="sent").count() == 4


def test_disabled_when_no_url(settings, intake):
    settings.MOTCUA_NATIONAL_PORTAL_URL = ""
    d = intake()
    assert not PortalMessage.objects.filter(dossier=d).exists()
