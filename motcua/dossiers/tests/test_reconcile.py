"""`motcua reconcile` after a fault run, and the reaper of tasks whose worker died (issue 13 item 6)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.core import taskhealth
from motcua.core.fakesms import FakeSmsGateway
from motcua.core.models import OutboundMessage
from motcua.dossiers.reconcile import reconcile

pytestmark = pytest.mark.django_db


def _acks(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "acks.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_acknowledged_dossiers_all_stored_reconcile_cleanly(intake, tmp_path: Path) -> None:
    dossier = intake()
    report = reconcile(
        acknowledged_file=_acks(tmp_path, [{"key": dossier.idempotency_key or "", "code": dossier.code}])
    )
    assert report.problems == []
    assert any(line.startswith("dossiers: 1 acknowledged, 1 of them stored, 0 lost") for line in report.lines)


def test_a_lost_dossier_and_a_split_acknowledgement_are_reported(intake, tmp_path: Path) -> None:
    dossier = intake()
    acks = [
        {"key": "k-a", "code": dossier.code},
        {"key": "k-a", "code": "000.00.00.H29-260101-9999"},  # the same submission acknowledged twice
    ]
    with pytest.raises(CommandError):
        call_command("reconcile", acknowledged=_acks(tmp_path, acks), stdout=open("/dev/null", "w"))
    report = reconcile(acknowledged_file=_acks(tmp_path, acks))
    assert any("not stored" in p for p in report.problems)
    assert any("duplicated dossiers" in p for p in report.problems)


def test_an_sms_the_outbox_calls_sent_but_the_gateway_never_got_is_reported() -> None:
    gateway = FakeSmsGateway().start()
    try:
        OutboundMessage.objects.create(key="sms:x", channel="sms", recipient="0901", body="x", status="sent")
        report = reconcile(sms_gateway=gateway.url)
    finally:
        gateway.stop()
    assert report.problems == ["1 SMS marked sent never reached the gateway"]


def test_a_task_whose_worker_died_is_reaped_after_its_lease(settings) -> None:
    settings.MOTCUA_TASK_LEASE_SECONDS = 60
    now = timezone.now()
    common = dict(
        task_path="motcua.core.tasks.retry_pending_messages",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=None,
        exception_class_path="",
        traceback="",
        worker_ids=["killed"],
    )
    lost = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=now - dt.timedelta(minutes=5), **common
    )
    busy = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=now - dt.timedelta(seconds=5), **common
    )
    assert taskhealth.stuck(now) == 1
    assert reconcile().problems == ["1 tasks RUNNING past their lease (run the reaper: motcua periodic)"]
    assert taskhealth.reap_stuck(now) == 1
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED and "worker lost" in lost.traceback
    assert busy.status == TaskResultStatus.RUNNING
    assert reconcile().problems == []
