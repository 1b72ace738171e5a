"""Tasks that will never finish: a worker killed in the middle of one leaves its row RUNNING forever.

Every task of motcua is idempotent and its work is state-driven (a pending message, a pending portal
message, an overdue dossier), so a task whose worker died is simply marked failed once its lease
(`MOTCUA_TASK_LEASE_SECONDS`, longer than any task runs) has passed; the periodic sweeps then do its work
again. Only the database backend keeps such rows; a broker backend (RQ) has its own abandoned-job handling.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

LOST = "worker lost: the task ran past its lease (MOTCUA_TASK_LEASE_SECONDS) and was marked failed"


def stuck(now: dt.datetime | None = None) -> int:
    """How many tasks are RUNNING past their lease."""
    return int(_stuck(now).count())


def _stuck(now: dt.datetime | None) -> QuerySet[DBTaskResult]:
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS)
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)


def reap_stuck(now: dt.datetime | None = None) -> int:
    moment = now or timezone.now()
    return int(
        _stuck(moment).update(
            status=TaskResultStatus.FAILED,
            finished_at=moment,
            exception_class_path="motcua.core.taskhealth.WorkerLost",
            traceback=LOST,
        )
    )


class WorkerLost(Exception):
    """The worker running the task disappeared."""
