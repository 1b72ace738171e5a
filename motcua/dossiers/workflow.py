"""The one transition table of a dossier, and the check every action passes.

An action names the statuses it may start from (none: it creates the dossier), the status it leads to
(None = unchanged; or several `targets`, of which the action's effect picks one), who may perform it
(roles held in the receiving unit, the competent unit, the unit of the current task or of the agency in
linked processing, or the citizen who owns the dossier) and which of its targets are the leader's
decision. `services.engine.perform()` is the only code that writes a dossier's status, and it takes the
status from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.models import DossierStatus as S
from motcua.org.actors import Actor, signed_in
from motcua.org.models import Role, Unit


class Action(models.TextChoices):
    """Every action on a dossier. The values are the API's `action` names and the screens' URLs."""

    SUBMIT = "submit", _("Nộp hồ sơ")
    ADD_PAPER = "add_paper", _("Bổ sung bản quét trước khi tiếp nhận")
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    INTAKE_SUPPLEMENT = "intake_supplement", _("Hướng dẫn bổ sung hồ sơ")
    REFUSE_RECEIPT = "refuse_receipt", _("Từ chối tiếp nhận")
    CLAIM = "claim", _("Nhận xử lý")
    ASSIGN = "assign", _("Phân công xử lý")
    COMPLETE_STEP = "complete", _("Hoàn thành bước")
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


# Events written before "complete_step" was renamed to the API's "complete" keep their label.
LEGACY_ACTIONS = {"complete_step": Action.COMPLETE_STEP}

# where the actor's role is checked
RECEIVING, COMPETENT, TASK, TRANSFER, CITIZEN = "receiving", "competent", "task", "transfer", "citizen"

DESK = (Role.DESK_OFFICER, Role.UNIT_LEADER)
PROCESSORS = (Role.SPECIALIST, Role.UNIT_LEADER)
ANY_OFFICER = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)
LEADER = (Role.UNIT_LEADER,)
IN_PROGRESS = (S.RECEIVED, S.PROCESSING)
# The "status" of a dossier not written yet: intake actions start from it and create the dossier.
NEW = ""


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]  # NEW among them: the action may create the dossier
    target: str | None  # None: unchanged, or the effect picks one of `targets`
    roles: tuple[str, ...]  # () with TASK: the task's own role decides (checked by the effect)
    where: tuple[str, ...]
    targets: tuple[str, ...] = ()
    # Targets that are the leader's decision (refusal, approval/signature): the actor must hold
    # `LEADER` where the action is checked; a result becomes ready without the leader acting only
    # when the leader's approval step of the process is already done.
    leader_targets: tuple[str, ...] = ()

    def possible_targets(self, source: str) -> tuple[str, ...]:
        """Every status the action may leave the dossier in when it starts from `source`."""
        if self.targets:
            return self.targets
        return (self.target,) if self.target is not None else (source,)


TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition((NEW,), S.SUBMITTED, DESK, (CITIZEN, RECEIVING)),
    Action.ADD_PAPER: Transition((S.SUBMITTED, S.SUPPLEMENT_REQUESTED), None, DESK, (RECEIVING, COMPETENT)),
    # From NEW: counter intake checks the papers while the applicant waits, so the dossier is created
    # already received, returned for supplement or refused (one write, one control-sheet line).
    Action.RECEIVE: Transition((NEW, S.SUBMITTED), S.RECEIVED, DESK, (RECEIVING, COMPETENT)),
    Action.INTAKE_SUPPLEMENT: Transition(
        (NEW, S.SUBMITTED), S.SUPPLEMENT_REQUESTED, DESK, (RECEIVING, COMPETENT)
    ),
    Action.REFUSE_RECEIPT: Transition((NEW, S.SUBMITTED), S.NOT_RECEIVED, DESK, (RECEIVING, COMPETENT)),
    Action.CLAIM: Transition(IN_PROGRESS, S.PROCESSING, (), (TASK,)),
    # Handing a step to an officer starts processing, exactly as the officer taking it would.
    Action.ASSIGN: Transition(IN_PROGRESS, S.PROCESSING, LEADER, (TASK,)),
    Action.COMPLETE_STEP: Transition(
        (S.PROCESSING,),
        None,
        (),
        (TASK,),
        targets=(S.PROCESSING, S.RESULT_READY, S.REFUSED),
        leader_targets=(S.RESULT_READY, S.REFUSED),
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


def may_act(dossier: Dossier, action: str, actor: Actor | None, *, unit: Unit | None = None) -> bool:
    try:
        ensure_transition(dossier, action, actor, unit=unit)
    except DossierError:
        return False
    return True


def ensure_transition(
    dossier: Dossier, action: str, actor: Actor | None, *, unit: Unit | None = None
) -> Transition:
    """Raise DossierError unless `actor` may perform `action` on `dossier` now.

    `unit` is the task's or transfer's unit for TASK / TRANSFER actions. A dossier not saved yet is
    being created: its status is NEW.
    """
    rule = TRANSITIONS[action]
    status = dossier.status if dossier.pk is not None else NEW
    if status not in rule.sources:
        label = S(status).label if status else ""
        raise DossierError("bad_transition", action=Action(action).label, status=label)
    if not signed_in(actor):
        raise DossierError("not_allowed")
    if actor.is_citizen:
        if CITIZEN in rule.where and dossier.citizen_id == actor.pk:
            return rule
        raise DossierError("not_allowed")
    for target in _units(dossier, rule, unit):
        if actor.can_act_in(target, *rule.roles):
            return rule
    raise DossierError("not_allowed")


def _units(dossier: Dossier, rule: Transition, unit: Unit | None) -> list[Unit]:
    units = []
    for where in rule.where:
        if where == RECEIVING:
            units.append(dossier.receiving_unit)
        elif where == COMPETENT:
            units.append(dossier.unit)
        elif where in (TASK, TRANSFER) and unit is not None:
            units.append(unit)
    return units


def ensure_target(
    dossier: Dossier,
    action: str,
    target: str,
    actor: Actor | None,
    *,
    unit: Unit | None = None,
    leader_signed: bool = False,
) -> None:
    """Raise unless `target` is one the table allows `action` to reach, by this actor.

    A target outside the table is a programming error (AssertionError); a leader's decision taken by
    someone else is refused with `leader_decision`."""
    rule = TRANSITIONS[action]
    source = dossier.status if dossier.pk is not None else NEW
    allowed = rule.possible_targets(source)
    if target not in allowed:
        raise AssertionError(f"{action}: {source or 'new'} -> {target} is not in the table ({allowed})")
    if target in rule.leader_targets:
        if target == S.RESULT_READY and leader_signed:
            return
        if not signed_in(actor) or not any(actor.can_act_in(u, *LEADER) for u in _units(dossier, rule, unit)):
            raise DossierError("leader_decision")
