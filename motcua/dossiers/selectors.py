"""Reads of dossiers that views, the API and other apps (portal, civil, dashboard) use.

Staff reads are scoped in the query (`Dossier.objects.visible_to(user)`); public reads never return
personal data; citizens see only their own dossiers.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.dossiers.models import (
    ACTIVE_TASK,
    Dossier,
    DossierEvent,
    DossierPerson,
    DossierStatus,
    ResultPaper,
    Task,
    TaskStatus,
    Transfer,
)
from motcua.dossiers.receipts import check_receipt_key as check_receipt_key  # re-exported for apps
from motcua.dossiers.receipts import receipt_key as receipt_key  # re-exported for apps
from motcua.dossiers.workflow import LEGACY_ACTIONS, Action
from motcua.org.actors import Actor, signed_in
from motcua.org.models import Role, Unit, User

PUBLIC_ACTIONS_LABELS = {a.value: a.label for a in Action} | {k: a.label for k, a in LEGACY_ACTIONS.items()}


def get_dossier_for_staff(code: str, user: Actor | None) -> Dossier | None:
    """The dossier with this code if the officer may see it (competent, receiving or linked unit)."""
    return (
        Dossier.objects.visible_to(user)
        .select_related("procedure", "unit", "receiving_unit", "citizen")
        .filter(code=code)
        .first()
    )


def get_by_code(code: str) -> Dossier | None:
    """Unscoped, for other apps' server-side rules (ratings, registry purpose checks); never list to users."""
    return (
        Dossier.objects.select_related("procedure", "unit", "receiving_unit")
        .filter(code=(code or "").strip())
        .first()
    )


def system_dossiers() -> QuerySet[Dossier]:
    """Unscoped, for other apps' server-side jobs (rating invitations, demo ratings); never list to users."""
    return Dossier.objects.select_related("procedure", "unit", "receiving_unit")


def staff_dossiers(user: Actor | None) -> QuerySet[Dossier]:
    return Dossier.objects.visible_to(user).select_related("procedure", "unit", "receiving_unit")


def dossiers_of_citizen(user: Actor | None) -> QuerySet[Dossier]:
    """The citizen's own dossiers: filed from their account, or naming their verified personal ID number
    (the one VNeID vouched for, `User.personal_id`) as applicant or person concerned, from every channel,
    counter dossiers included. Nothing else: a typed-in number of an account is never trusted here."""
    if not signed_in(user) or not user.is_citizen:
        return Dossier.objects.none()
    mine = Q(citizen=user)
    personal_id = getattr(user, "personal_id", "") or ""
    if personal_id:
        named = DossierPerson.objects.filter(personal_id=personal_id).values("dossier_id")
        mine |= Q(applicant_personal_id=personal_id) | Q(pk__in=named)
    return Dossier.objects.filter(mine).select_related("procedure", "unit", "receiving_unit")


def current_task(dossier: Dossier) -> Task | None:
    return (
        dossier.tasks.filter(status__in=ACTIVE_TASK)
        .select_related("unit", "assignee")
        .order_by("order", "id")
        .first()
    )


def step_reached(dossier: Dossier) -> dict[str, Any]:
    tasks = list(dossier.tasks.order_by("order", "id").values("order", "name", "status"))
    total = len(tasks)
    active = next((t for t in tasks if t["status"] in ACTIVE_TASK), None)
    done = sum(1 for t in tasks if t["status"] == TaskStatus.DONE)
    if active is not None:
        return {"order": active["order"], "name": active["name"], "total": total, "done": done}
    return {"order": None, "name": DossierStatus(dossier.status).label, "total": total, "done": done}


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def public_status(code: str) -> dict[str, Any] | None:
    """What anyone holding the receipt may see: no names, no ID numbers, no addresses, no phone."""
    dossier = get_by_code(code)
    if dossier is None:
        return None
    return _public(dossier)


def _public(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "status": dossier.status,
        "status_label": str(DossierStatus(dossier.status).label),
        "portal_status_code": dossier.portal_code,
        "step": step_reached(dossier),
        "receiving_unit": dossier.receiving_unit.name,
        "competent_unit": dossier.unit.name,
        "submitted_at": _iso(dossier.submitted_at),
        "received_at": _iso(dossier.received_at),
        "appointment_at": _iso(dossier.due_at),
        "due_at": _iso(dossier.original_due_at or dossier.due_at),
        "apology": bool(dossier.apologised_at),
        "overdue": dossier.overdue,
        "returned_at": _iso(dossier.returned_at),
        "outcome": dossier.outcome or None,
    }


VERIFY_DIGITS = 6


# --- the dashboard's reads (roll-ups, drill-downs): unscoped sources, the dashboard applies the scope ---
ROLLUP_FIELDS = (
    "id",
    "status",
    "channel",
    "receiving_unit_id",
    "unit_id",
    "procedure_id",
    "received_at",
    "due_at",
    "original_due_at",
    "result_ready_at",
    "returned_at",
    "outcome",
    "updated_at",
)
ENDED_STATUSES = (DossierStatus.WITHDRAWN, DossierStatus.STOPPED)
NOT_IN_PROGRESS = (
    DossierStatus.RETURNED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
    DossierStatus.NOT_RECEIVED,
)


def rollup_rows() -> QuerySet[Dossier, dict[str, Any]]:
    """Every dossier's columns the dashboard's roll-ups are computed from (a rebuild walks all of them,
    with `.iterator(chunk_size=...)`)."""
    rows: QuerySet[Dossier, dict[str, Any]] = Dossier.objects.order_by().values(*ROLLUP_FIELDS)
    return rows


def ended_at(dossier_ids: list[int] | None = None) -> dict[int, dt.datetime]:
    """When each withdrawn or stopped dossier ended (its last control-sheet line into that status)."""
    events = DossierEvent.objects.filter(to_status__in=ENDED_STATUSES)
    if dossier_ids is not None:
        events = events.filter(dossier_id__in=dossier_ids)
    out: dict[int, dt.datetime] = {}
    for dossier_id, at in events.order_by("at", "id").values_list("dossier_id", "at"):
        out[dossier_id] = at
    return out


def due_between(unit_ids: Any, start: dt.datetime, end: dt.datetime) -> int:
    """Received dossiers still in progress whose due time falls in [start, end), received by `unit_ids`
    (ALL: every unit): the part of today's overdue roll-up that is not overdue yet at `start`."""
    qs = Dossier.objects.filter(due_at__gte=start, due_at__lt=end, received_at__isnull=False).exclude(
        status__in=NOT_IN_PROGRESS
    )
    if unit_ids is not None:
        qs = qs.filter(receiving_unit_id__in=unit_ids)
    return qs.count()


def all_dossiers() -> QuerySet[Dossier]:
    """Every dossier, unscoped: the dashboard filters it by its own scoped unit list (drill-downs)."""
    return Dossier.objects.all()


def digitised_counts(unit_ids: Any, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
    """(handed over, handed over with an electronic result paper) for dossiers received by `unit_ids`
    whose result was handed over in [start, end): the QĐ 766 digitisation figure."""
    qs = Dossier.objects.filter(
        receiving_unit_id__in=unit_ids,
        status=DossierStatus.RETURNED,
        returned_at__gte=start,
        returned_at__lt=end,
    )
    return qs.count(), qs.filter(results__isnull=False).distinct().count()


def _last_digits(value: str) -> str:
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    return digits[-VERIFY_DIGITS:] if len(digits) >= VERIFY_DIGITS else ""


def verify_applicant(dossier: Dossier, verify: str) -> bool:
    """The receipt key (printed on the receipt), or the last 6 digits of the applicant's phone or ID number.

    Four digits were guessed in 727 requests; callers also limit guesses per dossier (core.ratelimit).
    """
    verify = (verify or "").strip()
    if check_receipt_key(dossier.code, verify):
        return True
    if len(verify) != VERIFY_DIGITS or not verify.isdigit():
        return False
    known = {_last_digits(dossier.applicant_phone), _last_digits(dossier.applicant_personal_id)} - {""}
    return any(hmac.compare_digest(verify, value) for value in known)


def public_detail(code: str, verify: str = "") -> tuple[dict[str, Any], bool] | None:
    """public_status plus, when `verify` matches the last 4 digits of the phone or ID, the details."""
    dossier = get_by_code(code)
    if dossier is None:
        return None
    data = _public(dossier)
    ok = verify_applicant(dossier, verify)
    if ok:
        data.update(
            {
                "applicant_initials": " ".join(p[:1] + "." for p in dossier.applicant_name.split()),
                "supplement_items": dossier.supplement_items,
                "apology_reason": dossier.apology_reason,
                "refusal_reason": dossier.refusal_reason,
                "result_ready": dossier.status in (DossierStatus.RESULT_READY, DossierStatus.REFUSED),
                "timeline": timeline(dossier, public=True),
            }
        )
    return data, ok


def timeline(dossier: Dossier, public: bool = True) -> list[dict[str, Any]]:
    """The dossier's history; `public=True` leaves out internal notes and officers' names."""
    events = DossierEvent.objects.filter(dossier=dossier).select_related("unit").order_by("at", "id")
    if public:
        events = events.filter(public=True)
    rows = []
    for e in events:
        row = {
            "at": _iso(e.at),
            "at_text": timezone.localtime(e.at).strftime("%H:%M %d/%m/%Y"),
            "action": e.action,
            "label": str(PUBLIC_ACTIONS_LABELS.get(e.action, e.action)),
            "status": e.to_status,
            "status_label": str(DossierStatus(e.to_status).label) if e.to_status else "",
            "unit": e.unit.name if e.unit is not None else "",
        }
        if not public:
            row.update({"actor": e.actor_label, "note": e.note, "data": e.data, "from_status": e.from_status})
        elif e.action in (Action.INTAKE_SUPPLEMENT, Action.REQUEST_SUPPLEMENT, Action.APOLOGISE):
            row["note"] = e.note
        rows.append(row)
    return rows


def result_files(dossier: Dossier) -> QuerySet[ResultPaper]:
    return ResultPaper.objects.filter(dossier=dossier).order_by("id")


# --- queues ------------------------------------------------------------------------------------
def my_tasks(user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(assignee=user, status=TaskStatus.IN_PROGRESS)
        .select_related("dossier", "dossier__procedure", "unit", "assignee")
        .order_by("due_at")
    )


def unit_queue(user: User) -> QuerySet[Task]:
    """Open tasks (nobody has taken them) whose role the officer holds in the task's unit."""
    condition = Q()
    for assignment in user._active_roles():
        condition |= Q(unit_id=assignment.unit_id, role=assignment.role)
        if assignment.role == Role.UNIT_LEADER:
            condition |= Q(unit_id=assignment.unit_id)
    if not condition:
        return Task.objects.none()
    return (
        Task.objects.filter(condition, status__in=ACTIVE_TASK)
        .select_related("dossier", "dossier__procedure", "unit", "assignee")
        .order_by("-dossier__overdue", "due_at")
    )


def awaiting_receipt(user: Actor | None) -> QuerySet[Dossier]:
    """Online/kiosk dossiers the desk still has to check."""
    return staff_dossiers(user).filter(status=DossierStatus.SUBMITTED).order_by("submitted_at")


def incoming_transfers(user: Actor | None) -> QuerySet[Transfer]:
    """Linked processing waiting for the officer's agency (handed over by another unit, not yet answered)."""
    return (
        Transfer.objects.visible_to(user)
        .filter(returned_at__isnull=True)
        .select_related("dossier", "dossier__procedure", "from_unit")
        .order_by("due_at")
    )


def ready_to_return(user: Actor | None) -> QuerySet[Dossier]:
    return (
        staff_dossiers(user)
        .filter(status__in=[DossierStatus.RESULT_READY, DossierStatus.REFUSED])
        .order_by("result_ready_at")
    )


def log_book(user: Actor | None, start: dt.date, end: dt.date, unit: Unit | None = None) -> QuerySet[Dossier]:
    """Form 07: the dossiers received by (or competent in) the unit within [start, end]."""
    qs = staff_dossiers(user).filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
    if unit is not None:
        qs = qs.filter(Q(receiving_unit=unit) | Q(unit=unit))
    return qs.order_by("submitted_at", "id")


def officers_for(task: Task) -> QuerySet[User]:
    return (
        User.objects.filter(roles__unit=task.unit, roles__role=task.role, roles__active=True, is_active=True)
        .distinct()
        .order_by("full_name")
    )


def declaration_rows(dossier: Dossier) -> list[tuple[str, str]]:
    """The declaration as an officer reads it: each field's label from the catalog (never its key), dates
    as dd/mm/yyyy, in the form's order; a value whose field left the form shows under a plain label."""
    from motcua.catalog import selectors as catalog
    from motcua.core.dates import format_date

    data = dict(dossier.form_data or {})
    rows: list[tuple[str, str]] = []
    for field in catalog.form_fields(dossier.procedure):
        if field.key in data:
            value = data.pop(field.key)
            rows.append((field.label, format_date(value) if field.field_type == "date" else str(value)))
    rows.extend(("Thông tin khác", format_date(value)) for value in data.values() if value not in ("", None))
    return rows
