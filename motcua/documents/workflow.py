"""The one transition table of an incoming document, and `perform`, the only door through which a document
is registered or changes status (NĐ 30/2020: receive -> register -> present -> direct -> handle -> done).

An action names the statuses it may start from (empty: intake), the statuses it may lead to (None: the
status does not change) and the roles that may do it in the document's unit. A secret document (mật, tối
mật, tuyệt mật) additionally admits only the people named on it: to anyone else it does not exist
(`not_found`), and that refusal is written to the audit chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.documents import actions
from motcua.documents.errors import DocumentError
from motcua.documents.models import Document, Secrecy
from motcua.documents.models import DocumentStatus as S
from motcua.org.actors import signed_in
from motcua.org.models import Role, UserKind


class Action(models.TextChoices):
    REGISTER = "register", _("Vào sổ văn bản đến")
    CONFIRM_FIELDS = "confirm_fields", _("Xác nhận thông tin văn bản")
    PRESENT = "present", _("Trình lãnh đạo, đề xuất người xử lý")
    DIRECT = "direct", _("Cho ý kiến chỉ đạo (bút phê)")
    NOTE = "note", _("Cập nhật tiến độ")
    LINK_REPLY = "link_reply", _("Liên kết văn bản trả lời")
    COMPLETE = "complete", _("Hoàn thành xử lý")
    WITHDRAW = "withdraw", _("Rút số bản trùng")


CLERK_ROLES = (Role.CLERK,)
LEADER_ROLES = (Role.UNIT_LEADER,)
HANDLER_ROLES = (Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK, Role.DESK_OFFICER)
BEFORE_DIRECTIVE = (S.REGISTERED, S.AWAITING_DIRECTIVE)
HANDLING = (S.ASSIGNED, S.IN_PROGRESS)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    targets: tuple[str | None, ...]
    roles: tuple[str, ...]


TRANSITIONS: dict[str, Transition] = {
    Action.REGISTER: Transition((), (S.REGISTERED,), CLERK_ROLES),
    Action.CONFIRM_FIELDS: Transition(BEFORE_DIRECTIVE, (None,), CLERK_ROLES),
    Action.PRESENT: Transition((S.REGISTERED,), (S.AWAITING_DIRECTIVE,), CLERK_ROLES),
    Action.DIRECT: Transition(BEFORE_DIRECTIVE, (S.ASSIGNED,), LEADER_ROLES),
    Action.NOTE: Transition(HANDLING, (S.IN_PROGRESS,), HANDLER_ROLES),
    Action.LINK_REPLY: Transition(HANDLING, (S.IN_PROGRESS,), HANDLER_ROLES),
    Action.COMPLETE: Transition(HANDLING, (S.DONE,), HANDLER_ROLES),
    Action.WITHDRAW: Transition(BEFORE_DIRECTIVE, (S.WITHDRAWN,), CLERK_ROLES),
}

HANDLERS: dict[str, Callable[..., actions.Step]] = {
    Action.CONFIRM_FIELDS: actions.confirm_fields,
    Action.PRESENT: actions.present,
    Action.DIRECT: actions.direct,
    Action.NOTE: actions.note,
    Action.LINK_REPLY: actions.link_reply,
    Action.COMPLETE: actions.complete,
    Action.WITHDRAW: actions.withdraw,
}


def may_act(document: Document, action: str, actor: Any) -> bool:
    """For screens: may `actor` offer `action` on `document` now (roles, unit, naming and state; no lock)."""
    rule = TRANSITIONS[action]
    if document.status not in rule.sources or not signed_in(actor):
        return False
    return _allowed(document, rule, actor) and named(document, actor)


def _allowed(document: Document, rule: Transition, actor: Any) -> bool:
    if actor.kind == UserKind.SYSTEM:
        return actor.is_active and actor.has_role(*rule.roles, unit=document.unit)
    return actor.can_act_in(document.unit, *rule.roles)


def named(document: Document, actor: Any) -> bool:
    """A secret document admits only the people named on it; others read and act on ordinary ones."""
    if document.secrecy == Secrecy.NONE:
        return True
    return signed_in(actor) and document.readers.filter(pk=actor.pk).exists()


def refuse_unnamed(document: Document, actor: Any, what: str) -> DocumentError:
    """Audit the refusal of a secret document to someone not named on it (kept even though the caller's
    action fails) and return the 404 to raise."""
    with transaction.atomic():
        audit.record(
            "documents.secret_refused",
            actor=actor if signed_in(actor) else None,
            obj=document,
            after={"what": what, "secrecy": document.secrecy},
        )
    return DocumentError("not_found")


def ensure_may_register(actor: Any, unit: Any = None) -> Any:
    """The REGISTER rule before any work on the input (an edXML package is parsed only for a clerk)."""
    if not signed_in(actor) or actor.kind == UserKind.CITIZEN:
        raise DocumentError("forbidden")
    unit = unit or actor.primary_unit
    if unit is None:
        raise DocumentError("no_unit")
    if not _allowed(Document(unit=unit), TRANSITIONS[Action.REGISTER], actor):
        raise DocumentError("forbidden")
    return unit


def perform(document: Document | None, action: str, actor: Any, **params: Any) -> Any:
    """Check the table, lock, let the action change the row, write the status, audit. One transaction.

    Returns the document (for REGISTER: the new one, or the earlier one with `duplicate=True` when the same
    file was registered before) or the action's result.
    """
    action = Action(action)
    rule = TRANSITIONS[action]
    if not signed_in(actor) or actor.kind == UserKind.CITIZEN:
        raise DocumentError("forbidden")
    if document is None:
        return actions.register(actor, rule=rule, allowed=_allowed, **params)
    if document.pk and document.secrecy != Secrecy.NONE and not named(document, actor):
        raise refuse_unnamed(document, actor, str(action))
    with transaction.atomic():
        row = Document.objects.select_for_update().filter(pk=document.pk).first()
        if row is None or not _allowed(row, rule, actor):
            raise DocumentError("forbidden")
        if row.status not in rule.sources:
            raise DocumentError("bad_state")
        before = row.status
        step = HANDLERS[action](row, actor, **params)
        if step.target not in rule.targets:
            raise AssertionError(f"document action {action} chose status {step.target!r} outside the table")
        if step.target is not None:
            row.status = step.target
        row.save()
        audit.record(
            f"documents.{action}",
            actor=actor,
            obj=row,
            before={**step.before, "status": before},
            after={**step.after, "status": row.status},
        )
        if step.effects is not None:
            step.effects(row)
    return step.result if step.result is not None else row
