"""A hypothesis state machine drives random action sequences, by random callers, against `perform` and
checks after every step what the transition table promises:

- a status only ever changes to a target the table allows from the previous status, and only through an
  action whose sources include that status;
- a refused action changes nothing (dossier, tasks, transfers, papers, events, audit, outbox);
- the audit chain verifies (`core.audit.verify`);
- at most one open task per process step (and one in all), none once the dossier is not in progress;
- the due time is the calendar's legal time from the clock start (or an apology's later date).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from motcua.core import audit
from motcua.core.calendar import calendar_for
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import ACTIVE_TASK, OPEN_STATUSES, Dossier, Task
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.selectors import current_task
from motcua.dossiers.tests.arrange import MONDAY, snapshot
from motcua.dossiers.tests.conftest import APPLICANT, files_for, pdf
from motcua.dossiers.workflow import TRANSITIONS, Action, allowed_actions
from motcua.org.models import Role, User, UserKind

CALLERS = ["desk", "specialist", "leader", "clerk", "agency", "other_ward", "owner", "citizen", "anonymous"]
IN_PROGRESS = {S.RECEIVED, S.PROCESSING, S.LINKED, S.SUPPLEMENT_REQUESTED, S.FEE_REQUESTED}


# Who the table names for each action in this world (the machine mostly asks them, sometimes anyone).
LIKELY = {
    Action.SUBMIT: "desk",
    Action.ADD_PAPER: "desk",
    Action.RECEIVE: "desk",
    Action.INTAKE_SUPPLEMENT: "desk",
    Action.REFUSE_RECEIPT: "desk",
    Action.CLAIM: "specialist",
    Action.ASSIGN: "leader",
    Action.COMPLETE_STEP: "specialist",
    Action.RETURN_STEP: "leader",
    Action.REQUEST_SUPPLEMENT: "specialist",
    Action.SUPPLEMENT: "owner",
    Action.REQUEST_FEE: "clerk",
    Action.FEE_PAID: "desk",
    Action.TRANSFER_OUT: "specialist",
    Action.TRANSFER_BACK: "agency",
    Action.APOLOGISE: "specialist",
    Action.ATTACH_RESULT: "clerk",
    Action.RETURN_RESULT: "desk",
    Action.STOP: "desk",
    Action.WITHDRAW: "owner",
}

STEP_ACTIONS = (Action.CLAIM, Action.COMPLETE_STEP, Action.RETURN_STEP)
BY_ROLE = {
    Role.DESK_OFFICER: "desk",
    Role.SPECIALIST: "specialist",
    Role.UNIT_LEADER: "leader",
    Role.CLERK: "clerk",
}


class DossierMachine(RuleBasedStateMachine):
    world: dict = {}

    @initialize(online=st.booleans())
    def start(self, online: bool) -> None:
        self.moment = MONDAY
        w = self.world
        with services.clock_at(self.moment):
            if online:
                d = services.submit_online(
                    procedure=w["procedure"],
                    citizen_user=w["owner"],
                    applicant=dict(APPLICANT),
                    form_data={"ho_ten": "A"},
                    files=files_for(w["procedure"]),
                    idempotency_key=f"machine-{Dossier.objects.count()}",
                    receiving_unit=w["ward_a"],
                    competent_unit=w["ward_a"],
                )
            else:
                d = services.receive_at_counter(
                    procedure=w["procedure"],
                    receiving_unit=w["ward_a"],
                    actor=w["desk"],
                    applicant=dict(APPLICANT),
                    form_data={"ho_ten": "A"},
                    files=files_for(w["procedure"]),
                    competent_unit=w["ward_a"],
                )
        self.pk = d.pk

    def _params(self, d: Dossier, action: str, decision: str) -> dict:
        """The values a caller would send for `action` (references to the dossier's current step)."""
        w = self.world
        if action in (Action.CLAIM, Action.ASSIGN, Action.COMPLETE_STEP, Action.RETURN_STEP):
            task = d.tasks.filter(status__in=ACTIVE_TASK).first() or d.tasks.order_by("-order").first()
            base = {"task": task.pk if task else 0}
            extra = {
                Action.ASSIGN: {"assignee": w["specialist"]},
                Action.COMPLETE_STEP: {"decision": decision, "note": "Ý kiến"},
                Action.RETURN_STEP: {"reason": "Xem lại"},
            }
            return base | extra.get(action, {})
        if action == Action.TRANSFER_BACK:
            transfer = d.transfers.filter(returned_at__isnull=True).first() or d.transfers.first()
            return {"transfer": transfer.pk if transfer else 0, "reply": "Xong"}
        if action == Action.APOLOGISE:
            due = timezone.localtime((d.due_at or self.moment) + dt.timedelta(days=7)).date()
            return {"new_due_date": due, "reason": "Chờ xác minh"}
        if action in (Action.ADD_PAPER, Action.SUPPLEMENT, Action.ATTACH_RESULT):
            return {
                Action.ADD_PAPER: {"requirement_id": None, "file": pdf()},
                Action.SUPPLEMENT: {"files": {"x": pdf()}},
                Action.ATTACH_RESULT: {"file": pdf("kq.pdf"), "name": "Kết quả"},
            }[action]
        return {
            Action.INTAKE_SUPPLEMENT: {"items": ["Bản sao"], "reason": "Thiếu"},
            Action.REFUSE_RECEIPT: {"reason": "Sai thủ tục"},
            Action.REQUEST_SUPPLEMENT: {"items": ["Ảnh rõ hơn"]},
            Action.REQUEST_FEE: {"note": "Lệ phí"},
            Action.TRANSFER_OUT: {"to_unit": w["agency_unit"], "hours": 8},
            Action.RETURN_RESULT: {"channel": "counter"},
            Action.STOP: {"reason": "Xin dừng"},
            Action.WITHDRAW: {"reason": "Nộp nhầm"},
        }.get(action, {})

    @rule(
        data=st.data(),
        off_path=st.integers(min_value=0, max_value=3),
        decision=st.sampled_from(["approve", "refuse"]),
        hours=st.integers(min_value=0, max_value=30),
    )
    def act(self, data, off_path: int, decision: str, hours: int) -> None:
        """Mostly an action the table allows now by the caller it names (so sequences go deep), one time
        in four any action by anyone (so refusals are exercised too)."""
        self.moment += dt.timedelta(hours=hours)
        d = Dossier.objects.select_related("unit", "receiving_unit", "procedure").get(pk=self.pk)
        allowed = allowed_actions(d)
        if not allowed:  # closed: the next dossier comes in
            self.start(online=bool(off_path % 2))
            return
        if off_path < 3:
            action = data.draw(st.sampled_from(allowed))
            caller = LIKELY[action] if d.citizen_id or LIKELY[action] != "owner" else "desk"
            task = current_task(d)
            if action in STEP_ACTIONS and task is not None:
                caller = BY_ROLE.get(task.role, caller)
        else:
            action = data.draw(st.sampled_from(list(Action)))
            caller = data.draw(st.sampled_from(CALLERS))
        before = snapshot(self.pk)
        try:
            with services.clock_at(self.moment):
                services.perform(d, action, self.world[caller], **self._params(d, action, decision))
        except DossierError:
            assert snapshot(self.pk) == before, f"refused {action} by {caller} changed the dossier"
            return
        after = Dossier.objects.get(pk=self.pk)
        if after.version == before[1] and snapshot(self.pk) == before:
            return  # an action already done (claiming one's own step again) changes nothing
        rule = TRANSITIONS[action]
        assert before[0] in rule.sources, f"{action} ran from {before[0]}"
        assert after.status in rule.possible_targets(before[0]), f"{action}: {before[0]} -> {after.status}"
        assert after.version == before[1] + 1

    @invariant()
    def audit_chain_verifies(self) -> None:
        _, problems = audit.verify()
        assert problems == []

    @invariant()
    def one_open_task_per_step(self) -> None:
        if not hasattr(self, "pk"):
            return
        d = Dossier.objects.get(pk=self.pk)
        active = list(Task.objects.filter(dossier=d, status__in=ACTIVE_TASK).values_list("order", flat=True))
        assert len(active) == len(set(active)) and len(active) <= 1
        if d.status not in IN_PROGRESS:
            assert active == [], f"open task while {d.status}"

    @invariant()
    def due_time_follows_the_calendar(self) -> None:
        if not hasattr(self, "pk"):
            return
        d = Dossier.objects.select_related("unit", "procedure").get(pk=self.pk)
        if d.clock_started_at is None:
            assert d.received_at is None and d.due_at is None
            return
        value, unit = services.legal_time(d.procedure, d.channel)
        legal = calendar_for(d.unit.province_code).due_at(d.clock_started_at, value, unit, d.unit.schedule)
        assert d.original_due_at == legal
        if d.apologised_at is not None and d.apologised_at >= d.clock_started_at:
            assert d.due_at > legal  # the apology's new date (a supplement since restarts the clock)
        else:
            assert d.due_at == legal
        if d.status in OPEN_STATUSES:
            assert d.received_at is not None


@pytest.mark.django_db
def test_random_action_sequences_keep_the_table_promises(
    procedure, ward_a, ward_b, agency_justice, make_staff, citizen
):
    DossierMachine.world = {
        "procedure": procedure,
        "ward_a": ward_a,
        "agency_unit": agency_justice,
        "desk": make_staff(Role.DESK_OFFICER, ward_a),
        "specialist": make_staff(Role.SPECIALIST, ward_a),
        "leader": make_staff(Role.UNIT_LEADER, ward_a),
        "clerk": make_staff(Role.CLERK, ward_a),
        "agency": make_staff(Role.SPECIALIST, agency_justice),
        "other_ward": make_staff(Role.UNIT_LEADER, ward_b),
        "owner": citizen,
        "citizen": User.objects.create_user(
            username="machine-citizen", password="x" * 12, kind=UserKind.CITIZEN
        ),
        "anonymous": None,
    }
    run_state_machine_as_test(
        DossierMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
