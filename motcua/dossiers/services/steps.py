"""The internal process of a dossier: its tasks (steps), the legal clock, and the actions officers take
on a step: claim, assign, complete (approve or refuse), return to the previous step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog_selectors
from motcua.core.calendar import SAME_DAY_CUTOFF
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import ACTIVE_TASK, Dossier, Task, TaskStatus
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.services import clock, records
from motcua.dossiers.services.catalog import CatalogSnapshot, calendar, legal_time, process_steps
from motcua.dossiers.services.engine import Context, effect, perform, returned
from motcua.dossiers.workflow import Action
from motcua.org.actors import Actor, signed_in
from motcua.org.models import Role, Unit, User


# --- the clock and the tasks --------------------------------------------------------------------------
def start_clock(d: Dossier, moment: dt.datetime, catalog: CatalogSnapshot | None = None) -> None:
    value, unit = legal_time(d.procedure, d.channel, catalog)
    d.clock_started_at = moment
    d.due_at = catalog_selectors.due_at(
        d.procedure, d.channel, d.unit, moment, legal=(value, unit), calendar=calendar(d)
    )


def _task_unit(d: Dossier, step: dict[str, Any]) -> Unit:
    agency = step.get("agency")
    if isinstance(agency, Unit):
        return agency
    kind = str(step.get("unit_kind") or "").lower()
    if kind in ("receiving", "service_desk", "desk", "one_stop"):
        return d.receiving_unit
    return d.unit


def _handover(d: Dossier, moment: dt.datetime) -> dt.datetime:
    """Transfer to the processing officer the same working day; after 15:00, the next working day."""
    cal = calendar(d)
    start = cal.next_working_moment(moment, d.unit.schedule)
    if timezone.localtime(start).time() > SAME_DAY_CUTOFF:
        start = cal.next_working_moment(
            dt.datetime.combine(
                cal.next_working_day(timezone.localtime(start).date()),
                dt.time(0, 0),
                tzinfo=timezone.localtime(start).tzinfo,
            ),
            d.unit.schedule,
        )
    return start


def open_task(d: Dossier, task: Task, moment: dt.datetime) -> None:
    task.status = TaskStatus.IN_PROGRESS if task.assignee_id else TaskStatus.OPEN
    task.opened_at = moment
    task.due_at = calendar(d).add_working_hours(moment, task.hours, task.unit.schedule)
    task.save()


def build_tasks(d: Dossier, moment: dt.datetime, catalog: CatalogSnapshot | None = None) -> list[Task]:
    """The dossier's tasks from the current internal process (unsaved: one bulk insert by the caller)."""
    steps = process_steps(d.procedure, on=timezone.localtime(moment).date(), unit=d.unit, catalog=catalog)
    tasks = [
        Task(
            dossier=d,
            order=step["order"],
            name=str(step["name"])[:300],
            role=step["role"],
            unit=_task_unit(d, step),
            hours=step["hours"],
            status=TaskStatus.WAITING,
            is_leader_approval=step["role"] == Role.UNIT_LEADER,
        )
        for step in sorted(steps, key=lambda s: s["order"])
    ]
    first = tasks[0]
    # The receiving step itself is done by the officer who received the dossier.
    if first.role == Role.DESK_OFFICER and len(tasks) > 1:
        first.status = TaskStatus.DONE
        first.assignee = d.received_by
        first.opened_at = first.completed_at = first.due_at = moment
        first = tasks[1]
    opened = _handover(d, moment)
    first.status = TaskStatus.OPEN
    first.opened_at = opened
    first.due_at = calendar(d).add_working_hours(opened, first.hours, first.unit.schedule)
    return tasks


def active_task(d: Dossier) -> Task | None:
    return d.tasks.filter(status__in=ACTIVE_TASK).select_related("unit").order_by("order", "id").first()


def cancel_remaining_tasks(d: Dossier) -> None:
    d.tasks.filter(status__in=[TaskStatus.WAITING, *ACTIVE_TASK]).update(status=TaskStatus.CANCELLED)


def _ensure_task_actor(task: Task, actor: Actor | None, *, allow_leader: bool = True) -> None:
    roles = (task.role, Role.UNIT_LEADER) if allow_leader else (task.role,)
    if not signed_in(actor) or not actor.can_act_in(task.unit, *roles):
        raise DossierError("not_allowed")


# --- locating the step an action is about ------------------------------------------------------------
def _locate_task(ctx: Context) -> Task:
    ref = ctx.params["task"]
    pk = ref.pk if isinstance(ref, Task) else ref
    task = Task.objects.select_related("unit", "assignee").filter(pk=pk, dossier=ctx.dossier).first()
    if task is None:
        raise DossierError("task_not_active")
    ctx.task, ctx.unit = task, task.unit
    return task


def _locate_active(ctx: Context) -> None:
    if _locate_task(ctx).status not in ACTIVE_TASK:
        raise DossierError("task_not_active")


def _locate_claim(ctx: Context) -> None:
    """Two officers at once: the first wins, the second is told who; claiming one's own task again
    changes nothing."""
    task = _locate_task(ctx)
    if task.status == TaskStatus.IN_PROGRESS and task.assignee_id:
        if task.assignee_id == getattr(ctx.actor, "pk", None):
            ctx.result, ctx.unchanged = task, True
            return
        raise DossierError("task_taken", name=str(task.assignee))
    if task.status != TaskStatus.OPEN:
        raise DossierError("task_not_active")


# --- effects -----------------------------------------------------------------------------------------
@effect(Action.CLAIM, locate=_locate_claim)
def _claim(ctx: Context) -> None:
    task, actor = ctx.located_task(), ctx.officer()
    _ensure_task_actor(task, actor, allow_leader=False)
    task.assignee = actor
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["assignee", "status"])
    ctx.note, ctx.result = task.name, task


@effect(Action.ASSIGN, locate=_locate_active)
def _assign(ctx: Context) -> None:
    """The leader assigns (or reassigns) a task to an officer holding the step's role in its unit."""
    task, assignee = ctx.located_task(), ctx.params["assignee"]
    if not assignee.can_act_in(task.unit, task.role):
        raise DossierError("not_allowed")
    previous = str(task.assignee) if task.assignee_id else ""
    task.assignee = assignee
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["assignee", "status"])
    ctx.public, ctx.result = False, task
    ctx.note = _("Giao %(who)s") % {"who": assignee} + (f" ({_('thay')} {previous})" if previous else "")


def _leader_signed(d: Dossier, task: Task) -> bool:
    """Has the process's leader approval been given (this step or an earlier one)?"""
    if task.is_leader_approval:
        return True
    return d.tasks.filter(is_leader_approval=True, status=TaskStatus.DONE).exists()


@effect(Action.COMPLETE_STEP, locate=_locate_active)
def _complete(ctx: Context) -> None:
    """Finish a step. The leader's approval makes the result ready; only a leader may refuse."""
    d, task, actor = ctx.dossier, ctx.located_task(), ctx.officer()
    _ensure_task_actor(task, actor)
    if (
        task.assignee_id
        and task.assignee_id != actor.pk
        and not actor.can_act_in(task.unit, Role.UNIT_LEADER)
    ):
        raise DossierError("task_not_yours", name=str(task.assignee))
    note = str(ctx.params.get("note") or "")
    moment = clock.now()
    task.assignee = task.assignee or actor
    task.status = TaskStatus.DONE
    task.completed_at = moment
    task.note = note
    task.save()
    ctx.note, ctx.result = note, task
    if ctx.params.get("decision") == "refuse":
        d.refusal_reason = required_note(note)
        cancel_remaining_tasks(d)
        d.result_ready_at = moment
        ctx.target, ctx.data = S.REFUSED, {"decision": "refuse"}
        ctx.then(lambda: notify_result(d))
        return
    following = (
        d.tasks.filter(status=TaskStatus.WAITING, order__gt=task.order).order_by("order", "id").first()
    )
    if following is not None:
        open_task(d, following, moment)
        ctx.target, ctx.data = S.PROCESSING, {"next_step": following.name}
        return
    d.result_ready_at = moment
    ctx.target, ctx.data = S.RESULT_READY, {"decision": "approve"}
    ctx.leader_signed = _leader_signed(d, task)
    ctx.then(lambda: notify_result(d))


def required_note(note: str) -> str:
    if not note.strip():
        raise DossierError("reason_required")
    return note.strip()


def notify_result(d: Dossier) -> None:
    records.notify_applicant(
        d,
        "result",
        _(
            "Hồ sơ %(code)s đã có kết quả. Mời ông/bà nhận kết quả tại %(unit)s hoặc theo hình thức đã đăng ký."
        )
        % {"code": d.code, "unit": d.receiving_unit.name},
        _("Thông báo có kết quả giải quyết hồ sơ"),
    )


@effect(Action.RETURN_STEP, locate=_locate_active)
def _return_step(ctx: Context) -> None:
    """Send the dossier back to the previous step with a reason (it goes to whoever did that step)."""
    d, task = ctx.dossier, ctx.located_task()
    _ensure_task_actor(task, ctx.actor)
    reason = required_note(str(ctx.params.get("reason") or ""))
    previous = (
        d.tasks.filter(status=TaskStatus.DONE, order__lt=task.order)
        .exclude(role=Role.DESK_OFFICER)
        .select_related("unit")
        .order_by("-order", "-id")
        .first()
    )
    if previous is None:
        raise DossierError("no_previous_step")
    task.status = TaskStatus.WAITING
    task.opened_at = task.due_at = None
    task.save()
    previous.completed_at = None
    previous.note = ""
    open_task(d, previous, clock.now())
    ctx.task, ctx.note, ctx.result = previous, reason, previous
    ctx.data = {"from_step": task.name}


# --- the services other code calls ---------------------------------------------------------------------
def claim_task(task: Task, *, actor: Actor | None, expected_version: int | None = None) -> Task:
    return returned(
        Task, perform(task.dossier_id, Action.CLAIM, actor, expected_version=expected_version, task=task)
    )


def assign_task(
    task: Task, *, actor: Actor | None, assignee: User, expected_version: int | None = None
) -> Task:
    return returned(
        Task,
        perform(
            task.dossier_id,
            Action.ASSIGN,
            actor,
            expected_version=expected_version,
            task=task,
            assignee=assignee,
        ),
    )


def complete_task(
    task: Task,
    *,
    actor: Actor | None,
    note: str = "",
    decision: str = "approve",
    expected_version: int | None = None,
) -> Task:
    return returned(
        Task,
        perform(
            task.dossier_id,
            Action.COMPLETE_STEP,
            actor,
            expected_version=expected_version,
            task=task,
            note=note,
            decision=decision,
        ),
    )


def return_task(task: Task, *, actor: Actor | None, reason: str, expected_version: int | None = None) -> Task:
    return returned(
        Task,
        perform(
            task.dossier_id,
            Action.RETURN_STEP,
            actor,
            expected_version=expected_version,
            task=task,
            reason=reason,
        ),
    )
