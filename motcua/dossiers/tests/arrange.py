"""Dossiers in the state each action starts from, for tests generated from the transition table.

`Stage(...).ready(action)` returns (dossier, values, allowed actor, same role in another unit): the
dossier already in a source state of `action`, the request values the screen and the API send for it,
the officer (or citizen) the table allows, and an officer of the same role in a unit the table does not
name. The values use the dispatcher's names (services/dispatch.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from motcua.core.calendar import TZ
from motcua.core.models import AuditEntry, OutboundMessage
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, PortalMessage, Task, Transfer
from motcua.dossiers.tests.conftest import APPLICANT, files_for, pdf
from motcua.dossiers.workflow import Action
from motcua.org.models import Role, User, UserKind

MONDAY = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)


def snapshot(dossier: Dossier | int) -> tuple:
    """Everything an action may change: compared before and after a refusal ("nothing changed")."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    row = (
        Dossier.objects.filter(pk=pk)
        .annotate(
            n_events=Count("events", distinct=True),
            n_papers=Count("papers", distinct=True),
            n_results=Count("results", distinct=True),
        )
        .values_list(
            "status",
            "version",
            "due_at",
            "received_at",
            "apologised_at",
            "refusal_reason",
            "n_events",
            "n_papers",
            "n_results",
        )
        .get()
    )
    return (
        *row,
        AuditEntry.objects.count(),
        OutboundMessage.objects.count(),
        PortalMessage.objects.filter(dossier_id=pk).count(),
        list(
            Task.objects.filter(dossier_id=pk).values_list(
                "id", "status", "assignee_id", "due_at", "completed_at"
            )
        ),
        list(Transfer.objects.filter(dossier_id=pk).values_list("id", "returned_at")),
    )


@dataclass
class Stage:
    procedure: Any
    ward_a: Any
    ward_b: Any
    agency: Any
    make_staff: Any
    citizen: User

    def __post_init__(self) -> None:
        self._staff: dict[tuple[str, int], User] = {}

    def staff(self, role: str, unit: Any) -> User:
        key = (role, unit.pk)
        if key not in self._staff:
            self._staff[key] = self.make_staff(role, unit)
        return self._staff[key]

    def other_citizen(self) -> User:
        return User.objects.create_user(username="someone-else", password="x" * 12, kind=UserKind.CITIZEN)

    # --- states -------------------------------------------------------------------------------------
    def submitted(self) -> Dossier:
        return services.submit_online(
            procedure=self.procedure,
            citizen_user=self.citizen,
            applicant=dict(APPLICANT),
            form_data={"ho_ten": "Nguyễn Văn An"},
            files=files_for(self.procedure),
            idempotency_key=f"arrange-{Dossier.objects.count()}",
            receiving_unit=self.ward_a,
            competent_unit=self.ward_a,
        )

    def received(self) -> Dossier:
        return services.receive_at_counter(
            procedure=self.procedure,
            receiving_unit=self.ward_a,
            actor=self.staff(Role.DESK_OFFICER, self.ward_a),
            applicant=dict(APPLICANT),
            form_data={"ho_ten": "Nguyễn Văn An"},
            files=files_for(self.procedure),
            competent_unit=self.ward_a,
        )

    def processing(self) -> Dossier:
        d = self.received()
        services.claim_task(d.tasks.get(order=2), actor=self.staff(Role.SPECIALIST, self.ward_a))
        return Dossier.objects.get(pk=d.pk)

    def at_leader_step(self) -> Dossier:
        d = self.processing()
        services.complete_task(d.tasks.get(order=2), actor=self.staff(Role.SPECIALIST, self.ward_a))
        services.claim_task(d.tasks.get(order=3), actor=self.staff(Role.UNIT_LEADER, self.ward_a))
        return Dossier.objects.get(pk=d.pk)

    def result_ready(self) -> Dossier:
        d = self.at_leader_step()
        leader = self.staff(Role.UNIT_LEADER, self.ward_a)
        services.complete_task(d.tasks.get(order=3), actor=leader)
        services.attach_result(d, actor=leader, file=pdf("kq.pdf"), name="Kết quả")
        return Dossier.objects.get(pk=d.pk)

    def ready(self, action: str) -> tuple[Dossier, dict[str, Any], User, User]:
        """The dossier, values, allowed actor and same-role-other-unit actor for `action`."""
        a, b = self.ward_a, self.ward_b
        desk, spec = (Role.DESK_OFFICER, Role.SPECIALIST)
        if action == Action.RECEIVE:
            return self.submitted(), {}, self.staff(desk, a), self.staff(desk, b)
        if action == Action.INTAKE_SUPPLEMENT:
            return self.submitted(), {"items": ["Bản sao"]}, self.staff(desk, a), self.staff(desk, b)
        if action == Action.REFUSE_RECEIPT:
            return self.submitted(), {"reason": "Sai thủ tục"}, self.staff(desk, a), self.staff(desk, b)
        if action == Action.CLAIM:
            d = self.received()
            return d, {"task": d.tasks.get(order=2).pk}, self.staff(spec, a), self.staff(spec, b)
        if action == Action.ASSIGN:
            d = self.received()
            values = {"task": d.tasks.get(order=2).pk, "assignee": self.staff(spec, a).username}
            return d, values, self.staff(Role.UNIT_LEADER, a), self.staff(Role.UNIT_LEADER, b)
        if action == Action.COMPLETE_STEP:
            d = self.processing()
            return d, {"task": d.tasks.get(order=2).pk}, self.staff(spec, a), self.staff(spec, b)
        if action == Action.RETURN_STEP:
            d = self.at_leader_step()
            values = {"task": d.tasks.get(order=3).pk, "reason": "Xác minh lại"}
            return d, values, self.staff(Role.UNIT_LEADER, a), self.staff(Role.UNIT_LEADER, b)
        if action == Action.REQUEST_SUPPLEMENT:
            return self.processing(), {"items": ["Ảnh rõ hơn"]}, self.staff(spec, a), self.staff(spec, b)
        if action == Action.SUPPLEMENT:
            d = self.submitted()
            services.request_supplement_at_intake(d, actor=self.staff(desk, a), items=["Bản sao"])
            return (
                Dossier.objects.get(pk=d.pk),
                {"note": "Đã bổ sung"},
                self.staff(desk, a),
                self.staff(desk, b),
            )
        if action == Action.REQUEST_FEE:
            return self.processing(), {"note": "Lệ phí"}, self.staff(spec, a), self.staff(spec, b)
        if action == Action.FEE_PAID:
            d = self.processing()
            services.request_fee(d, actor=self.staff(spec, a))
            return Dossier.objects.get(pk=d.pk), {}, self.staff(spec, a), self.staff(spec, b)
        if action == Action.TRANSFER_OUT:
            values = {"to_unit": self.agency.code, "hours": 8}
            return self.processing(), values, self.staff(spec, a), self.staff(spec, b)
        if action == Action.TRANSFER_BACK:
            d = self.processing()
            services.transfer_out(d, actor=self.staff(spec, a), to_unit=self.agency, hours=8)
            assert Transfer.objects.filter(dossier=d).exists()
            return (
                Dossier.objects.get(pk=d.pk),
                {"note": "Đã xác minh"},
                self.staff(spec, self.agency),
                self.staff(spec, b),
            )
        if action == Action.APOLOGISE:
            d = self.received()
            values = {
                "new_due_date": (d.due_at + dt.timedelta(days=7)).date().isoformat(),
                "reason": "Chờ xác minh",
            }
            return d, values, self.staff(spec, a), self.staff(spec, b)
        if action == Action.ATTACH_RESULT:
            return self.processing(), {"name": "Kết quả"}, self.staff(spec, a), self.staff(spec, b)
        if action == Action.RETURN_RESULT:
            return self.result_ready(), {"channel": "counter"}, self.staff(desk, a), self.staff(desk, b)
        if action == Action.STOP:
            return self.received(), {"reason": "Công dân xin dừng"}, self.staff(desk, a), self.staff(desk, b)
        raise KeyError(action)
