"""The one transition table of a dossier. Every service function asks `ensure_transition()` first.

An action names the statuses it may start from, the status it leads to (None = unchanged) and who may
perform it: roles held in the receiving unit, the competent unit, the unit of the current task or of
the agency in linked processing, or the citizen who owns the dossier.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.models import DossierStatus as S
from motcua.org.models import Role


class Action(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    ADD_PAPER = "add_paper", _("Bổ sung bản quét trước khi tiếp nhận")
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    INTAKE_SUPPLEMENT = "intake_supplement", _("Hướng dẫn bổ sung hồ sơ")
    REFUSE_RECEIPT = "refuse_receipt", _("Từ chối tiếp nhận")
    CLAIM = "claim", _("Nhận xử lý")
    ASSIGN = "assign", _("Phân công xử lý")
    COMPLETE_STEP = "complete_step", _("Hoàn thành bước")
    RETURN_STEP = "return_step", _("Trả lại bước trước")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    REQUEST_FEE = "request_fee", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    FEE_PAID = "fee_paid", _("Xác nhận đã nộp phí")
    TRANSFER_OUT = "transfer_out", _("Chuyển liên thông")
    TRANSFER_BACK = "transfer_back", _("Trả kết quả liên thông")
    APOLOGISE = "apologise", _("Xin lỗi, hẹn lại")
    ATTACH_RESULT = "attach_result", _("Tải lên kết quả")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    STOP = "stop", _("Dừng xử lý")
    WITHDRAW = "withdraw", _("Rút hồ sơ")


# where the actor's role is checked
RECEIVING, COMPETENT, TASK, TRANSFER, CITIZEN = "receiving", "competent", "task", "transfer", "citizen"

DESK = (Role.DESK_OFFICER, Role.UNIT_LEADER)
PROCESSORS = (Role.SPECIALIST, Role.UNIT_LEADER)
ANY_OFFICER = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)
IN_PROGRESS = (S.RECEIVED, S.PROCESSING)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (or the service decides among `targets`)
    roles: tuple[str, ...]
    where: tuple[str, ...]
    targets: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition((), S.SUBMITTED, (), (CITIZEN, RECEIVING)),
    Action.ADD_PAPER: Transition((S.SUBMITTED, S.SUPPLEMENT_REQUESTED), None, DESK, (RECEIVING, COMPETENT)),
    Action.RECEIVE: Transition((S.SUBMITTED,), S.RECEIVED, DESK, (RECEIVING, COMPETENT)),
    Action.INTAKE_SUPPLEMENT: Transition(
        (S.SUBMITTED,), S.SUPPLEMENT_REQUESTED, DESK, (RECEIVING, COMPETENT)
    ),
    Action.REFUSE_RECEIPT: Transition((S.SUBMITTED,), S.NOT_RECEIVED, DESK, (RECEIVING, COMPETENT)),
    Action.CLAIM: Transition(IN_PROGRESS, S.PROCESSING, (), (TASK,)),
    Action.ASSIGN: Transition(IN_PROGRESS, None, (Role.UNIT_LEADER,), (TASK,)),
    Action.COMPLETE_STEP: Transition(
        (S.PROCESSING,), None, (), (TASK,), targets=(S.PROCESSING, S.RESULT_READY, S.REFUSED)
    ),
    Action.RETURN_STEP: Transition((S.PROCESSING,), S.PROCESSING, (), (TASK,)),
    Action.REQUEST_SUPPLEMENT: Transition(IN_PROGRESS, S.SUPPLEMENT_REQUESTED, PROCESSORS, (COMPETENT,)),
    Action.SUPPLEMENT: Transition(
        (S.SUPPLEMENT_REQUESTED,),
        None,
        DESK + PROCESSORS,
        (CITIZEN, RECEIVING, COMPETENT),
        targets=(S.SUBMITTED, S.PROCESSING),
    ),
    Action.REQUEST_FEE: Transition((S.PROCESSING,), S.FEE_REQUESTED, ANY_OFFICER, (COMPETENT,)),
    Action.FEE_PAID: Transition((S.FEE_REQUESTED,), S.PROCESSING, ANY_OFFICER, (COMPETENT, RECEIVING)),
    Action.TRANSFER_OUT: Transition((S.PROCESSING,), S.LINKED, PROCESSORS, (COMPETENT,)),
    Action.TRANSFER_BACK: Transition((S.LINKED,), S.PROCESSING, PROCESSORS, (TRANSFER,)),
    Action.APOLOGISE: Transition(
        (S.RECEIVED, S.PROCESSING, S.LINKED, S.FEE_REQUESTED), None, PROCESSORS, (COMPETENT,)
    ),
    Action.ATTACH_RESULT: Transition(
        (S.PROCESSING, S.RESULT_READY, S.REFUSED), None, ANY_OFFICER, (COMPETENT,)
    ),
    Action.RETURN_RESULT: Transition(
        (S.RESULT_READY, S.REFUSED), S.RETURNED, ANY_OFFICER, (RECEIVING, COMPETENT)
    ),
    Action.STOP: Transition(
        (S.RECEIVED, S.PROCESSING, S.LINKED, S.SUPPLEMENT_REQUESTED, S.FEE_REQUESTED),
        S.STOPPED,
        DESK + PROCESSORS,
        (RECEIVING, COMPETENT),
    ),
    Action.WITHDRAW: Transition((S.SUBMITTED, S.SUPPLEMENT_REQUESTED), S.WITHDRAWN, (), (CITIZEN,)),
}


def allowed_actions(dossier: Dossier) -> list[str]:
    return [a for a, t in TRANSITIONS.items() if dossier.status in t.sources]


def may_act(dossier: Dossier, action: str, actor, *, unit=None) -> bool:
    try:
        ensure_transition(dossier, action, actor, unit=unit)
    except DossierError:
        return False
    return True


def ensure_transition(dossier: Dossier, action: str, actor, *, unit=None) -> Transition:
    """Raise DossierError unless `actor` may perform `action` on `dossier` now.

    `unit` is the task's or transfer's unit for TASK / TRANSFER actions.
    """
    rule = TRANSITIONS[action]
    if rule.sources and dossier.status not in rule.sources:
        raise DossierError("bad_transition", action=Action(action).label, status=S(dossier.status).label)
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise DossierError("not_allowed")
    if getattr(actor, "is_citizen", False):
        if CITIZEN in rule.where and dossier.citizen_id == actor.pk:
            return rule
        raise DossierError("not_allowed")
    if CITIZEN in rule.where and rule.where == (CITIZEN,):
        raise DossierError("not_allowed")
    units = []
    for where in rule.where:
        if where == RECEIVING:
            units.append(dossier.receiving_unit)
        elif where == COMPETENT:
            units.append(dossier.unit)
        elif where in (TASK, TRANSFER) and unit is not None:
            units.append(unit)
    for target in units:
        if actor.can_act_in(target, *rule.roles):
            return rule
    raise DossierError("not_allowed")
