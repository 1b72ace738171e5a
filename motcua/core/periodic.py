"""Periodic work (overdue detection, escalations...) declared by apps and enqueued through Django Tasks.

An app lists `PERIODIC = [(task, seconds), ...]` in its `tasks.py`; `motcua periodic` enqueues each task
every `seconds`. The tasks themselves must be idempotent.
"""

import importlib
from typing import Any

from django.conf import settings


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
