"""Reminders as the reply deadline nears or passes, and for reports left at the city's triage.

A scheduled job: it raises `escalation_level` of open reports (the statuses the workflow table lists in
ESCALATABLE) and never writes a status. Idempotent: each level is raised once per round.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from motcua.core import audit
from motcua.core.calendar import calendar_for
from motcua.core.notify import queue_message
from motcua.feedback import events
from motcua.feedback.intake import city_unit
from motcua.feedback.models import Report, ReportEvent, ReportStatus
from motcua.feedback.notifications import public_url
from motcua.feedback.trace import now_or, record_event, today_or
from motcua.feedback.workflow import ESCALATABLE
from motcua.org.models import Role, Unit, User

ESCALATE_BEFORE_DAYS = 2
TRIAGE_HOURS = 1  # HCMC 1022: unclear competence is resolved within one working hour


def _leaders(unit: Unit):
    return User.objects.filter(
        roles__unit=unit, roles__role=Role.UNIT_LEADER, roles__active=True, is_active=True
    )


def escalate_due(now: dt.datetime | None = None, *, batch: int = 2000) -> int:
    """Level 1 (unit leader) when the reply deadline is 2 working days away or less; level 2 (the city)
    once it has passed. Works in batches (one UPDATE, one bulk insert of trace events, one audit entry and
    one digest e-mail per unit and leader)."""
    today, moment, cal = today_or(now), now_or(now), calendar_for()
    soon = today
    for _i in range(ESCALATE_BEFORE_DAYS):
        soon = cal.next_working_day(soon)
    city = city_unit()
    city_leaders = list(_leaders(city).exclude(email=""))
    plan = (
        (2, Q(deadline__lt=today, escalation_level__lt=2)),
        (1, Q(deadline__gte=today, deadline__lte=soon, escalation_level__lt=1)),
    )
    total = 0
    for level, condition in plan:
        while True:
            with transaction.atomic():
                done = _escalate_batch(level, condition, batch, today, moment, city, city_leaders)
            if not done:
                break
            total += done
    return total + _escalate_triage(moment, city, city_leaders)


def _escalate_batch(level, condition, batch, today, moment, city, city_leaders) -> int:
    cal = calendar_for()
    rows = list(
        Report.objects.filter(status__in=ESCALATABLE)
        .filter(condition)
        .select_for_update()
        .order_by("pk")
        .values("pk", "code", "unit_id", "deadline", "escalation_level")[:batch]
    )
    if not rows:
        return 0
    Report.objects.filter(pk__in=[r["pk"] for r in rows]).update(escalation_level=level, updated_at=moment)
    trace = []
    by_unit: dict[int, list[dict]] = {}
    for row in rows:
        if level == 1:
            left = cal.working_days_between(today, row["deadline"])
            note = f"Còn {left} ngày làm việc đến hạn {row['deadline']:%d/%m/%Y}"
        else:
            note = f"Quá hạn trả lời ({row['deadline']:%d/%m/%Y})"
        to_unit = row["unit_id"] if level == 1 else city.pk
        trace.append(
            ReportEvent(
                report_id=row["pk"],
                kind=events.ESCALATED,
                actor_label="system",
                at=moment,
                to_unit_id=to_unit,
                note=note,
                data={"level": level},
            )
        )
        by_unit.setdefault(row["unit_id"], []).append(row)
    ReportEvent.objects.bulk_create(trace)
    for unit_id, unit_rows in by_unit.items():
        recipients = city_leaders if level == 2 else list(_leaders(Unit(pk=unit_id)).exclude(email=""))
        _audit_and_tell(level, unit_id, unit_rows, recipients, today)
    return len(rows)


def _audit_and_tell(level: int, unit_id: int, rows: list[dict], recipients: list, today: dt.date) -> None:
    codes = [r["code"] for r in rows]
    audit.record(
        "feedback.reports_escalated",
        actor="system",
        object_type="feedback.report",
        object_id=f"{codes[0]}+{len(codes) - 1}" if len(codes) > 1 else codes[0],
        unit_id=unit_id,
        before={"levels": [r["escalation_level"] for r in rows]},
        after={"level": level, "codes": codes},
    )
    body = (
        ("Phản ánh sắp đến hạn trả lời: " if level == 1 else "Phản ánh quá hạn trả lời: ")
        + ", ".join(codes[:50])
        + (f" (và {len(codes) - 50} phản ánh khác)" if len(codes) > 50 else "")
        + f". {public_url('/staff/feedback/')}"
    )
    for leader in recipients:
        queue_message(
            key=f"feedback:esc{level}:{unit_id}:{today}:{codes[0]}:{len(codes)}:{leader.pk}",
            channel="email",
            recipient=leader.email,
            unit_id=unit_id,
            body=body,
            subject=f"Nhắc hạn {len(codes)} phản ánh",
        )


def _escalate_triage(moment: dt.datetime, city: Unit, leaders: list) -> int:
    """Reports still at the city for triage one working hour after receipt are raised to its leaders."""
    cal = calendar_for()
    count = 0
    waiting = Report.objects.filter(
        status=ReportStatus.RECEIVED,
        unit=city,
        escalation_level=0,
        received_at__lte=moment - dt.timedelta(hours=TRIAGE_HOURS),
    )
    for report in waiting.order_by("pk")[:2000]:
        if cal.add_working_hours(report.received_at, TRIAGE_HOURS, city.schedule) > moment:
            continue
        with transaction.atomic():
            if not Report.objects.filter(
                pk=report.pk, status=ReportStatus.RECEIVED, escalation_level=0
            ).update(escalation_level=1, updated_at=moment):
                continue
            note = "Chưa xác định được thẩm quyền sau 1 giờ làm việc"
            record_event(
                report,
                events.ESCALATED,
                actor="system",
                to_unit=city,
                at=moment,
                data={"level": 1},
                note=note,
            )
            audit.record(
                "feedback.report_escalated",
                actor="system",
                obj=report,
                before={"level": 0},
                after={"level": 1, "reason": "triage"},
            )
            for leader in leaders:
                queue_message(
                    key=f"feedback:{report.pk}:triage:{leader.pk}",
                    channel="email",
                    recipient=leader.email,
                    unit_id=city.pk,
                    subject=f"Phản ánh {report.code} chưa phân loại",
                    body=f"{report.code} chưa xác định được đơn vị xử lý sau 1 giờ làm việc. "
                    f"{public_url('/staff/feedback/' + report.code + '/')}",
                )
        count += 1
    return count
