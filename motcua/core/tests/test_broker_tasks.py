"""The same task code on a Redis broker (django-tasks-rq) instead of the database backend (issue 13 item 2).

Runs the real thing in child processes: an installation configured with TASKS_BACKEND=django_tasks_rq.RQBackend
queues a citizen's message in a transaction, and an RQ worker (`motcua rqworker --burst`) delivers it.
Needs the Redis server of the machine (127.0.0.1:6379, as in CI); skipped where there is none.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_DB = 14


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")


def _motcua(env: dict[str, str], *args: str, timeout: int = 120) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "motcua", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_message_queued_in_a_transaction_is_delivered_by_an_rq_worker(tmp_path: Path) -> None:
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TASKS_REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    }
    env.pop("MOTCUA_ENV", None)
    _motcua(env, "migrate", "-v", "0")
    queued = _motcua(
        env,
        "shell",
        "-c",
        "from django.db import transaction\n"
        "from motcua.core import notify\n"
        "with transaction.atomic():\n"
        f"    m = notify.queue_message(key='{queue}', channel='sms', recipient='0901234567', body='Xin chào')\n"
        "print('QUEUED', m.pk, m.status)\n",
    )
    assert "QUEUED 1 pending" in queued
    _motcua(env, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    state = _motcua(
        env,
        "shell",
        "-c",
        "from motcua.core.models import OutboundMessage as O\n"
        "print('STATE', list(O.objects.values_list('status', 'attempts')))\n",
    )
    assert "STATE [('sent', 1)]" in state
