"""Reads of the catalog that other apps (dossiers, portal, civil, assistant) and our views use.

The catalog is public information: none of these reads is unit-scoped.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Model, Q, QuerySet
from django.utils import timezone

from motcua.catalog.errors import CatalogError
from motcua.catalog.models import (
    Channel,
    DecisionEffect,
    FormField,
    FormFieldType,
    InternalProcess,
    Procedure,
    ProcedureStatus,
    ProcedureTime,
    ProcessStep,
    Requirement,
)
from motcua.catalog.search import catalog_index
from motcua.core.calendar import LegalCalendar, LegalTimeUnit, calendar_for
from motcua.core.models import CalendarOverride
from motcua.core.validation import is_personal_id
from motcua.org.models import Unit

CODE_RE = re.compile(r"^\d\.\d{6}$")


def normalise_code(code: str) -> str:
    """'1.001193.000.00.00.H29' -> '1.001193' (the national code)."""
    code = (code or "").strip()
    match = re.match(r"^(\d\.\d{6})", code)
    return match.group(1) if match else code


def get_procedure(code: str) -> Procedure | None:
    """A procedure by national code (a local suffix is ignored), any status."""
    return (
        Procedure.objects.select_related("field", "successor", "competent_agency")
        .filter(code=normalise_code(code))
        .first()
    )


def active_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(status=ProcedureStatus.ACTIVE).select_related("field")


def procedure_names(ids: list[int]) -> dict[int, str]:
    """Names of procedures by id (current or not): reports and dashboards label their rows with them."""
    return dict(Procedure.objects.filter(pk__in=ids).values_list("id", "name"))


def _channel(channel: str | None) -> str:
    if channel in (Channel.ONLINE, "portal"):
        return Channel.ONLINE
    if channel == Channel.POST:
        return Channel.POST
    return Channel.COUNTER  # counter, kiosk, None


def legal_time(procedure: Procedure, channel: str | None = "counter") -> tuple[Decimal | int, str]:
    """(value, LegalTimeUnit) for a channel; falls back to the counter time, then the procedure default.

    (0, "same_day") when the catalog records no time at all: the safest reading for the counter.
    """
    wanted = _channel(channel)
    times = {t.channel: t for t in procedure.times.all()}
    for key in (wanted, Channel.COUNTER, Channel.ONLINE, Channel.POST):
        if key in times:
            return times[key].value, times[key].unit
    if procedure.time_value is not None:
        return procedure.time_value, procedure.time_unit
    return 0, LegalTimeUnit.SAME_DAY


def due_at(
    procedure: Procedure,
    channel: str | None,
    unit: Unit,
    received_at: dt.datetime,
    *,
    legal: tuple[Decimal | float | int, str] | None = None,
    calendar: LegalCalendar | None = None,
) -> dt.datetime:
    """When a dossier of `procedure` received at `unit` at `received_at` is due (the one due-time rule).

    The legal time for the channel, counted on the province's legal calendar inside the unit's office
    hours. Callers that cache the legal time or the calendar pass them in (`legal`, `calendar`).
    """
    value, time_unit = legal if legal is not None else legal_time(procedure, channel)
    calendar = calendar if calendar is not None else calendar_for(unit.province_code)
    return calendar.due_at(received_at, float(value), time_unit, unit.schedule)


def intake_stamp(procedure_id: int, province_code: str) -> tuple[tuple, tuple] | None:
    """One query: a fingerprint of the procedure's catalog rows and of the province's calendar overrides.

    Catalog writes replace child rows (new ids) or save the procedure (updated_at); in-place edits of
    `required`/`kind`, process dates/units and override kinds change the sums. Anything else (a paper
    renamed in place by raw SQL) is picked up by the caller's TTL. Read-only; table names come from the
    models. The dossiers app calls it on every intake to keep its catalog cache fresh.
    """
    q = connection.ops.quote_name

    def t(model: type[Model]) -> str:
        return q(model._meta.db_table)

    sql = (
        "SELECT p.updated_at, p.status, r.*, f.*, pt.*, ip.*, st.*, co.* "
        f"FROM {t(Procedure)} p, "
        "(SELECT COUNT(*), MAX(id), SUM(CASE WHEN required THEN id ELSE 0 END), "
        f" SUM(CASE WHEN kind = 'submit' THEN id ELSE 0 END) FROM {t(Requirement)} WHERE procedure_id = %s) r, "
        "(SELECT COUNT(*), MAX(id), SUM(CASE WHEN required THEN id ELSE 0 END) "
        f" FROM {t(FormField)} WHERE procedure_id = %s) f, "
        f"(SELECT COUNT(*), MAX(id) FROM {t(ProcedureTime)} WHERE procedure_id = %s) pt, "
        "(SELECT COUNT(*), MAX(id), MAX(effective_from), SUM(CASE WHEN unit_id IS NULL THEN 0 ELSE id END) "
        f" FROM {t(InternalProcess)} WHERE procedure_id = %s) ip, "
        f"(SELECT COUNT(*), MAX(s.id) FROM {t(ProcessStep)} s JOIN {t(InternalProcess)} x "
        " ON s.process_id = x.id WHERE x.procedure_id = %s) st, "
        "(SELECT COUNT(*), MAX(id), SUM(CASE WHEN kind = 'off' THEN id ELSE 0 END) "
        f" FROM {t(CalendarOverride)} WHERE province_code = %s) co "
        "WHERE p.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [procedure_id] * 5 + [province_code, procedure_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return tuple(row[:-3]), tuple(row[-3:])


def legal_time_hours(procedure: Procedure, channel: str | None = "counter") -> Decimal | None:
    """Legal time in working hours (working days x 8 h); None for calendar-day limits."""
    value, unit = legal_time(procedure, channel)
    value = Decimal(value)
    if unit == LegalTimeUnit.HOURS:
        return value
    if unit == LegalTimeUnit.SAME_DAY:
        return Decimal(8)
    if unit == LegalTimeUnit.WORKING_DAYS:
        return max(value, Decimal(1)) * 8
    if unit == LegalTimeUnit.DAYS:
        # N calendar days contain at least floor(N * 5 / 7) working days.
        return Decimal(int(value * 5 / 7)) * 8
    return None


def current_process(
    procedure: Procedure, on: dt.date | None = None, unit: Unit | None = None
) -> InternalProcess | None:
    """The internal process version in force on `on` (today by default); a unit's own version wins."""
    on = on or timezone.localdate()
    qs = InternalProcess.objects.filter(procedure=procedure, effective_from__lte=on)
    if unit is not None:
        own = qs.filter(unit=unit).order_by("-effective_from", "-version").first()
        if own:
            return own
    return qs.filter(unit__isnull=True).order_by("-effective_from", "-version").first()


def process_versions(procedure: Procedure) -> QuerySet[InternalProcess]:
    return procedure.processes.select_related("decision").prefetch_related("steps").order_by("version")


def papers(procedure: Procedure) -> QuerySet[Requirement]:
    return procedure.requirements.order_by("order", "id")


def form_fields(procedure: Procedure) -> QuerySet[FormField]:
    return procedure.form_fields.order_by("order", "id")


def ensure_can_receive(procedure: Procedure) -> None:
    """Raise CatalogError when the procedure may no longer receive new dossiers."""
    if procedure.status == ProcedureStatus.ACTIVE:
        return
    successor = procedure.successor
    label = f"{successor.code} – {successor.name}" if successor else ""
    if procedure.status == ProcedureStatus.REPLACED and successor:
        raise CatalogError("procedure_replaced", successor=label)
    if successor:
        raise CatalogError("procedure_abolished_successor", successor=label)
    raise CatalogError("procedure_abolished")


def procedure_url(procedure: Procedure) -> str:
    return f"/thu-tuc/{procedure.code}/"


def submit_url(procedure: Procedure) -> str:
    return f"/nop-ho-so/{procedure.code}/"


def history(procedure: Procedure) -> QuerySet[DecisionEffect]:
    """Every decision that touched the procedure (as subject or as successor), oldest first."""
    return (
        DecisionEffect.objects.filter(Q(procedure=procedure) | Q(successor=procedure))
        .select_related("decision", "procedure", "successor")
        .order_by("decision__date", "decision__number", "id")
    )


def _index_stamp():
    agg = Procedure.objects.filter(status=ProcedureStatus.ACTIVE).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (agg["n"], agg["last"])


def search(q: str, limit: int = 20, *, queryset: QuerySet[Procedure] | None = None) -> list[Procedure]:
    """Active procedures matching a citizen's words, best first (diacritics/case/misspelling tolerant)."""
    q = (q or "").strip()
    if not q:
        return []
    index = catalog_index(Procedure.objects.filter(status=ProcedureStatus.ACTIVE), _index_stamp)
    ranked = index.search(q, limit=limit if queryset is None else max(limit * 10, 200))
    ids = [pk for pk, _score in ranked]
    base = queryset if queryset is not None else active_procedures()
    found = base.filter(pk__in=ids).select_related("field")
    if queryset is None:
        found = found.prefetch_related("times")
    by_id = {p.pk: p for p in found}
    return [by_id[pk] for pk in ids if pk in by_id][:limit]


def validate_declaration(procedure: Procedure, data: dict) -> dict[str, str]:
    """Check submitted declaration values against the form fields: {key: Vietnamese error}."""
    errors: dict[str, str] = {}
    for f in form_fields(procedure):
        if f.field_type == FormFieldType.ATTACHMENT:
            continue
        value = data.get(f.key)
        text = "" if value is None else str(value).strip()
        if not text:
            if f.required:
                errors[f.key] = CatalogError("form_required", label=f.label).message
            continue
        if f.max_length and len(text) > f.max_length:
            errors[f.key] = CatalogError("form_too_long", label=f.label, max=f.max_length).message
        elif f.field_type == FormFieldType.NUMBER:
            try:
                Decimal(text)
            except Exception:  # noqa: BLE001
                errors[f.key] = CatalogError("form_number", label=f.label).message
        elif f.field_type == FormFieldType.DATE:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                errors[f.key] = CatalogError("form_date", label=f.label).message
        elif f.field_type == FormFieldType.CHOICE and f.choices and text not in [str(c) for c in f.choices]:
            errors[f.key] = CatalogError(
                "form_choice", label=f.label, choices=", ".join(map(str, f.choices))
            ).message
        elif f.field_type == FormFieldType.PERSONAL_ID and not is_personal_id(text):
            errors[f.key] = CatalogError("form_personal_id", label=f.label).message
    return errors
