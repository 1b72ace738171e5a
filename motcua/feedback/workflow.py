"""The one transition table of a feedback report, and `perform`, the only door through which a report is
created or changes status.

An action names the statuses it may start from (empty: intake), the statuses it may lead to (None in
`targets`: the status does not change), who may do it and where: staff holding one of `roles` in the
report's unit (or above it), the reporter holding the rating link's secret, or the public (intake).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.feedback import actions, intake
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Report
from motcua.feedback.models import ReportStatus as S
from motcua.feedback.trace import Step
from motcua.org.models import Role


class Action(models.TextChoices):
    SUBMIT = "submit", _("Gửi phản ánh")
    CLASSIFY = "classify", _("Phân loại")
    NOT_ACCEPT = "not_accept", _("Không tiếp nhận")
    TRANSFER = "transfer", _("Chuyển đơn vị")
    NOTE = "note", _("Ghi chú")
    DRAFT_ANSWER = "draft", _("Dự thảo trả lời")
    RETURN_ANSWER = "return", _("Trả lại dự thảo")
    APPROVE_ANSWER = "approve", _("Duyệt và công bố trả lời")
    RATE = "rate", _("Đánh giá trả lời")
    REOPEN = "reopen", _("Mở lại phản ánh")
    MERGE = "merge", _("Gộp phản ánh trùng")


# who: staff of the report's unit, the reporter with the rating token, anyone (intake)
UNIT, REPORTER, PUBLIC = "unit", "reporter", "public"

HANDLER_ROLES = (
    Role.SPECIALIST,
    Role.DESK_OFFICER,
    Role.UNIT_LEADER,
    Role.HOTLINE_OPERATOR,
    Role.PROVINCE_ADMIN,
)
DRAFTER_ROLES = (Role.SPECIALIST, Role.DESK_OFFICER, Role.UNIT_LEADER)
LEADER_ROLES = (Role.UNIT_LEADER,)
INTAKE_ROLES = (
    Role.HOTLINE_OPERATOR,
    Role.DESK_OFFICER,
    Role.SPECIALIST,
    Role.UNIT_LEADER,
    Role.PROVINCE_ADMIN,
)

OPEN = (S.RECEIVED, S.ASSIGNED, S.AWAITING_APPROVAL, S.REOPENED)
DRAFTABLE = (S.ASSIGNED, S.REOPENED, S.AWAITING_APPROVAL)
PUBLISHED = (S.ANSWERED, S.CLOSED)
EVERY = tuple(S.values)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    targets: tuple[str | None, ...]
    roles: tuple[str, ...]
    who: str


TRANSITIONS: dict[str, Transition] = {
    # anyone may file; `roles` are who may take calls on the hotline console (checked by its screen)
    Action.SUBMIT: Transition((), (S.RECEIVED, S.ASSIGNED), INTAKE_ROLES, PUBLIC),
    Action.CLASSIFY: Transition(OPEN, (None, S.ASSIGNED), HANDLER_ROLES, UNIT),
    Action.NOT_ACCEPT: Transition(OPEN, (S.NOT_ACCEPTED,), HANDLER_ROLES, UNIT),
    Action.TRANSFER: Transition(OPEN, (None, S.ASSIGNED), HANDLER_ROLES, UNIT),
    Action.NOTE: Transition(EVERY, (None,), HANDLER_ROLES, UNIT),
    Action.DRAFT_ANSWER: Transition(DRAFTABLE, (S.AWAITING_APPROVAL,), DRAFTER_ROLES, UNIT),
    Action.RETURN_ANSWER: Transition((S.AWAITING_APPROVAL,), (S.ASSIGNED, S.REOPENED), LEADER_ROLES, UNIT),
    Action.APPROVE_ANSWER: Transition((S.AWAITING_APPROVAL,), (S.ANSWERED,), LEADER_ROLES, UNIT),
    Action.RATE: Transition(PUBLISHED, (None, S.CLOSED), (), REPORTER),
    Action.REOPEN: Transition(PUBLISHED, (S.REOPENED,), (), REPORTER),
    Action.MERGE: Transition(OPEN, (S.MERGED,), HANDLER_ROLES, UNIT),
}
# Escalation (a scheduled job) raises `escalation_level` of open reports only and never writes a status.
ESCALATABLE = OPEN

HANDLERS = {
    Action.SUBMIT: intake.submit,
    Action.CLASSIFY: actions.classify,
    Action.NOT_ACCEPT: actions.not_accept,
    Action.TRANSFER: actions.transfer,
    Action.NOTE: actions.note,
    Action.DRAFT_ANSWER: actions.draft_answer,
    Action.RETURN_ANSWER: actions.return_answer,
    Action.APPROVE_ANSWER: actions.approve_answer,
    Action.RATE: actions.rate,
    Action.REOPEN: actions.reopen,
    Action.MERGE: actions.merge,
}


def may_act(report: Report, action: str, actor: Any) -> bool:
    """For screens: may `actor` offer `action` on `report` now (roles, unit and state; no lock)."""
    rule = TRANSITIONS[action]
    if report.status not in rule.sources or rule.who != UNIT:
        return False
    return bool(getattr(actor, "is_authenticated", False)) and actor.can_act_in(report.unit, *rule.roles)


def _lock(report: Report, rule: Transition, actor: Any, params: dict) -> Report:
    """The locked row, after the table's who/roles/unit rule and then its from-states."""
    if rule.who == REPORTER:
        token = params.pop("token", "")
        row = Report.objects.select_for_update().filter(pk=report.pk).first()
        if row is None or not token or not secrets.compare_digest(row.rating_token, str(token)):
            raise FeedbackError("bad_token")
    else:
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise FeedbackError("forbidden")
        row = Report.objects.editable_by(actor).select_for_update().filter(pk=report.pk).first()
        if row is None or not actor.can_act_in(row.unit, *rule.roles):
            raise FeedbackError("forbidden")
    if row.status not in rule.sources:
        raise FeedbackError("bad_state")
    return row


def _write(row: Report, step: Step, rule: Transition, action: str) -> Report:
    if step.target not in rule.targets:
        raise AssertionError(f"feedback action {action} chose status {step.target!r} outside the table")
    if step.target is not None:
        row.status = step.target
    if row.pk is None:  # intake: one report per channel and external id, whatever the concurrency
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            existing = intake.earlier_report(row.channel, row.external_id)
            if existing is None:
                raise
            existing.created = False
            return existing
        row.created = True
    else:
        row.save()
    return row


# Observers of every written action: `fn(before, after)` with the report's column values before the action
# (None for intake) and after it, inside perform's transaction (the dashboard's roll-ups). Registered by
# higher apps in their AppConfig.ready(); an observer that raises undoes the action.
Observer = Callable[[dict[str, Any] | None, dict[str, Any]], None]
OBSERVERS: list[Observer] = []


def on_transition(fn: Observer) -> Observer:
    """Register `fn` to be told of every report action perform writes (idempotent)."""
    if fn not in OBSERVERS:
        OBSERVERS.append(fn)
    return fn


def column_values(row: Report) -> dict[str, Any]:
    """The report's own columns (foreign keys as ids): what observers compare."""
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def perform(report: Report | None, action: str, actor: Any, **params: Any) -> Any:
    """Check the table, lock, let the action change the row, write the status, audit, queue effects.

    One transaction. Returns the action's result (an answer, a rating) or the report. For intake the
    report carries `created` (False when its channel's external id was already a report).
    """
    action = Action(action)
    rule = TRANSITIONS[action]
    with transaction.atomic():
        row = None if rule.who == PUBLIC else _lock(report, rule, actor, params)
        prior = column_values(row) if row is not None and row.pk and OBSERVERS else None
        step = HANDLERS[action](row, actor, **params)
        if step.existing is not None:
            step.existing.created = False
            return step.existing
        row = step.row or row
        before_status = row.status if row.pk else None
        saved = _write(row, step, rule, action)
        if saved is not row:
            return saved
        after = {**(step.after or {}), "status": saved.status}
        before = {**(step.before or {}), "status": before_status} if before_status else step.before
        unit_id = (step.before or {}).get("unit_id", saved.unit_id)
        actor_ = "reporter" if rule.who == REPORTER else actor
        audit.record(step.audit, actor=actor_, obj=saved, unit_id=unit_id, before=before, after=after)
        if OBSERVERS:
            now_values = column_values(saved)
            for observer in OBSERVERS:
                observer(prior, now_values)
        if step.effects is not None:
            step.effects(saved)
    return step.result if step.result is not None else saved
