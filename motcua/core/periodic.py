"""Periodic work (overdue detection, escalations...) declared by apps and enqueued through Django Tasks.

An app lists `PERIODIC = [(task, seconds), ...]` in its `tasks.py`; `motcua periodic` enqueues each task
once per period of `seconds`. Several schedulers may run (one beside each worker group, for availability):
the period is claimed by inserting a `PeriodicSlot` row under a unique constraint, so only the scheduler
whose insert wins enqueues it. The tasks themselves must still be idempotent.
"""

import datetime as dt
import importlib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.models import PeriodicSlot


def periodic_tasks() -> list[tuple[Any, int]]:
    found: list[tuple[Any, int]] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("motcua."):
            continue
        try:
            module = importlib.import_module(f"{app}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tasks":
                raise
            continue
        found.extend(getattr(module, "PERIODIC", []))
    return found


def task_name(task: Any) -> str:
    return str(getattr(task, "module_path", repr(task)))


def claim_period(task: Any, seconds: int, now: dt.datetime | None = None) -> bool:
    """True for exactly one caller per task and period, across processes and machines."""
    moment = now or timezone.now()
    slot = int(moment.timestamp()) // max(int(seconds), 1)
    try:
        with transaction.atomic():
            PeriodicSlot.objects.create(task=task_name(task)[:200], slot=slot)
    except IntegrityError:
        return False
    return True


def run_due(schedule: list[tuple[Any, int]], now: dt.datetime | None = None) -> list[str]:
    """Enqueue every task of `schedule` whose current period no scheduler has claimed yet."""
    enqueued = []
    for task, seconds in schedule:
        if claim_period(task, seconds, now):
            task.enqueue()
            enqueued.append(task_name(task))
    return enqueued


def forget_old_slots(keep: dt.timedelta = dt.timedelta(days=2)) -> int:
    deleted, _ = PeriodicSlot.objects.filter(created_at__lt=timezone.now() - keep).delete()
    return deleted
