"""Reads of the catalog that other apps (dossiers, portal, civil, assistant) and our views use.

The catalog is public information: none of these reads is unit-scoped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Model, Q, QuerySet
from django.utils import timezone

from motcua.catalog.errors import CatalogError
from motcua.catalog.models import (
    Channel,
    DecisionEffect,
    Fee,
    FormField,
    FormFieldType,
    ProcedureStatus,
    ProcedureTime,
    ProcessStep,
    RegistryField,
    Requirement,
    RequirementKind,
)

# The row types other apps annotate with: they reach these rows only through the selectors below.
from motcua.catalog.models import InternalProcess as InternalProcess
from motcua.catalog.models import Procedure as Procedure
from motcua.catalog.search import catalog_index
from motcua.core.calendar import LegalCalendar, LegalTimeUnit, calendar_for
from motcua.core.dates import parse_date
from motcua.core.models import CalendarOverride
from motcua.core.validation import date_in_future, is_personal_id, personal_id_error
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
    `required`/`kind`/`condition`/`quantity`, process dates/units and override kinds change the sums. Anything else (a paper
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
        f" SUM(CASE WHEN kind = 'submit' THEN id ELSE 0 END), SUM(CASE WHEN {q('condition')} IS NULL THEN 0 ELSE id END),"
        f" SUM(quantity * id) FROM {t(Requirement)} WHERE procedure_id = %s) r, "
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


# A declaration value longer than this is refused when its field names no maximum of its own.
DECLARATION_TEXT_MAX = 2000


def _choice_values(choices: object) -> list[str]:
    """A field's choices as the strings a caller sends (plain values or {"value": ..., "label": ...})."""
    listed = choices if isinstance(choices, list) else []
    return [str(c.get("value", c)) if isinstance(c, dict) else str(c) for c in listed]


def _declaration_value(f: FormField, value: object, text: str) -> object:
    """One non-empty value checked against its field: the cleaned value, or CatalogError."""
    limit = f.max_length or DECLARATION_TEXT_MAX
    if len(text) > limit:
        raise CatalogError("form_too_long", label=f.label, max=limit)
    if f.field_type == FormFieldType.NUMBER:
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise CatalogError("form_number", label=f.label) from None
        if not number.is_finite() or isinstance(value, bool):
            raise CatalogError("form_number", label=f.label)
        return float(number) if "." in text or number != number.to_integral_value() else int(number)
    if f.field_type == FormFieldType.DATE:
        try:
            day = parse_date(text)  # dd/mm/yyyy as typed, or ISO from links and API clients
        except ValueError:
            raise CatalogError("form_date", label=f.label) from None
        if day > timezone.localdate():  # births, deaths, issue dates: a child born 9999-12-31 was taken
            raise CatalogError("form_date_future", label=f.label)
        return day.isoformat()
    if f.field_type == FormFieldType.CHOICE:
        allowed = _choice_values(f.choices)
        if allowed and text not in allowed:
            raise CatalogError("form_choice", label=f.label, choices=", ".join(allowed))
        return value.strip() if isinstance(value, str) else value
    if f.field_type == FormFieldType.PERSONAL_ID and not is_personal_id(text):
        raise CatalogError("form_personal_id", label=f.label)
    return text


def clean_declaration(
    fields: Iterable[FormField], data: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, CatalogError]]:
    """THE declaration rule (the portal wizard, the counter, the API): each value checked against its
    form field. Returns the cleaned values and, per field key, the refusal (`.code`, Vietnamese `.message`);
    attachments are papers, not values, and are left to the paper checks."""
    clean: dict[str, object] = {}
    errors: dict[str, CatalogError] = {}
    for f in fields:
        if f.field_type == FormFieldType.ATTACHMENT:
            continue
        value = data.get(f.key)
        text = "" if value is None else str(value).strip()
        if not text:
            if f.required:
                errors[f.key] = CatalogError("form_required", label=f.label)
            continue
        try:
            clean[f.key] = _declaration_value(f, value, text)
        except CatalogError as exc:
            errors[f.key] = exc
    return clean, errors


def validate_declaration(procedure: Procedure, data: Mapping[str, object]) -> dict[str, str]:
    """Check submitted declaration values against the form fields: {key: Vietnamese error}."""
    _clean, errors = clean_declaration(form_fields(procedure), data)
    return {key: exc.message for key, exc in errors.items()}


def paper_conditions(papers: Iterable[Requirement]) -> list[dict[str, Any]]:
    """The distinct conditions of a procedure's papers, each asked once (yes/no) by the wizard and the
    counter: `key` (the first paper's id, the form field is `cond_<key>`), `text`, `papers` (their ids)."""
    found: dict[str, dict[str, Any]] = {}
    for paper in papers:
        if paper.condition is None or paper.kind not in (RequirementKind.SUBMIT, RequirementKind.SHOW):
            continue
        entry = found.setdefault(paper.condition, {"key": paper.pk, "text": paper.condition, "papers": []})
        entry["papers"].append(paper.pk)
    return list(found.values())


def answers_from(data: Mapping[str, Any], conditions: list[dict[str, Any]]) -> dict[str, bool]:
    """{paper id: the applicant's case needs it} from a form's `cond_<key>` = "yes"/"no" answers."""
    answers: dict[str, bool] = {}
    for condition in conditions:
        yes = str(data.get(f"cond_{condition['key']}", "")).strip().lower() in (
            "yes",
            "1",
            "true",
            "co",
            "có",
        )
        for pk in condition["papers"]:
            answers[str(pk)] = yes
    return answers


def declaration_registry_problems(fields: Iterable[FormField], data: Mapping[str, Any]) -> dict[str, str]:
    """What a registry would refuse in a declaration beyond each field's own type: a date after today (a
    birth, a death, an issue date), and a personal ID number whose birth year differs from the date of
    birth declared for the same person. {key: Vietnamese sentence}; called next to the per-field check."""
    errors: dict[str, str] = {}
    fields = list(fields)
    births: dict[str, dt.date] = {}
    for f in fields:
        if f.field_type != FormFieldType.DATE:
            continue
        try:
            day = dt.date.fromisoformat(str(data.get(f.key) or "").strip())
        except ValueError:
            continue
        if date_in_future(day):
            errors[f.key] = CatalogError("form_date_future", label=f.label).message
        elif f.registry_field == RegistryField.DATE_OF_BIRTH:
            births[f.registry_subject or "applicant"] = day
    for f in fields:
        if f.field_type != FormFieldType.PERSONAL_ID and f.registry_field != RegistryField.PERSONAL_ID:
            continue
        birth = births.get(f.registry_subject or "applicant")
        text = str(data.get(f.key) or "").strip()
        if birth is None or not text or f.key in errors:
            continue
        problem = personal_id_error(text, date_of_birth=birth)
        if problem:
            errors[f.key] = CatalogError("form_personal_id_detail", label=f.label, detail=problem).message
    return errors


def fee_for(procedure: Procedure, channel: str) -> Fee | None:
    """The fee of a channel (or the one for every channel); None when the catalog names none."""
    fees = list(procedure.fees.all())
    return next((f for f in fees if f.channel == channel), None) or next(
        (f for f in fees if not f.channel), None
    )
