"""Demo dossiers: a few hundred across wards, in every status, with realistic dates over the last weeks.

Every dossier lives its life through the real services (intake, claim, supplement, apology, linked
processing, approval, return...) under `services.clock_at()`, so codes, due times, the process control
sheet, the audit chain and the outbox are exactly what production would hold. Fixed random seed;
idempotent (each dossier carries the idempotency key "demo-NNNN"; the second run only counts them).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from motcua.catalog import selectors as catalog
from motcua.catalog.selectors import Procedure
from motcua.core.calendar import TZ, LegalTimeUnit, calendar_for
from motcua.core.demorun import DemoProcess
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel, Dossier, Task, TaskStatus
from motcua.org import services as org_services
from motcua.org.models import Role, Unit, User

SEED = 20260301
COUNT = 300
# The fake national portal listens on the demo's port + 20000 (motcua.core.demorun).
PROCESSES = [
    DemoProcess(
        ["fake_national_portal"],
        port_offset=20000,
        url_env="MOTCUA_NATIONAL_PORTAL_URL",
        url_path="/api/hoso/trangthai",
        name="fake national portal",
    )
]
PDF = b"%PDF-1.4\n% motcua demo scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WARDS = ["26758", "26740", "26743", "26737", "26767", "26773"]
DEMO_STAFF = {  # existing demo logins (org.demo) for the two showcase wards
    "26758": ("tiepnhan.col", "chuyenvien.col", "lanhdao.col"),
    "26740": ("tiepnhan.sg", "chuyenvien.sg", "lanhdao.sg"),
}
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Hoài"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Uyên",
    "Vy",
    "Yến",
]
STREETS = [
    "Nguyễn Thái Học",
    "Hàm Nghi",
    "Lê Lợi",
    "Nguyễn Huệ",
    "Trần Hưng Đạo",
    "Calmette",
    "Yersin",
    "Ký Con",
]
# target life -> weight
TARGETS = [
    ("returned", 34),
    ("returned_late", 6),
    ("late_apology", 6),
    ("result_ready", 6),
    ("refused", 2),
    ("processing", 9),
    ("received", 5),
    ("overdue_open", 4),
    ("supplement_requested", 4),
    ("supplemented", 3),
    ("intake_supplement", 4),
    ("not_received", 3),
    ("submitted", 5),
    ("withdrawn", 2),
    ("stopped", 3),
    ("linked", 2),
    ("linked_back", 2),
    ("fee_requested", 2),
    ("apology_open", 2),
]


Staff = tuple[User, User, User]  # desk officer, specialist, leader


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _staff(ward: Unit) -> Staff:
    if ward.code in DEMO_STAFF:
        names = DEMO_STAFF[ward.code]
        found = list(User.objects.filter(username__in=names))
        if len(found) == 3:
            by_name = {u.username: u for u in found}
            return by_name[names[0]], by_name[names[1]], by_name[names[2]]
    people = []
    for role, prefix, label in (
        (Role.DESK_OFFICER, "tiepnhan", "Cán bộ một cửa"),
        (Role.SPECIALIST, "chuyenvien", "Chuyên viên"),
        (Role.UNIT_LEADER, "lanhdao", "Lãnh đạo"),
    ):
        username = f"{prefix}.{ward.code}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = org_services.create_staff(
                username=username,
                full_name=f"{label} {ward.short_name or ward.name}",
                unit=ward,
                role=role,
                actor="system:demo",
            )
        people.append(user)
    return people[0], people[1], people[2]


def _usable_procedures() -> list[tuple[Procedure, float, str, bool]]:
    """Active procedures whose current process runs at the desk and the competent unit only."""
    usable = []
    for procedure in catalog.active_procedures().prefetch_related("requirements", "form_fields", "times"):
        process = catalog.current_process(procedure)
        if process is None:
            continue
        steps = list(process.steps.all())
        if not steps or any(s.agency_id or s.unit_kind == "agency" for s in steps):
            continue
        if any(s.role not in (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER) for s in steps):
            continue
        value, unit = services.legal_time(procedure, Channel.COUNTER)
        usable.append((procedure, value, unit, any(s.role == Role.UNIT_LEADER for s in steps)))
    return usable


def _person(rng: random.Random) -> tuple[str, dt.date]:
    """A personal ID number and the date of birth it encodes (province 079, century and sex digit, year),
    so every demo dossier passes the registry's own checks."""
    born = dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    digit = (born.year // 100 - 19) * 2 + rng.randint(0, 1)
    return f"079{digit}{born.year % 100:02d}{rng.randint(0, 999999):06d}", born


def _form_data(
    procedure: Procedure,
    rng: random.Random,
    name: str,
    pid: str,
    address: str,
    born: dt.date | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    people: dict[str, tuple[str, dt.date]] = {"applicant": (pid, born or _person(rng)[1])}
    for f in procedure.form_fields.all():
        if f.field_type == "attachment":
            continue
        subject = f.registry_subject or "applicant"
        if subject not in people:
            people[subject] = _person(rng)
        if f.field_type == "person":
            data[f.key] = name
        elif f.field_type == "personal_id":
            data[f.key] = people[subject][0]
        elif f.field_type == "address":
            data[f.key] = address
        elif f.field_type == "date" and f.registry_field == "date_of_birth":
            data[f.key] = people[subject][1].isoformat()
        elif f.field_type == "date":
            data[f.key] = dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        elif f.field_type == "number":
            data[f.key] = rng.randint(1, 5)
        elif f.field_type == "choice" and f.choices:
            data[f.key] = str(rng.choice(f.choices))
        else:
            data[f.key] = "Theo hồ sơ kèm theo"
    return data


def _files(procedure: Procedure) -> dict[str | int, Any]:
    return {
        r.pk: ContentFile(PDF, name=f"scan-{r.pk}.pdf")
        for r in procedure.requirements.all()
        if r.required and r.kind == "submit" and r.condition is None  # no special case in the demo lives
    }


class Life:
    """One dossier's life on a moving clock (working hours only) that never passes the demo's `now`:
    a step that would fall after it is squeezed in before it, so no demo event is dated in the future."""

    def __init__(self, start: dt.datetime, ward: Unit, now: dt.datetime) -> None:
        self.cal = calendar_for(ward.province_code)
        self.schedule = ward.schedule
        self.t = start
        self.now = now

    def _cap(self, moment: dt.datetime) -> dt.datetime:
        if moment < self.now:
            return moment
        return self.t + (self.now - self.t) / 2

    def after(self, hours: float) -> dt.datetime:
        self.t = self._cap(self.cal.add_working_hours(self.t, hours, self.schedule))
        return self.t

    def at(self, moment: dt.datetime) -> dt.datetime:
        self.t = self._cap(max(self.t, self.cal.next_working_moment(moment, self.schedule)))
        return self.t


def _task(d: Dossier) -> Task | None:
    return d.tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS]).order_by("order").first()


def _complete_all(
    d: Dossier,
    life: Life,
    staff: Staff,
    rng: random.Random,
    *,
    decision: str = "approve",
    until: dt.datetime | None = None,
) -> None:
    desk, specialist, leader = staff
    while True:
        task = _task(d)
        if task is None:
            return
        actor = (
            leader
            if task.role == Role.UNIT_LEADER
            else (desk if task.role == Role.DESK_OFFICER else specialist)
        )
        with services.clock_at(life.after(rng.uniform(0.1, 0.5))):
            services.claim_task(task, actor=actor)
        moment = life.after(rng.uniform(0.2, max(0.3, min(float(task.hours) * 0.5, 6))))
        if until is not None and _task_is_last(d, task):
            moment = life.at(until)
        last = _task_is_last(d, task)
        # The leader decides (approve or refuse) at the leader's step; the other steps pass it on.
        deciding = task.role == Role.UNIT_LEADER
        with services.clock_at(moment):
            services.complete_task(
                task,
                actor=actor,
                note=rng.choice(["Đủ điều kiện", "Đồng ý", "Đã thẩm định"]),
                decision=decision if deciding else "approve",
            )
        if last or (deciding and decision == "refuse"):
            return


def _task_is_last(d: Dossier, task: Task) -> bool:
    return not d.tasks.filter(status=TaskStatus.WAITING, order__gt=task.order).exists()


def _live(
    i: int,
    rng: random.Random,
    target: str,
    procedure: Procedure,
    ward: Unit,
    staff: Staff,
    citizen: User,
    now: dt.datetime,
) -> Dossier:
    desk, specialist, leader = staff
    key = f"demo-{i:04d}"
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    pid, born = _person(rng)
    address = f"{rng.randint(1, 200)} {rng.choice(STREETS)}, {ward.name}"
    applicant = {
        "name": name,
        "personal_id": pid,
        "phone": f"09{rng.randint(0, 99999999):08d}",
        "email": f"demo{i}@example.vn" if rng.random() < 0.5 else "",
        "address": address,
    }
    sources = (
        {"applicant_name": "registry", "applicant_personal_id": "registry"} if rng.random() < 0.6 else {}
    )
    form = _form_data(procedure, rng, name, pid, address, born)
    recent = target in (
        "received",
        "processing",
        "supplement_requested",
        "submitted",
        "linked",
        "fee_requested",
        "apology_open",
        "result_ready",
        "intake_supplement",
        "supplemented",
    )
    days_back = rng.randint(0, 3) if recent else rng.randint(12, 70)
    if target == "overdue_open":
        days_back = rng.randint(14, 25)
    start_day = timezone.localtime(now).date() - dt.timedelta(days=days_back)
    start = dt.datetime.combine(start_day, dt.time(7, 30), tzinfo=TZ) + dt.timedelta(
        minutes=rng.randint(0, 520)
    )
    life = Life(min(start, now - dt.timedelta(hours=1)), ward, now)
    start = life.at(start)
    online = target in ("submitted", "withdrawn") or (
        rng.random() < 0.3 and target not in ("not_received", "intake_supplement")
    )
    if online:
        with services.clock_at(start):
            d = services.submit_online(
                procedure=procedure,
                citizen_user=citizen,
                applicant=applicant,
                form_data=form,
                files=_files(procedure),
                idempotency_key=key,
                receiving_unit=ward,
                field_sources={"applicant_name": "account"},
            )
        if target == "submitted":
            return d
        if target == "withdrawn":
            with services.clock_at(life.after(rng.uniform(0.5, 4))):
                return services.withdraw(d, citizen_user=citizen, reason="Nộp nhầm thủ tục")
        with services.clock_at(life.after(rng.uniform(0.3, 3))):
            d = services.receive(d, actor=desk)
    else:
        outcome = {"not_received": "refuse", "intake_supplement": "supplement"}.get(target, "accept")
        files = _files(procedure)
        if outcome == "supplement" and files:
            files.pop(next(iter(files)))
        with services.clock_at(start):
            d = services.receive_at_counter(
                procedure=procedure,
                receiving_unit=ward,
                actor=desk,
                applicant=applicant,
                form_data=form,
                files=files,
                outcome=outcome,
                missing=["Bản sao giấy tờ chứng minh quan hệ nhân thân"],
                reason="Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị" if outcome == "refuse" else "",
                field_sources=sources,
                channel=Channel.POST if rng.random() < 0.15 else Channel.COUNTER,
                competent_unit=ward,
                idempotency_key=key,
                notify_zalo=rng.random() < 0.3,
            )
        if outcome != "accept" or target == "received":
            return d
    if target == "received":
        return d
    if target == "stopped":
        with services.clock_at(life.after(rng.uniform(1, 6))):
            return services.stop(d, actor=desk, reason="Công dân có đơn đề nghị dừng giải quyết")
    task = _task(d)
    if task is not None and task.role == Role.SPECIALIST:
        with services.clock_at(life.after(rng.uniform(0.2, 2))):
            services.claim_task(task, actor=specialist)
    if target == "processing":
        return d
    if target in ("supplement_requested", "supplemented"):
        with services.clock_at(life.after(rng.uniform(1, 6))):
            d = services.request_supplement(
                d, actor=specialist, items=["Bản sao trích lục khai sinh", "Văn bản ủy quyền có chứng thực"]
            )
        if target == "supplemented":
            with services.clock_at(life.after(rng.uniform(2, 8))):
                services.supplement(
                    d,
                    actor=desk,
                    files={"s": ContentFile(PDF, name="bo-sung.pdf")},
                    note="Công dân nộp bổ sung tại quầy",
                )
        return d
    if target == "fee_requested":
        with services.clock_at(life.after(1)):
            return services.request_fee(d, actor=specialist, note="Nộp lệ phí theo quy định")
    if target in ("linked", "linked_back"):
        agency = Unit.objects.get(code="79-STP", valid_to__isnull=True)
        with services.clock_at(life.after(1)):
            transfer = services.transfer_out(
                d, actor=specialist, to_unit=agency, hours=8, note="Đề nghị xác minh thông tin hộ tịch"
            )
        if target == "linked":
            return d
        clerk = User.objects.filter(username="chuyenvien.stp").first()
        with services.clock_at(life.after(6)):
            services.transfer_back(transfer, actor=clerk, reply="Đã xác minh, thông tin khớp sổ gốc")
        _complete_all(d, life, staff, rng)
        return _return(d, life, staff, rng)
    if target in ("late_apology", "apology_open"):
        d.refresh_from_db()
        new_day = life.cal.add_working_days(timezone.localtime(d.due_at).date(), rng.randint(2, 4))
        with services.clock_at(life.after(1)):
            d = services.apologise(
                d, actor=leader, new_due_date=new_day, reason="Cần xác minh thêm thông tin tại cơ quan khác"
            )
        if target == "apology_open":
            return d
        due = d.original_due_at or d.due_at or life.t
        _complete_all(d, life, staff, rng, until=due + dt.timedelta(hours=20))
        return _return(d, life, staff, rng)
    if target == "overdue_open":
        return d
    if target in ("returned_late",):
        _complete_all(
            d, life, staff, rng, until=(d.due_at or life.t) + dt.timedelta(hours=rng.randint(18, 60))
        )
        return _return(d, life, staff, rng)
    _complete_all(d, life, staff, rng, decision="refuse" if target == "refused" else "approve")
    if target in ("result_ready", "refused"):
        if target == "result_ready":
            _attach(d, life, specialist)
        return d
    return _return(d, life, staff, rng)


def _attach(d: Dossier, life: Life, specialist: User) -> None:
    with services.clock_at(life.after(0.2)):
        services.attach_result(
            d,
            actor=specialist,
            file=ContentFile(PDF, name="ket-qua.pdf"),
            name="Kết quả giải quyết thủ tục hành chính",
        )


def _return(d: Dossier, life: Life, staff: Staff, rng: random.Random) -> Dossier:
    desk = staff[0]
    d.refresh_from_db()
    if d.status == "result_ready":
        _attach(d, life, staff[1])
    with services.clock_at(life.after(rng.uniform(0.2, 8))):
        return services.return_result(
            d,
            actor=desk,
            channel=rng.choice([Channel.COUNTER, Channel.COUNTER, Channel.POST, Channel.ONLINE]),
        )


def seed(stdout: TextIO | None = None) -> None:
    existing = Dossier.objects.filter(idempotency_key__startswith="demo-").count()
    if existing >= COUNT:
        _say(stdout, f"  dossiers: {existing} demo dossiers already present")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    wards = [Unit.objects.get(code=c, valid_to__isnull=True) for c in WARDS]
    staff = {w.pk: _staff(w) for w in wards}
    citizen = User.objects.filter(username="congdan").first()
    usable = _usable_procedures()
    if not usable or citizen is None:
        _say(stdout, "  dossiers: catalog or demo citizen missing, skipped")
        return
    usable.sort(key=lambda item: item[0].code)
    multi_day = [
        p for p, v, u, _l in usable if u in (LegalTimeUnit.WORKING_DAYS, LegalTimeUnit.DAYS) and v >= 3
    ]
    # Only a leader refuses: a refusal needs a process with a leader's step.
    with_leader = [p for p, _v, _u, leader in usable if leader]
    names = [t for t, _w in TARGETS]
    weights = [w for _t, w in TARGETS]
    made = failed = 0
    for i in range(1, COUNT + 1):
        target = rng.choices(names, weights)[0]
        ward = wards[0] if i % 3 == 0 else rng.choice(wards)
        everything = [p for p, _v, _u, _l in usable]
        pool = {"late_apology": multi_day, "apology_open": multi_day, "refused": with_leader}.get(
            target, everything
        )
        procedure = rng.choice(pool or everything)
        key = f"demo-{i:04d}"
        if Dossier.objects.filter(idempotency_key=key).exists():
            continue
        try:
            with transaction.atomic():  # one commit per dossier life; every step still audited
                _live(i, rng, target, procedure, ward, staff[ward.pk], citizen, now)
            made += 1
        except DossierError as exc:  # a rule said no for this random life: keep the rest going
            failed += 1
            _say(stdout, f"  dossiers: demo {key} ({target}, {procedure.code}) stopped early: {exc.message}")
    flagged = services.flag_overdue()
    _say(
        stdout,
        f"  dossiers: {made} demo dossiers created ({failed} lives cut short), {flagged} flagged overdue",
    )
