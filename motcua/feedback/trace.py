"""What every feedback action shares: the `Step` an action hands back to `workflow.perform`, the report's
trace (ReportEvent rows) and the small time and actor helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from motcua.feedback.models import Report, ReportEvent


@dataclass
class Step:
    """What an action decided; `workflow.perform` checks `target` against the table and writes it.

    `target` None: the status does not change. `effects` runs after the row is saved, in the same
    transaction: trace events and outbox messages. `audit` names the audit entry (before/after its payload).
    """

    target: str | None = None
    result: Any = None
    audit: str = ""
    before: dict | None = None
    after: dict | None = None
    effects: Callable[[Report], None] | None = None
    row: Report | None = None  # intake: the new, unsaved report
    existing: Report | None = None  # intake: the report this external id already became


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def today_or(now: dt.datetime | None) -> dt.date:
    return timezone.localtime(now_or(now)).date()


def actor_label(actor: Any) -> str:
    if actor is None:
        return ""
    if isinstance(actor, str):
        return actor
    if not getattr(actor, "is_authenticated", False):
        return ""
    return getattr(actor, "full_name", "") or getattr(actor, "username", "") or str(actor)


def actor_user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def record_event(
    report: Report,
    kind: str,
    *,
    actor: Any = None,
    note: str = "",
    from_unit=None,
    to_unit=None,
    data: dict | None = None,
    at: dt.datetime | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        note=note,
        from_unit=from_unit,
        to_unit=to_unit,
        data=data or {},
        at=now_or(at),
    )
