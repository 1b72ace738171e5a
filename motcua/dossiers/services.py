"""Every write on a dossier: one function per business action (style.md, "a write is one action").

Each transition runs in one transaction: lock the dossier row, `ensure_transition()` against the one
table in workflow.py, change the row(s), write the process-control-sheet event and the audit entry,
queue the citizen's messages and the national-portal message in the same transaction (outbox). A
failure anywhere rolls all of it back.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog_selectors
from motcua.core import audit
from motcua.core.calendar import SAME_DAY_CUTOFF, LegalTimeUnit, calendar_for
from motcua.core.codes import dossier_code
from motcua.core.links import dossier_tracking_url
from motcua.core.notify import MessageBatch, queue_message
from motcua.core.uploads import check_upload
from motcua.core.validation import InvalidPhone, is_personal_id, normalise_phone
from motcua.dossiers import portal
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import (
    ACTIVE_TASK,
    Channel,
    Dossier,
    DossierEvent,
    DossierPaper,
    Outcome,
    ResultPaper,
    Task,
    TaskStatus,
    Transfer,
)
from motcua.dossiers.models import (
    DossierStatus as S,
)
from motcua.dossiers.workflow import Action, ensure_transition
from motcua.org.models import COMMUNE_LEVEL, Role, Unit, UnitKind

_clock: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("dossier_clock", default=None)
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_personal_id",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)
SUPPLEMENT_WINDOW_DAYS = 3


def now() -> dt.datetime:
    return _clock.get() or timezone.now()


@contextlib.contextmanager
def clock_at(moment: dt.datetime):
    """Run services as if at `moment` (importing historical dossiers, demo data)."""
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


# --- catalog access (through the catalog's selectors only) ------------------------------------
def _catalog():
    from motcua.catalog import selectors

    return selectors


class CatalogSnapshot:
    """What intake needs from the catalog for one procedure, read once per process and re-checked on
    every use against a cheap stamp (one query; see `_catalog_stamp`). Items are memoised lazily."""

    def __init__(self, procedure_id: int, stamp: tuple | None) -> None:
        self.procedure_id = procedure_id
        self.stamp = stamp
        self.loaded = time.monotonic()
        self._memo: dict[Any, Any] = {}

    def _get(self, key, load):
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = load()
            return value

    def papers(self, procedure) -> list:
        return self._get("papers", lambda: list(_catalog().papers(procedure)))

    def form_fields(self, procedure) -> list:
        return self._get("form_fields", lambda: list(_catalog().form_fields(procedure)))

    def legal_time(self, procedure, channel: str) -> tuple[float, str]:
        return self._get(("time", channel), lambda: _legal_time(procedure, channel))

    def steps(self, procedure, on: dt.date | None, unit: Unit | None) -> list[dict[str, Any]]:
        key = ("steps", on, unit.pk if unit is not None else None)
        return self._get(key, lambda: _process_steps(procedure, on, unit))


_SNAPSHOTS: dict[int, CatalogSnapshot] = {}
CATALOG_TTL = 60.0


def _catalog_stamp(procedure_id: int, province_code: str) -> tuple[tuple, tuple] | None:
    """Fingerprints of the procedure's catalog rows and the province's calendar overrides (one query)."""
    return catalog_selectors.intake_stamp(procedure_id, province_code)


def catalog_snapshot(procedure, province_code: str | None = None) -> CatalogSnapshot:
    """The procedure's cached catalog data, checked against the database (one query). Also refreshes
    the province calendar when its overrides changed."""
    code = province_code or settings.MOTCUA_PROVINCE_CODE
    stamps = _catalog_stamp(procedure.pk, code)
    if stamps is None:  # unknown procedure (unsaved?): nothing to cache
        return CatalogSnapshot(procedure.pk, None)
    stamp, calendar_stamp = stamps
    cached = _SNAPSHOTS.get(procedure.pk)
    if cached is None or cached.stamp != stamp or time.monotonic() - cached.loaded > CATALOG_TTL:
        cached = _SNAPSHOTS[procedure.pk] = CatalogSnapshot(procedure.pk, stamp)
    calendar = _CALENDARS.get(code)
    if calendar is None or calendar[2] != calendar_stamp:
        _CALENDARS[code] = (time.monotonic(), calendar_for(code), calendar_stamp)
    else:  # checked just now: valid for another TTL
        _CALENDARS[code] = (time.monotonic(), calendar[1], calendar_stamp)
    return cached


def legal_time(procedure, channel: str, catalog: CatalogSnapshot | None = None) -> tuple[float, str]:
    """(value, LegalTimeUnit) of the procedure's legal time for a channel."""
    return (catalog or catalog_snapshot(procedure)).legal_time(procedure, channel)


def _legal_time(procedure, channel: str) -> tuple[float, str]:
    try:
        result = _catalog().legal_time(procedure, channel)
    except Exception:  # noqa: BLE001 - fall back to the procedure's own fields
        result = None
    if result is None:
        return float(procedure.time_value or 0), procedure.time_unit or LegalTimeUnit.WORKING_DAYS
    if isinstance(result, tuple | list):
        return float(result[0] or 0), result[1]
    return float(getattr(result, "value", 0) or 0), getattr(result, "unit", LegalTimeUnit.WORKING_DAYS)


def process_steps(
    procedure, on: dt.date | None = None, unit: Unit | None = None, catalog: CatalogSnapshot | None = None
) -> list[dict[str, Any]]:
    """The steps of the internal process in force on `on` for `unit` (a default two-step process when the
    catalog has none). Cached: callers must not modify the returned dicts."""
    return (catalog or catalog_snapshot(procedure)).steps(procedure, on, unit)


def _process_steps(procedure, on: dt.date | None, unit: Unit | None) -> list[dict[str, Any]]:
    process = _catalog().current_process(procedure, on=on, unit=unit)
    steps = list(process.steps.all().order_by("order")) if process is not None else []
    if not steps:
        return [
            {
                "order": 1,
                "name": _("Thẩm định, xử lý hồ sơ"),
                "role": Role.SPECIALIST,
                "unit_kind": "competent",
                "agency": None,
                "hours": 8,
            },
            {
                "order": 2,
                "name": _("Phê duyệt kết quả"),
                "role": Role.UNIT_LEADER,
                "unit_kind": "competent",
                "agency": None,
                "hours": 4,
            },
        ]
    return [
        {
            "order": s.order,
            "name": s.name,
            "role": s.role,
            "unit_kind": getattr(s, "unit_kind", "") or "",
            "agency": s.agency if getattr(s, "agency_id", None) else None,
            "hours": float(s.hours or 0),
        }
        for s in steps
    ]


def route_competent_unit(procedure, receiving_unit: Unit, address: str = "") -> Unit:
    """Routing by competence (NĐ 118/2025): the desk receives anywhere, the competent unit decides."""
    agency_id = getattr(procedure, "competent_agency_id", None)
    if agency_id:
        return procedure.competent_agency
    level = str(getattr(procedure, "competent_level", "") or "").lower()
    if level in ("province", "ministry"):
        province = Unit.objects.filter(code=receiving_unit.province_code, valid_to__isnull=True).first()
        return province or receiving_unit
    if address:
        from motcua.org.selectors import find_unit_in_text

        found = find_unit_in_text(address, receiving_unit.province_code)
        if found is not None and found.kind in COMMUNE_LEVEL:
            return found
    return receiving_unit


# --- helpers ---------------------------------------------------------------------------------
def _lock(dossier: Dossier | int, expected_version: int | None = None) -> Dossier:
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit", "receiving_unit", "procedure")
        .get(pk=pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise DossierError("stale")
    return locked


def _snapshot(d: Dossier) -> dict[str, Any]:
    return {"status": d.status, "version": d.version, "due_at": d.due_at, "unit_id": d.unit_id}


def _event(
    d: Dossier,
    action: str,
    actor,
    *,
    from_status: str = "",
    note: str = "",
    task: Task | None = None,
    public: bool = True,
    unit: Unit | None = None,
    **data,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=d,
        at=now(),
        action=action,
        from_status=from_status,
        to_status=d.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor) if actor is not None else "",
        unit=unit or (task.unit if task else None),
        task=task,
        note=note,
        public=public,
        data=audit._normalise(data) or {},
    )


def _commit(
    d: Dossier,
    action: str,
    actor,
    *,
    to: str | None = None,
    note: str = "",
    task: Task | None = None,
    public: bool = True,
    unit: Unit | None = None,
    before: dict | None = None,
    **data,
) -> Dossier:
    """Apply the status change (if any), bump the version, log form 06, audit, queue the portal message.

    An unsaved dossier (intake) is inserted here, already in its final state."""
    before = before or _snapshot(d)
    from_status = before["status"]
    if to is not None:
        d.status = to
    d.version += 1
    d.save(force_insert=d.pk is None)
    _event(d, action, actor, from_status=from_status, note=note, task=task, public=public, unit=unit, **data)
    audit.record(
        f"dossiers.{action}", actor=actor, obj=d, before=before, after=_snapshot(d), purpose=note[:500]
    )
    if d.status != from_status and portal.queue_status(d, enqueue=False) is not None:
        _outbox(d).portal = True
    return d


class _Outbox:
    """What one transaction queued for one dossier; delivered by ONE task enqueued on commit."""

    def __init__(self) -> None:
        self.message_ids: list[int] = []
        self.portal = False


def _outbox(d: Dossier) -> _Outbox:
    """The dossier instance's pending deliveries; the first call registers the on-commit enqueue.

    Every service locks a fresh instance (`_lock`) or creates one, so the object lives for one
    transaction; a rollback discards the callback with it."""
    pending = d.__dict__.get("_outbox")
    if pending is None:
        pending = d._outbox = _Outbox()
        dossier_id = d.pk
        transaction.on_commit(lambda: _enqueue_outbox(dossier_id, pending))
    return pending


def _enqueue_outbox(dossier_id: int, pending: _Outbox) -> None:
    if pending.message_ids or pending.portal:
        from motcua.dossiers.tasks import deliver_outbox

        deliver_outbox.enqueue(dossier_id, list(pending.message_ids), pending.portal)


def _notify(d: Dossier, event: str, body: str, subject: str) -> None:
    """SMS, e-mail (and Zalo when opted in) to the applicant: one INSERT for all of them."""
    key = f"dossier:{d.pk}:{event}:{d.version}"
    batch = MessageBatch()
    channels = [("sms", d.applicant_phone), ("email", d.applicant_email)]
    if d.notify_zalo:
        channels.append(("zalo", d.applicant_phone))
    for channel, recipient in channels:
        queue_message(
            key=f"{key}:{channel}",
            channel=channel,
            recipient=recipient,
            body=body,
            subject=subject,
            unit_id=d.unit_id,
            obj=d,
            batch=batch,
        )
    created = batch.write()
    if created:
        _outbox(d).message_ids.extend(created)


def _fmt(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


_CALENDARS: dict[str, tuple[float, Any, tuple | None]] = {}
CALENDAR_TTL = 60.0


def _calendar(d: Dossier):
    """The province calendar, re-read at most once a minute (overrides change a few times a year);
    intake re-checks it against the overrides' stamp on every dossier (`catalog_snapshot`)."""
    code = d.unit.province_code
    cached = _CALENDARS.get(code)
    if cached is None or time.monotonic() - cached[0] > CALENDAR_TTL:
        cached = (time.monotonic(), calendar_for(code), None)
        _CALENDARS[code] = cached
    return cached[1]


def _validate_applicant(applicant: dict[str, Any]) -> dict[str, str]:
    data = {
        k: str(applicant.get(k.removeprefix("applicant_"), applicant.get(k, "")) or "").strip()
        for k in APPLICANT_FIELDS
    }
    if not data["applicant_name"]:
        raise DossierError("applicant_name")
    pid = data["applicant_personal_id"]
    if pid and not is_personal_id(pid):
        raise DossierError("personal_id")
    try:
        data["applicant_phone"] = normalise_phone(data["applicant_phone"])
    except InvalidPhone:
        raise DossierError("phone") from None
    data["applicant_name"] = data["applicant_name"][:200]
    data["applicant_address"] = data["applicant_address"][:300]
    return data


def validate_form(
    procedure, form_data: dict[str, Any], catalog: CatalogSnapshot | None = None
) -> dict[str, Any]:
    """Check the declaration against the catalog's form fields; returns the cleaned values."""
    clean: dict[str, Any] = {}
    for field in (catalog or catalog_snapshot(procedure)).form_fields(procedure):
        if field.field_type == "attachment":
            continue
        raw = form_data.get(field.key, "")
        value = raw.strip() if isinstance(raw, str) else raw
        if value in ("", None):
            if field.required:
                raise DossierError("form_field", label=field.label)
            continue
        if field.field_type == "number":
            try:
                value = float(value) if "." in str(value) else int(value)
            except (TypeError, ValueError):
                raise DossierError("form_number", label=field.label) from None
        elif field.field_type == "date":
            try:
                day = dt.date.fromisoformat(str(value))
            except ValueError:
                raise DossierError("form_date", label=field.label) from None
            if day > timezone.localdate():  # births, deaths, issue dates: a child born 9999-12-31 was taken
                raise DossierError("form_date_future", label=field.label)
            value = day.isoformat()
        elif field.field_type == "choice":
            choices = [str(c.get("value", c) if isinstance(c, dict) else c) for c in (field.choices or [])]
            if choices and str(value) not in choices:
                raise DossierError("form_choice", label=field.label)
        elif field.field_type == "personal_id":
            if not is_personal_id(value):
                raise DossierError("personal_id")
        else:
            value = str(value)[:2000]
        clean[field.key] = value
    return clean


def required_papers(procedure, catalog: CatalogSnapshot | None = None) -> list:
    papers = (catalog or catalog_snapshot(procedure)).papers(procedure)
    return [r for r in papers if r.required and r.kind == "submit"]


def missing_papers(procedure, files: dict, catalog: CatalogSnapshot | None = None) -> list:
    have = {int(k) for k, v in (files or {}).items() if v}
    return [r for r in required_papers(procedure, catalog) if r.pk not in have]


def _store_papers(
    d: Dossier, files: dict, actor, *, supplement: bool = False, catalog: CatalogSnapshot | None = None
) -> list[DossierPaper]:
    if not files:
        return []
    names = {r.pk: r.name for r in (catalog or catalog_snapshot(d.procedure)).papers(d.procedure)}
    stored = []
    for key, uploads in (files or {}).items():
        for upload in uploads if isinstance(uploads, list | tuple) else [uploads]:
            if not upload:
                continue
            content_type, ext, size, digest = check_upload(upload, error=DossierError)
            req_id = int(key) if str(key).isdigit() else None
            paper = DossierPaper(
                dossier=d,
                requirement_id=req_id,
                name=names.get(req_id, getattr(upload, "name", ""))[:500],
                content_type=content_type,
                size=size,
                sha256=digest,
                is_supplement=supplement,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            upload.seek(0)
            paper.file.save(
                f"{d.code}-{req_id or 'x'}-{digest[:8]}.{ext}", ContentFile(upload.read()), save=False
            )
            stored.append(paper)
    return DossierPaper.objects.bulk_create(stored)  # one INSERT for every scan


def _agency_identifier(unit: Unit) -> str:
    return (
        unit.agency_identifier
        or f"000.00.{unit.code[-2:] if unit.code[-2:].isdigit() else '00'}.{settings.MOTCUA_AGENCY_SUFFIX}"
    )


def _new_dossier(
    *,
    procedure,
    channel: str,
    receiving_unit: Unit,
    competent_unit: Unit | None,
    applicant: dict,
    form_data: dict,
    field_sources: dict | None,
    citizen=None,
    idempotency_key: str | None = None,
    notify_zalo: bool = False,
    catalog: CatalogSnapshot | None = None,
) -> Dossier:
    """The new dossier, validated but NOT saved: the caller's `_commit` inserts it in its final state
    (one INSERT instead of an INSERT and an UPDATE)."""
    from motcua.catalog.errors import CatalogError

    try:
        _catalog().ensure_can_receive(procedure)
    except CatalogError as exc:
        raise DossierError("procedure", reason=exc.message) from exc
    data = _validate_applicant(applicant)
    clean = validate_form(procedure, form_data or {}, catalog)
    unit = competent_unit or route_competent_unit(procedure, receiving_unit, data["applicant_address"])
    moment = now()
    sources = {k: v for k, v in (field_sources or {}).items() if v in ("registry", "typed", "account")}
    for key in APPLICANT_FIELDS:
        if data[key]:
            sources.setdefault(key, "typed")
    d = Dossier(
        code=dossier_code(_agency_identifier(receiving_unit), timezone.localtime(moment).date()),
        procedure=procedure,
        channel=channel,
        receiving_unit=receiving_unit,
        unit=unit,
        citizen=citizen,
        form_data=clean,
        field_sources=sources,
        status=S.SUBMITTED,
        submitted_at=moment,
        idempotency_key=idempotency_key or None,
        notify_zalo=notify_zalo,
        **data,
    )
    d._portal_last_seq = 0  # no portal message yet (saves the MAX(seq) query)
    return d


def _receive(
    d: Dossier,
    actor,
    *,
    before: dict,
    note: str = "",
    papers_checked: bool = False,
    catalog: CatalogSnapshot | None = None,
) -> Dossier:
    """Valid receipt: start the legal clock, generate the tasks, notify the citizen (form 01).

    `d` may be unsaved (counter intake): `_commit` then inserts it already received."""
    catalog = catalog or catalog_snapshot(d.procedure, d.unit.province_code)
    if not papers_checked:
        have = set(d.papers.exclude(requirement_id=None).values_list("requirement_id", flat=True))
        lacking = [r for r in required_papers(d.procedure, catalog) if r.pk not in have]
        if lacking:
            raise DossierError("missing_papers", names="; ".join(r.name for r in lacking))
    moment = now()
    d.received_at = moment
    d.received_by = actor if getattr(actor, "pk", None) and not getattr(actor, "is_citizen", False) else None
    _start_clock(d, moment, catalog)
    d.original_due_at = d.due_at
    d.status = S.RECEIVED
    tasks = _build_tasks(d, moment, catalog)
    _commit(d, Action.RECEIVE, actor, note=note, before=before, due_at=d.due_at)
    Task.objects.bulk_create(tasks)
    _notify(
        d,
        "received",
        _(
            "Hồ sơ %(code)s (%(proc)s) đã được tiếp nhận lúc %(at)s. Hẹn trả kết quả: %(due)s. "
            "Tra cứu: %(url)s"
        )
        % {
            "code": d.code,
            "proc": d.procedure.name[:80],
            "at": _fmt(moment),
            "due": _fmt(d.due_at),
            "url": public_url(d),
        },
        _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    )
    return d


def _start_clock(d: Dossier, moment: dt.datetime, catalog: CatalogSnapshot | None = None) -> None:
    value, unit = legal_time(d.procedure, d.channel, catalog)
    d.clock_started_at = moment
    d.due_at = catalog_selectors.due_at(
        d.procedure, d.channel, d.unit, moment, legal=(value, unit), calendar=_calendar(d)
    )


def public_url(d: Dossier) -> str:
    return dossier_tracking_url(d.code)


def _task_unit(d: Dossier, step: dict) -> Unit:
    if step.get("agency") is not None:
        return step["agency"]
    kind = str(step.get("unit_kind") or "").lower()
    if kind in ("receiving", "service_desk", "desk", "one_stop"):
        return d.receiving_unit
    return d.unit


def _handover(d: Dossier, moment: dt.datetime) -> dt.datetime:
    """Transfer to the processing officer the same working day; after 15:00, the next working day."""
    cal = _calendar(d)
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


def _open_task(d: Dossier, task: Task, moment: dt.datetime) -> None:
    task.status = TaskStatus.IN_PROGRESS if task.assignee_id else TaskStatus.OPEN
    task.opened_at = moment
    task.due_at = _calendar(d).add_working_hours(moment, task.hours, task.unit.schedule)
    task.save()


def _build_tasks(d: Dossier, moment: dt.datetime, catalog: CatalogSnapshot | None = None) -> list[Task]:
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
    first.due_at = _calendar(d).add_working_hours(opened, first.hours, first.unit.schedule)
    return tasks


def _active_task(d: Dossier) -> Task | None:
    return d.tasks.filter(status__in=ACTIVE_TASK).select_related("unit").order_by("order", "id").first()


def _ensure_task_actor(task: Task, actor, *, allow_leader: bool = True) -> None:
    roles = (task.role, Role.UNIT_LEADER) if allow_leader else (task.role,)
    if not actor.can_act_in(task.unit, *roles):
        raise DossierError("not_allowed")


# --- intake ----------------------------------------------------------------------------------
INTAKE_ACCEPT, INTAKE_SUPPLEMENT, INTAKE_REFUSE = "accept", "supplement", "refuse"


@transaction.atomic
def receive_at_counter(
    *,
    procedure,
    receiving_unit: Unit,
    actor,
    applicant: dict,
    form_data: dict | None = None,
    files: dict | None = None,
    outcome: str = INTAKE_ACCEPT,
    missing: Iterable[str] = (),
    reason: str = "",
    field_sources: dict | None = None,
    channel: str = Channel.COUNTER,
    competent_unit: Unit | None = None,
    idempotency_key: str | None = None,
    notify_zalo: bool = False,
) -> Dossier:
    """Counter (or post) intake: the officer's check ends in accept (form 01), a complete supplement
    request (form 02) or a refusal with reasons (form 03). One action, one transaction."""
    if not actor.can_act_in(receiving_unit, *(Role.DESK_OFFICER, Role.UNIT_LEADER)):
        raise DossierError("not_allowed")
    if idempotency_key:
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.receiving_unit_id != receiving_unit.pk:
                raise DossierError("idempotency_conflict")
            return existing
    if channel not in (Channel.COUNTER, Channel.POST):
        raise DossierError("channel", channel=channel)
    catalog = catalog_snapshot(procedure, receiving_unit.province_code)
    lacking = missing_papers(procedure, files or {}, catalog)
    items = [r.name for r in lacking] + [m.strip() for m in missing if m and m.strip()]
    if outcome == INTAKE_ACCEPT and lacking:
        raise DossierError("missing_papers", names="; ".join(r.name for r in lacking))
    if outcome == INTAKE_SUPPLEMENT and not items:
        raise DossierError("supplement_empty")
    if outcome == INTAKE_REFUSE and not reason.strip():
        raise DossierError("reason_required")
    d = _new_dossier(
        procedure=procedure,
        channel=channel,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        applicant=applicant,
        form_data=form_data or {},
        field_sources=field_sources,
        idempotency_key=idempotency_key,
        notify_zalo=notify_zalo,
        catalog=catalog,
    )
    before = {"status": "", "version": 0, "due_at": None, "unit_id": d.unit_id}
    if outcome == INTAKE_ACCEPT:
        _receive(d, actor, before=before, papers_checked=True, catalog=catalog)
    elif outcome == INTAKE_SUPPLEMENT:
        _intake_supplement(d, actor, items, reason, before=before)
    elif outcome == INTAKE_REFUSE:
        d.refusal_reason = reason.strip()
        _commit(d, Action.REFUSE_RECEIPT, actor, to=S.NOT_RECEIVED, note=d.refusal_reason, before=before)
    else:
        raise DossierError("bad_transition", action=outcome, status="")
    _store_papers(d, files or {}, actor, catalog=catalog)
    return d


def _intake_supplement(
    d: Dossier, actor, items: list[str], reason: str, *, before: dict, action: str = Action.INTAKE_SUPPLEMENT
) -> Dossier:
    d.supplement_items = items
    d.supplement_reason = reason.strip()
    d.supplement_requested_at = now()
    _commit(
        d,
        action,
        actor,
        to=S.SUPPLEMENT_REQUESTED,
        note="; ".join(items),
        before=before,
        items=items,
    )
    _notify(
        d,
        "supplement",
        _("Hồ sơ %(code)s cần bổ sung: %(items)s.") % {"code": d.code, "items": "; ".join(items)},
        _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    )
    return d


@transaction.atomic
def submit_online(
    *,
    procedure,
    citizen_user,
    applicant: dict,
    form_data: dict,
    files: dict,
    channel: str = Channel.ONLINE,
    idempotency_key: str,
    receiving_unit: Unit | None = None,
    competent_unit: Unit | None = None,
    field_sources: dict | None = None,
    notify_zalo: bool = False,
) -> Dossier:
    """A citizen files online or at a kiosk: the dossier waits for the desk's check (status 1).

    Without `receiving_unit` the dossier goes to the desk of the competent unit found from the
    applicant's address (routing by competence)."""
    if channel not in (Channel.ONLINE, Channel.KIOSK):
        raise DossierError("channel", channel=channel)
    if citizen_user is None or not getattr(citizen_user, "is_authenticated", False):
        raise DossierError("not_allowed")
    if getattr(procedure, "online_level", "full") == "none" and channel == Channel.ONLINE:
        raise DossierError("channel", channel=Channel(channel).label)
    existing = Dossier.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
    if existing is not None:
        if existing.citizen_id != citizen_user.pk:
            raise DossierError("idempotency_conflict")
        return existing
    catalog = catalog_snapshot(procedure, receiving_unit.province_code if receiving_unit else None)
    lacking = missing_papers(procedure, files or {}, catalog)
    if lacking:
        raise DossierError("missing_papers", names="; ".join(r.name for r in lacking))
    applicant = dict(applicant)
    if receiving_unit is None:
        from motcua.org.selectors import find_unit_in_text

        address = str(applicant.get("address") or applicant.get("applicant_address") or "")
        found = find_unit_in_text(address) if address else None
        receiving_unit = competent_unit or route_competent_unit(procedure, found or _default_unit(), "")
    d = _new_dossier(
        procedure=procedure,
        channel=channel,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        applicant=applicant,
        form_data=form_data,
        field_sources=field_sources,
        citizen=citizen_user,
        idempotency_key=idempotency_key,
        notify_zalo=notify_zalo,
        catalog=catalog,
    )
    _commit(
        d,
        Action.SUBMIT,
        citizen_user,
        before={"status": "", "version": 0, "due_at": None, "unit_id": d.unit_id},
    )
    _store_papers(d, files, citizen_user, catalog=catalog)
    return d


def _default_unit() -> Unit:
    return Unit.objects.filter(
        province_code=settings.MOTCUA_PROVINCE_CODE, valid_to__isnull=True, kind=UnitKind.PROVINCE
    ).first()


@transaction.atomic
def register_submission(
    *,
    procedure,
    receiving_unit: Unit,
    actor,
    applicant: dict,
    form_data: dict | None = None,
    channel: str = Channel.POST,
    idempotency_key: str | None = None,
    competent_unit: Unit | None = None,
    field_sources: dict | None = None,
) -> Dossier:
    """Record a dossier that arrived by post or from another agency's system (status 1, papers follow)."""
    if not actor.can_act_in(receiving_unit, Role.DESK_OFFICER, Role.UNIT_LEADER):
        raise DossierError("not_allowed")
    if idempotency_key:
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.receiving_unit_id != receiving_unit.pk:
                raise DossierError("idempotency_conflict")
            return existing
    if channel not in Channel.values:
        raise DossierError("channel", channel=channel)
    d = _new_dossier(
        procedure=procedure,
        channel=channel,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        applicant=applicant,
        form_data=form_data or {},
        field_sources=field_sources,
        idempotency_key=idempotency_key,
    )
    return _commit(
        d, Action.SUBMIT, actor, before={"status": "", "version": 0, "due_at": None, "unit_id": d.unit_id}
    )


@transaction.atomic
def add_paper(dossier: Dossier, *, actor, requirement_id: int | None, file) -> DossierPaper:
    """Attach a scan to a dossier waiting for the desk's check or for the citizen's supplement."""
    d = _lock(dossier)
    ensure_transition(d, Action.ADD_PAPER, actor)
    if requirement_id is not None and not _catalog().papers(d.procedure).filter(pk=requirement_id).exists():
        raise DossierError("form_choice", label=_("Thành phần hồ sơ"))
    key = requirement_id if requirement_id is not None else "x"
    (paper,) = _store_papers(d, {key: file}, actor, supplement=d.status == "supplement_requested")
    _commit(d, Action.ADD_PAPER, actor, note=paper.name, public=False, paper=paper.name, sha256=paper.sha256)
    return paper


@transaction.atomic
def receive(dossier: Dossier, *, actor, expected_version: int | None = None) -> Dossier:
    """The desk accepts an online/kiosk dossier after checking it: valid receipt, form 01."""
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.RECEIVE, actor)
    return _receive(d, actor, before=_snapshot(d))


@transaction.atomic
def request_supplement_at_intake(
    dossier: Dossier, *, actor, items: Iterable[str], reason: str = "", expected_version: int | None = None
) -> Dossier:
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.INTAKE_SUPPLEMENT, actor)
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise DossierError("supplement_empty")
    return _intake_supplement(d, actor, items, reason, before=_snapshot(d))


@transaction.atomic
def refuse_receipt(dossier: Dossier, *, actor, reason: str, expected_version: int | None = None) -> Dossier:
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.REFUSE_RECEIPT, actor)
    if not reason.strip():
        raise DossierError("reason_required")
    d.refusal_reason = reason.strip()
    return _commit(d, Action.REFUSE_RECEIPT, actor, to=S.NOT_RECEIVED, note=d.refusal_reason)


# --- queues: claim, assign, complete, return ---------------------------------------------------
def _locked_task(task: Task | int, d: Dossier) -> Task:
    pk = task.pk if isinstance(task, Task) else task
    return Task.objects.select_related("unit", "assignee").get(pk=pk, dossier=d)


@transaction.atomic
def claim_task(task: Task, *, actor, expected_version: int | None = None) -> Task:
    """An officer takes a task from the unit queue. Two at once: the first wins, the second is told who."""
    d = _lock(task.dossier_id, expected_version)
    task = _locked_task(task, d)
    if task.status == TaskStatus.IN_PROGRESS and task.assignee_id:
        if task.assignee_id == actor.pk:
            return task
        raise DossierError("task_taken", name=str(task.assignee))
    if task.status != TaskStatus.OPEN:
        raise DossierError("task_not_active")
    ensure_transition(d, Action.CLAIM, actor, unit=task.unit)
    _ensure_task_actor(task, actor, allow_leader=False)
    task.assignee = actor
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["assignee", "status"])
    _commit(d, Action.CLAIM, actor, to=S.PROCESSING, task=task, note=task.name)
    return task


@transaction.atomic
def assign_task(task: Task, *, actor, assignee, expected_version: int | None = None) -> Task:
    """The leader assigns (or reassigns) a task to an officer holding the step's role in its unit."""
    d = _lock(task.dossier_id, expected_version)
    task = _locked_task(task, d)
    if task.status not in ACTIVE_TASK:
        raise DossierError("task_not_active")
    ensure_transition(d, Action.ASSIGN, actor, unit=task.unit)
    if not assignee.can_act_in(task.unit, task.role):
        raise DossierError("not_allowed")
    previous = str(task.assignee) if task.assignee_id else ""
    task.assignee = assignee
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["assignee", "status"])
    _commit(
        d,
        Action.ASSIGN,
        actor,
        to=S.PROCESSING,
        task=task,
        public=False,
        note=_("Giao %(who)s") % {"who": assignee} + (f" ({_('thay')} {previous})" if previous else ""),
    )
    return task


@transaction.atomic
def complete_task(
    task: Task, *, actor, note: str = "", decision: str = "approve", expected_version: int | None = None
) -> Task:
    """Finish a step. The last step's approval makes the result ready; a leader may refuse instead."""
    d = _lock(task.dossier_id, expected_version)
    task = _locked_task(task, d)
    if task.status not in ACTIVE_TASK:
        raise DossierError("task_not_active")
    ensure_transition(d, Action.COMPLETE_STEP, actor, unit=task.unit)
    _ensure_task_actor(task, actor)
    if (
        task.assignee_id
        and task.assignee_id != actor.pk
        and not actor.can_act_in(task.unit, Role.UNIT_LEADER)
    ):
        raise DossierError("task_not_yours", name=str(task.assignee))
    moment = now()
    task.assignee = task.assignee or actor
    task.status = TaskStatus.DONE
    task.completed_at = moment
    task.note = note
    task.save()
    if decision == "refuse":
        if not note.strip():
            raise DossierError("reason_required")
        d.tasks.filter(status__in=[TaskStatus.WAITING, *ACTIVE_TASK]).update(status=TaskStatus.CANCELLED)
        d.refusal_reason = note.strip()
        d.result_ready_at = moment
        _commit(d, Action.COMPLETE_STEP, actor, to=S.REFUSED, task=task, note=note, decision="refuse")
        _notify_result(d)
        return task
    following = (
        d.tasks.filter(status=TaskStatus.WAITING, order__gt=task.order).order_by("order", "id").first()
    )
    if following is not None:
        _open_task(d, following, moment)
        _commit(
            d, Action.COMPLETE_STEP, actor, to=S.PROCESSING, task=task, note=note, next_step=following.name
        )
    else:
        d.result_ready_at = moment
        _commit(d, Action.COMPLETE_STEP, actor, to=S.RESULT_READY, task=task, note=note, decision="approve")
        _notify_result(d)
    return task


def _notify_result(d: Dossier) -> None:
    _notify(
        d,
        "result",
        _(
            "Hồ sơ %(code)s đã có kết quả. Mời ông/bà nhận kết quả tại %(unit)s hoặc theo hình thức đã đăng ký."
        )
        % {"code": d.code, "unit": d.receiving_unit.name},
        _("Thông báo có kết quả giải quyết hồ sơ"),
    )


@transaction.atomic
def return_task(task: Task, *, actor, reason: str, expected_version: int | None = None) -> Task:
    """Send the dossier back to the previous step with a reason (it goes to whoever did that step)."""
    d = _lock(task.dossier_id, expected_version)
    task = _locked_task(task, d)
    if task.status not in ACTIVE_TASK:
        raise DossierError("task_not_active")
    ensure_transition(d, Action.RETURN_STEP, actor, unit=task.unit)
    _ensure_task_actor(task, actor)
    if not reason.strip():
        raise DossierError("reason_required")
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
    _open_task(d, previous, now())
    _commit(
        d, Action.RETURN_STEP, actor, to=S.PROCESSING, task=previous, note=reason.strip(), from_step=task.name
    )
    return previous


# --- supplement, fees, linked processing --------------------------------------------------------
@transaction.atomic
def request_supplement(
    dossier: Dossier, *, actor, items: Iterable[str], reason: str = "", expected_version: int | None = None
) -> Dossier:
    """After appraisal: within 3 working days of receipt, once, one complete list (form 02)."""
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.REQUEST_SUPPLEMENT, actor)
    if d.supplement_requested_at is not None:
        raise DossierError("supplement_once")
    cal = _calendar(d)
    received = timezone.localtime(d.received_at).date()
    if cal.working_days_between(received, timezone.localtime(now()).date()) > SUPPLEMENT_WINDOW_DAYS:
        raise DossierError("supplement_late")
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise DossierError("supplement_empty")
    return _intake_supplement(d, actor, items, reason, before=_snapshot(d), action=Action.REQUEST_SUPPLEMENT)


def _apply_supplement(d: Dossier, actor, files: dict, note: str) -> Dossier:
    before = _snapshot(d)
    _store_papers(d, files or {}, actor, supplement=True)
    moment = now()
    d.supplemented_at = moment
    if d.received_at is None:
        return _commit(d, Action.SUPPLEMENT, actor, to=S.SUBMITTED, note=note, before=before)
    # The legal time restarts from zero (it does not pause).
    _start_clock(d, moment)
    d.overdue = False
    d.original_due_at = d.due_at
    task = _active_task(d)
    if task is not None:
        _open_task(d, task, moment)
    return _commit(d, Action.SUPPLEMENT, actor, to=S.PROCESSING, note=note, before=before, due_at=d.due_at)


@transaction.atomic
def supplement(
    dossier: Dossier, *, actor, files: dict | None = None, note: str = "", expected_version: int | None = None
) -> Dossier:
    """The citizen's supplement, received at the counter."""
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.SUPPLEMENT, actor)
    return _apply_supplement(d, actor, files or {}, note)


@transaction.atomic
def supplement_online(dossier: Dossier, *, citizen_user, files: dict, note: str = "") -> Dossier:
    d = _lock(dossier)
    if d.citizen_id is None or d.citizen_id != getattr(citizen_user, "pk", None):
        raise DossierError("not_citizen_owner")
    ensure_transition(d, Action.SUPPLEMENT, citizen_user)
    return _apply_supplement(d, citizen_user, files, note)


@transaction.atomic
def request_fee(dossier: Dossier, *, actor, note: str = "", expected_version: int | None = None) -> Dossier:
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.REQUEST_FEE, actor)
    return _commit(d, Action.REQUEST_FEE, actor, to=S.FEE_REQUESTED, note=note)


@transaction.atomic
def confirm_fee(dossier: Dossier, *, actor, note: str = "", expected_version: int | None = None) -> Dossier:
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.FEE_PAID, actor)
    return _commit(d, Action.FEE_PAID, actor, to=S.PROCESSING, note=note)


@transaction.atomic
def transfer_out(
    dossier: Dossier,
    *,
    actor,
    to_unit: Unit,
    hours: float,
    note: str = "",
    expected_version: int | None = None,
) -> Transfer:
    """Linked processing: hand the dossier to another agency with its own time share."""
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.TRANSFER_OUT, actor)
    if to_unit.pk == d.unit_id:
        raise DossierError("transfer_unit")
    if not hours or float(hours) <= 0:
        raise DossierError("transfer_hours")
    moment = now()
    transfer = Transfer.objects.create(
        dossier=d,
        from_unit=d.unit,
        to_unit=to_unit,
        hours=float(hours),
        sent_at=moment,
        due_at=_calendar(d).add_working_hours(moment, float(hours), to_unit.schedule),
        note=note,
        sent_by=actor,
    )
    _commit(
        d,
        Action.TRANSFER_OUT,
        actor,
        to=S.LINKED,
        note=note,
        unit=to_unit,
        to_unit=to_unit.name,
        hours=float(hours),
        transfer_due=transfer.due_at,
    )
    return transfer


@transaction.atomic
def transfer_back(
    transfer: Transfer, *, actor, reply: str = "", expected_version: int | None = None
) -> Transfer:
    d = _lock(transfer.dossier_id, expected_version)
    transfer = Transfer.objects.select_related("to_unit").get(pk=transfer.pk)
    ensure_transition(d, Action.TRANSFER_BACK, actor, unit=transfer.to_unit)
    if transfer.returned_at is not None:
        raise DossierError("task_not_active")
    transfer.returned_at = now()
    transfer.reply = reply
    transfer.returned_by = actor
    transfer.save()
    _commit(
        d,
        Action.TRANSFER_BACK,
        actor,
        to=S.PROCESSING,
        note=reply,
        unit=transfer.to_unit,
        on_time=transfer.returned_at <= transfer.due_at,
    )
    return transfer


# --- deadlines: apology, overdue --------------------------------------------------------------
def apology_allowed(d: Dossier, at: dt.datetime | None = None) -> bool:
    """At least one working day must remain before the due time, and only once."""
    if d.apologised_at is not None or d.due_at is None:
        return False
    cal = _calendar(d)
    today = timezone.localtime(at or now()).date()
    return cal.working_days_between(today, timezone.localtime(d.due_at).date()) >= 1


@transaction.atomic
def apologise(
    dossier: Dossier, *, actor, new_due_date: dt.date, reason: str, expected_version: int | None = None
) -> Dossier:
    """Apology letter with a new date (form 04): at least one working day ahead, only once."""
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.APOLOGISE, actor)
    if d.apologised_at is not None:
        raise DossierError("apology_once")
    if not reason.strip():
        raise DossierError("reason_required")
    if not apology_allowed(d):
        raise DossierError("apology_too_late")
    cal = _calendar(d)
    new_day = new_due_date if cal.is_working_day(new_due_date) else cal.next_working_day(new_due_date)
    new_due = dt.datetime.combine(
        new_day, d.unit.schedule.closing, tzinfo=timezone.localtime(d.due_at).tzinfo
    )
    if new_due <= d.due_at:
        raise DossierError("apology_date")
    before = _snapshot(d)
    d.apologised_at = now()
    d.apology_reason = reason.strip()
    d.due_at = new_due
    _commit(d, Action.APOLOGISE, actor, note=d.apology_reason, before=before, new_due_at=new_due)
    _notify(
        d,
        "apology",
        _("Xin lỗi ông/bà: hồ sơ %(code)s chưa thể trả đúng hẹn vì %(reason)s. Hẹn lại: %(due)s.")
        % {"code": d.code, "reason": d.apology_reason, "due": _fmt(new_due)},
        _("Thư xin lỗi và hẹn lại ngày trả kết quả"),
    )
    return d


def flag_overdue(at: dt.datetime | None = None) -> int:
    """Periodic: flag open dossiers past their due time (and clear the flag when no longer true)."""
    moment = at or now()
    count = 0
    for pk in Dossier.objects.filter(
        status__in=[S.RECEIVED, S.PROCESSING, S.LINKED, S.FEE_REQUESTED], overdue=False, due_at__lt=moment
    ).values_list("pk", flat=True)[:5000]:
        with transaction.atomic():
            d = _lock(pk)
            if d.overdue or d.due_at is None or d.due_at >= moment or not d.is_open:
                continue
            d.overdue = True
            d.save(update_fields=["overdue", "updated_at"])
            _event(d, "overdue", "system", from_status=d.status, public=False, due_at=d.due_at)
            audit.record("dossiers.overdue", actor="system", obj=d, after={"due_at": d.due_at})
            count += 1
    return count


# --- results and closing ----------------------------------------------------------------------
@transaction.atomic
def attach_result(dossier: Dossier, *, actor, file, name: str) -> ResultPaper:
    d = _lock(dossier)
    ensure_transition(d, Action.ATTACH_RESULT, actor)
    content_type, ext, size, digest = check_upload(file, error=DossierError)
    paper = ResultPaper(
        dossier=d,
        name=(name or getattr(file, "name", "") or _("Kết quả"))[:300],
        content_type=content_type,
        size=size,
        sha256=digest,
        uploaded_by=actor,
    )
    file.seek(0)
    paper.file.save(f"{d.code}-result-{digest[:8]}.{ext}", ContentFile(file.read()), save=False)
    paper.save()
    _commit(d, Action.ATTACH_RESULT, actor, note=paper.name, public=False, result=paper.name, sha256=digest)
    return paper


def classify(result_at: dt.datetime, due_at: dt.datetime) -> str:
    """Early: finished before the due day; on time: by the due time; late: after it."""
    if result_at > due_at:
        return Outcome.LATE
    if timezone.localtime(result_at).date() < timezone.localtime(due_at).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


@transaction.atomic
def return_result(
    dossier: Dossier, *, actor, channel: str = Channel.COUNTER, expected_version: int | None = None
) -> Dossier:
    """Hand the result over (counter, post or online; early return allowed); classify the outcome."""
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.RETURN_RESULT, actor)
    if d.status == S.RESULT_READY and not d.results.exists():
        raise DossierError("no_result")
    if channel not in Channel.values:
        raise DossierError("channel", channel=channel)
    before = _snapshot(d)
    d.returned_at = now()
    d.return_channel = channel
    # Lateness is judged against the legal due time; an apology's new date does not erase it.
    d.outcome = classify(d.result_ready_at or d.returned_at, d.original_due_at or d.due_at or d.returned_at)
    d.overdue = False
    return _commit(
        d, Action.RETURN_RESULT, actor, to=S.RETURNED, before=before, channel=channel, outcome=d.outcome
    )


@transaction.atomic
def stop(dossier: Dossier, *, actor, reason: str, expected_version: int | None = None) -> Dossier:
    """Stop processing on the applicant's request (stop notice, form 05; TT 03/2025 Art 7)."""
    d = _lock(dossier, expected_version)
    ensure_transition(d, Action.STOP, actor)
    if not reason.strip():
        raise DossierError("reason_required")
    d.stop_reason = reason.strip()
    d.tasks.filter(status__in=[TaskStatus.WAITING, *ACTIVE_TASK]).update(status=TaskStatus.CANCELLED)
    return _commit(d, Action.STOP, actor, to=S.STOPPED, note=d.stop_reason)


@transaction.atomic
def withdraw(dossier: Dossier, *, citizen_user, reason: str = "") -> Dossier:
    d = _lock(dossier)
    ensure_transition(d, Action.WITHDRAW, citizen_user)
    d.stop_reason = reason.strip()
    return _commit(d, Action.WITHDRAW, citizen_user, to=S.WITHDRAWN, note=d.stop_reason)


def is_unique_violation(exc: Exception) -> bool:
    return isinstance(exc, IntegrityError)
