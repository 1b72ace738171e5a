"""Actions while a dossier is being processed: supplement, fees, linked processing, apology, stop,
withdrawal, and the periodic overdue flag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import audit
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, Transfer
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.services import clock, records
from motcua.dossiers.services.catalog import calendar
from motcua.dossiers.services.clock import fmt
from motcua.dossiers.services.engine import Context, effect, perform, returned
from motcua.dossiers.services.intake import ask_supplement, clean_items, required_reason
from motcua.dossiers.services.steps import active_task, cancel_remaining_tasks, open_task, start_clock
from motcua.dossiers.workflow import Action
from motcua.org.actors import Actor
from motcua.org.models import Unit

SUPPLEMENT_WINDOW_DAYS = 3


# --- supplement ----------------------------------------------------------------------------------------
@effect(Action.REQUEST_SUPPLEMENT)
def _request_supplement(ctx: Context) -> None:
    """After appraisal: within 3 working days of receipt, once, one complete list (form 02)."""
    d = ctx.dossier
    if d.supplement_requested_at is not None:
        raise DossierError("supplement_once")
    received = timezone.localtime(d.received_at).date()
    if (
        calendar(d).working_days_between(received, timezone.localtime(clock.now()).date())
        > SUPPLEMENT_WINDOW_DAYS
    ):
        raise DossierError("supplement_late")
    ask_supplement(ctx, clean_items(ctx.params.get("items")))


def _locate_owner(ctx: Context) -> None:
    """A citizen supplements only a dossier of their own account."""
    actor, d = ctx.officer(), ctx.dossier
    if actor.is_citizen and (d.citizen_id is None or d.citizen_id != actor.pk):
        raise DossierError("not_citizen_owner")


@effect(Action.SUPPLEMENT, locate=_locate_owner)
def _supplement(ctx: Context) -> None:
    """The papers asked for: before receipt the dossier waits for the desk again; after it, the legal
    time restarts from zero (it does not pause) and the step in progress is reopened."""
    d = ctx.dossier
    records.store_papers(d, ctx.params.get("files") or {}, ctx.actor, supplement=True)
    moment = clock.now()
    d.supplemented_at = moment
    ctx.note = str(ctx.params.get("note") or "")
    if d.received_at is None:
        ctx.target = S.SUBMITTED
        return
    start_clock(d, moment)
    d.overdue = False
    d.original_due_at = d.due_at
    task = active_task(d)
    if task is not None:
        open_task(d, task, moment)
    ctx.target, ctx.data = S.PROCESSING, {"due_at": d.due_at}


def request_supplement(
    dossier: Dossier,
    *,
    actor: Actor | None,
    items: Iterable[str],
    reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    return returned(
        Dossier,
        perform(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            actor,
            expected_version=expected_version,
            items=items,
            reason=reason,
        ),
    )


def supplement(
    dossier: Dossier,
    *,
    actor: Actor | None,
    files: dict | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The citizen's supplement, received at the counter."""
    return returned(
        Dossier,
        perform(dossier, Action.SUPPLEMENT, actor, expected_version=expected_version, files=files, note=note),
    )


def supplement_online(
    dossier: Dossier, *, citizen_user: Actor | None, files: dict, note: str = ""
) -> Dossier:
    return returned(Dossier, perform(dossier, Action.SUPPLEMENT, citizen_user, files=files, note=note))


# --- fees ----------------------------------------------------------------------------------------------
@effect(Action.REQUEST_FEE)
@effect(Action.FEE_PAID)
def _note_only(ctx: Context) -> None:
    ctx.note = str(ctx.params.get("note") or "")


def request_fee(
    dossier: Dossier, *, actor: Actor | None, note: str = "", expected_version: int | None = None
) -> Dossier:
    return returned(
        Dossier, perform(dossier, Action.REQUEST_FEE, actor, expected_version=expected_version, note=note)
    )


def confirm_fee(
    dossier: Dossier, *, actor: Actor | None, note: str = "", expected_version: int | None = None
) -> Dossier:
    return returned(
        Dossier, perform(dossier, Action.FEE_PAID, actor, expected_version=expected_version, note=note)
    )


# --- linked processing ----------------------------------------------------------------------------------
@effect(Action.TRANSFER_OUT)
def _transfer_out(ctx: Context) -> None:
    """Linked processing: hand the dossier to another agency with its own time share."""
    d, to_unit, note = ctx.dossier, ctx.params["to_unit"], str(ctx.params.get("note") or "")
    hours = ctx.params.get("hours")
    if to_unit.pk == d.unit_id:
        raise DossierError("transfer_unit")
    if not hours or float(hours) <= 0:
        raise DossierError("transfer_hours")
    moment = clock.now()
    transfer = Transfer.objects.create(
        dossier=d,
        from_unit=d.unit,
        to_unit=to_unit,
        hours=float(hours),
        sent_at=moment,
        due_at=calendar(d).add_working_hours(moment, float(hours), to_unit.schedule),
        note=note,
        sent_by=records.saved_by(ctx.actor),
    )
    ctx.note, ctx.event_unit, ctx.result = note, to_unit, transfer
    ctx.data = {"to_unit": to_unit.name, "hours": float(hours), "transfer_due": transfer.due_at}


def _locate_transfer(ctx: Context) -> None:
    ref = ctx.params["transfer"]
    pk = ref.pk if isinstance(ref, Transfer) else ref
    transfer = Transfer.objects.select_related("to_unit").filter(pk=pk, dossier=ctx.dossier).first()
    if transfer is None:
        raise DossierError("task_not_active")
    ctx.params["transfer"], ctx.unit = transfer, transfer.to_unit


@effect(Action.TRANSFER_BACK, locate=_locate_transfer)
def _transfer_back(ctx: Context) -> None:
    transfer = ctx.params["transfer"]
    if transfer.returned_at is not None:
        raise DossierError("task_not_active")
    transfer.returned_at = clock.now()
    transfer.reply = str(ctx.params.get("reply") or "")
    transfer.returned_by = records.saved_by(ctx.actor)
    transfer.save()
    ctx.note, ctx.event_unit, ctx.result = transfer.reply, transfer.to_unit, transfer
    ctx.data = {"on_time": transfer.returned_at <= transfer.due_at}


def transfer_out(
    dossier: Dossier,
    *,
    actor: Actor | None,
    to_unit: Unit,
    hours: float,
    note: str = "",
    expected_version: int | None = None,
) -> Transfer:
    return returned(
        Transfer,
        perform(
            dossier,
            Action.TRANSFER_OUT,
            actor,
            expected_version=expected_version,
            to_unit=to_unit,
            hours=hours,
            note=note,
        ),
    )


def transfer_back(
    transfer: Transfer, *, actor: Actor | None, reply: str = "", expected_version: int | None = None
) -> Transfer:
    return returned(
        Transfer,
        perform(
            transfer.dossier_id,
            Action.TRANSFER_BACK,
            actor,
            expected_version=expected_version,
            transfer=transfer,
            reply=reply,
        ),
    )


# --- deadlines: apology, overdue ------------------------------------------------------------------------
def apology_allowed(d: Dossier, at: dt.datetime | None = None) -> bool:
    """At least one working day must remain before the due time, and only once."""
    if d.apologised_at is not None or d.due_at is None:
        return False
    today = timezone.localtime(at or clock.now()).date()
    return calendar(d).working_days_between(today, timezone.localtime(d.due_at).date()) >= 1


@effect(Action.APOLOGISE)
def _apologise(ctx: Context) -> None:
    """Apology letter with a new date (form 04): at least one working day ahead, only once."""
    d = ctx.dossier
    if d.apologised_at is not None:
        raise DossierError("apology_once")
    reason = required_reason(ctx)
    if not apology_allowed(d):
        raise DossierError("apology_too_late")
    new_due_date = ctx.params["new_due_date"]
    cal = calendar(d)
    new_day = new_due_date if cal.is_working_day(new_due_date) else cal.next_working_day(new_due_date)
    new_due = dt.datetime.combine(
        new_day, d.unit.schedule.closing, tzinfo=timezone.localtime(d.due_at).tzinfo
    )
    if d.due_at is not None and new_due <= d.due_at:
        raise DossierError("apology_date")
    d.apologised_at = clock.now()
    d.apology_reason = ctx.note = reason
    d.due_at = new_due
    ctx.data = {"new_due_at": new_due}
    ctx.then(
        lambda: records.notify_applicant(
            d,
            "apology",
            _("Xin lỗi ông/bà: hồ sơ %(code)s chưa thể trả đúng hẹn vì %(reason)s. Hẹn lại: %(due)s.")
            % {"code": d.code, "reason": d.apology_reason, "due": fmt(new_due)},
            _("Thư xin lỗi và hẹn lại ngày trả kết quả"),
        )
    )


def apologise(
    dossier: Dossier,
    *,
    actor: Actor | None,
    new_due_date: dt.date,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    return returned(
        Dossier,
        perform(
            dossier,
            Action.APOLOGISE,
            actor,
            expected_version=expected_version,
            new_due_date=new_due_date,
            reason=reason,
        ),
    )


def flag_overdue(at: dt.datetime | None = None) -> int:
    """Periodic: flag open dossiers past their due time. A flag, not a status: no transition."""
    moment = at or clock.now()
    count = 0
    for pk in Dossier.objects.filter(
        status__in=[S.RECEIVED, S.PROCESSING, S.LINKED, S.FEE_REQUESTED], overdue=False, due_at__lt=moment
    ).values_list("pk", flat=True)[:5000]:
        with transaction.atomic():
            d = records.lock(pk)
            if d.overdue or d.due_at is None or d.due_at >= moment or not d.is_open:
                continue
            d.overdue = True
            d.save(update_fields=["overdue", "updated_at"])
            records.event(d, "overdue", "system", from_status=d.status, public=False, due_at=d.due_at)
            audit.record("dossiers.overdue", actor="system", obj=d, after={"due_at": d.due_at})
            count += 1
    return count


# --- closing without a result ------------------------------------------------------------------------------
@effect(Action.STOP)
def _stop(ctx: Context) -> None:
    """Stop processing on the applicant's request (stop notice, form 05; TT 03/2025 Art 7)."""
    ctx.dossier.stop_reason = ctx.note = required_reason(ctx)
    cancel_remaining_tasks(ctx.dossier)


@effect(Action.WITHDRAW)
def _withdraw(ctx: Context) -> None:
    """The applicant takes the dossier back (before receipt, or while a supplement is awaited): the
    process stops, so its steps are cancelled (found by the state-machine test: the open step stayed)."""
    ctx.dossier.stop_reason = ctx.note = str(ctx.params.get("reason") or "").strip()
    cancel_remaining_tasks(ctx.dossier)


def stop(
    dossier: Dossier, *, actor: Actor | None, reason: str, expected_version: int | None = None
) -> Dossier:
    return returned(
        Dossier, perform(dossier, Action.STOP, actor, expected_version=expected_version, reason=reason)
    )


def withdraw(dossier: Dossier, *, citizen_user: Actor | None, reason: str = "") -> Dossier:
    return returned(Dossier, perform(dossier, Action.WITHDRAW, citizen_user, reason=reason))
