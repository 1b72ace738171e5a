"""Civil status writes: registration with duplicate checks, changes, extract copies, marital status.

Every function is one transaction with its audit entry. Registering happens at the registering unit; an
extract copy is issued by ANY unit of the province, whatever unit registered the event (Luật Hộ tịch
Arts 63-64); a marital status certificate checks marriages recorded anywhere in the province and the
population registry.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.citizens.errors import CitizensError
from motcua.citizens.selectors import dossier_for_staff
from motcua.citizens.services import (
    close_intake_session,
    link_intake_session,
    lookup_person,
    open_intake_session,
)
from motcua.citizens.validation import validate_personal_id
from motcua.civil import pdf
from motcua.civil.errors import CivilError
from motcua.civil.models import (
    CODE_PREFIX,
    RECORD_MODELS,
    BirthRecord,
    ChangeKind,
    ChangeRecord,
    CivilRecord,
    DeathRecord,
    ExtractCopy,
    MaritalOutcome,
    MaritalStatusCertificate,
    MarriageRecord,
    RecordKind,
    Source,
)
from motcua.core import audit
from motcua.core.codes import next_sequence
from motcua.dossiers.services import attach_result
from motcua.org.actors import signed_in
from motcua.org.models import Role, Unit

REGISTRARS = (Role.SPECIALIST, Role.UNIT_LEADER)
EXTRACT_ISSUERS = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER)
MARITAL_ISSUERS = (Role.SPECIALIST, Role.UNIT_LEADER)

PROCEDURES = {  # procedure code -> what its result creates
    "1.001193": RecordKind.BIRTH,
    "1.000894": RecordKind.MARRIAGE,
    "1.000656": RecordKind.DEATH,
    "1.004859": RecordKind.CHANGE,
}
EXTRACT_PROCEDURE = "2.000635"
MARITAL_PROCEDURE = "1.004873"

COMMON_FIELDS = ["register_book", "register_page", "register_number", "registered_on", "note"]
KIND_FIELDS: dict[str, list[str]] = {
    RecordKind.BIRTH: [
        "child_name",
        "child_personal_id",
        "child_sex",
        "child_date_of_birth",
        "place_of_birth",
        "ethnicity",
        "nationality",
        "hometown",
        "father_name",
        "father_personal_id",
        "mother_name",
        "mother_personal_id",
    ],
    RecordKind.MARRIAGE: [
        "husband_name",
        "husband_personal_id",
        "husband_date_of_birth",
        "wife_name",
        "wife_personal_id",
        "wife_date_of_birth",
    ],
    RecordKind.DEATH: [
        "deceased_name",
        "deceased_personal_id",
        "deceased_sex",
        "deceased_date_of_birth",
        "date_of_death",
        "place_of_death",
        "cause",
    ],
    RecordKind.CHANGE: [
        "change_kind",
        "target_code",
        "subject_name",
        "subject_personal_id",
        "other_name",
        "other_personal_id",
        "field_changed",
        "old_value",
        "new_value",
        "decision",
    ],
}
CORRECTABLE = {
    RecordKind.BIRTH: [
        "child_name",
        "child_sex",
        "child_date_of_birth",
        "place_of_birth",
        "ethnicity",
        "nationality",
        "hometown",
        "father_name",
        "mother_name",
    ],
    RecordKind.DEATH: ["deceased_name", "date_of_death", "place_of_death", "cause"],
    RecordKind.MARRIAGE: ["husband_name", "wife_name"],
}


def extract_fee() -> Decimal:
    return Decimal(str(settings.MOTCUA_EXTRACT_FEE))


def marital_validity_months() -> int:
    return settings.MOTCUA_MARITAL_CERT_VALID_MONTHS


def _ensure(actor, unit: Unit, roles) -> None:
    if not signed_in(actor) or not actor.can_act_in(unit, *roles):
        raise CivilError("not_allowed")


def _check_id(value: str, label: str, *, date_of_birth=None, sex=None) -> str:
    if not value:
        return ""
    try:
        return validate_personal_id(value, date_of_birth=date_of_birth, sex=sex)
    except ValidationError as exc:
        raise CivilError("invalid", message=f"{_(label)}: " + " ".join(exc.messages)) from exc


# --- duplicates --------------------------------------------------------------------------------------------
def find_duplicates(kind: str, data: dict[str, Any], unit: Unit) -> list[CivilRecord]:
    """Records that describe the same event (same child and parents, couple, deceased), whatever unit of the
    province registered them. (No join on the unit in SQL: the person and date indexes drive the query.)"""
    model = RECORD_MODELS[kind]
    qs = model.objects.select_related("unit")
    if kind == RecordKind.BIRTH:
        same = Q(
            child_name__iexact=data["child_name"].strip(), child_date_of_birth=data["child_date_of_birth"]
        )
        if data.get("mother_personal_id"):
            same &= Q(mother_personal_id=data["mother_personal_id"])
        elif data.get("mother_name"):
            same &= Q(mother_name__iexact=data["mother_name"].strip())
        if data.get("child_personal_id"):
            same |= Q(child_personal_id=data["child_personal_id"])
        return list(qs.filter(same)[:5])
    if kind == RecordKind.MARRIAGE:
        return list(
            qs.filter(
                husband_personal_id=data["husband_personal_id"],
                wife_personal_id=data["wife_personal_id"],
                ended_on__isnull=True,
            )[:5]
        )
    if kind == RecordKind.DEATH:
        same = Q(deceased_name__iexact=data["deceased_name"].strip(), date_of_death=data["date_of_death"])
        if data.get("deceased_personal_id"):
            same |= Q(deceased_personal_id=data["deceased_personal_id"])
        return list(qs.filter(same)[:5])
    return []


def active_marriages(personal_id: str, province_code: str | None = None):
    """Marriages of a person recorded in ANY unit (of the province this database serves, and any imported
    from elsewhere) and not ended by divorce or death. `province_code` is kept for callers; the person's ID
    indexes drive the query (a join on the unit's province made SQLite scan 1M rows)."""
    return MarriageRecord.objects.filter(
        Q(husband_personal_id=personal_id) | Q(wife_personal_id=personal_id),
        ended_on__isnull=True,
    ).select_related("unit")


def _duplicate_error(record: CivilRecord) -> CivilError:
    return CivilError(
        "duplicate",
        kind=str(RecordKind(record.kind).label).lower(),
        code=record.code,
        unit=record.unit.name,
        date=record.registered_on.strftime("%d/%m/%Y"),
        book=record.register_book,
        page=record.register_page,
    )


# --- registration ------------------------------------------------------------------------------------------
def _is_event_date(name: str) -> bool:
    return name.endswith("date_of_birth") or name == "date_of_death"


def _ensure_not_future(value: Any) -> None:
    """A birth or a death cannot be after today (a child born 9999-12-31 was accepted: issue 11 item 11)."""
    if isinstance(value, dt.date) and value > timezone.localdate():
        raise CivilError("invalid", message=_("Ngày sinh, ngày chết không được sau ngày hôm nay."))


def _validate_dates(kind: str, data: dict[str, Any]) -> None:
    today = timezone.localdate()
    registered = data.get("registered_on")
    if isinstance(registered, dt.date) and registered > today:
        raise CivilError("invalid", message=_("Ngày đăng ký không được sau ngày hôm nay."))
    for name, value in data.items():
        if _is_event_date(name):
            _ensure_not_future(value)
    event = {RecordKind.BIRTH: "child_date_of_birth", RecordKind.DEATH: "date_of_death"}.get(kind)
    when = data.get(event) if event else None
    if isinstance(when, dt.date):
        if isinstance(registered, dt.date) and when > registered:
            raise CivilError("invalid", message=_("Sự kiện hộ tịch không thể xảy ra sau ngày đăng ký."))


def _validate(kind: str, data: dict[str, Any]) -> None:
    _validate_dates(kind, data)
    if kind == RecordKind.BIRTH:
        data["child_personal_id"] = _check_id(
            data.get("child_personal_id", ""),
            "Số định danh của trẻ",
            date_of_birth=data["child_date_of_birth"],
            sex=data["child_sex"],
        )
        data["father_personal_id"] = _check_id(
            data.get("father_personal_id", ""), "Số định danh của cha", sex="male"
        )
        data["mother_personal_id"] = _check_id(
            data.get("mother_personal_id", ""), "Số định danh của mẹ", sex="female"
        )
    elif kind == RecordKind.MARRIAGE:
        data["husband_personal_id"] = _check_id(
            data["husband_personal_id"],
            "Số định danh của chồng",
            date_of_birth=data.get("husband_date_of_birth"),
            sex="male",
        )
        data["wife_personal_id"] = _check_id(
            data["wife_personal_id"],
            "Số định danh của vợ",
            date_of_birth=data.get("wife_date_of_birth"),
            sex="female",
        )
    elif kind == RecordKind.DEATH:
        data["deceased_personal_id"] = _check_id(
            data.get("deceased_personal_id", ""),
            "Số định danh người chết",
            date_of_birth=data.get("deceased_date_of_birth"),
            sex=data.get("deceased_sex"),
        )
    elif kind == RecordKind.CHANGE:
        data["subject_personal_id"] = _check_id(data.get("subject_personal_id", ""), "Số định danh")
        data["other_personal_id"] = _check_id(
            data.get("other_personal_id", ""), "Số định danh người liên quan"
        )


def _number(kind: str, unit: Unit, registered_on: dt.date, book: str) -> tuple[str, int]:
    prefix = CODE_PREFIX[kind]
    year_start = dt.date(registered_on.year, 1, 1)
    seq = next_sequence(f"civil:{prefix}:{unit.code}", year_start)
    page = next_sequence(f"civil-page:{prefix}:{unit.code}:{book}"[:60], year_start)
    return f"{prefix}-{unit.code}-{registered_on.year}-{seq:06d}", page


@transaction.atomic
def register(
    kind: str,
    *,
    unit: Unit,
    actor,
    data: dict[str, Any],
    override_reason: str = "",
    dossier_code: str = "",
    source: str = Source.DIRECT,
    check_permission: bool = True,
) -> CivilRecord:
    """Register one civil status event at `unit` after the duplicate check.

    A duplicate blocks with the existing record named; a unit leader may still register with a reason.
    A person already married (anywhere in the province) cannot marry again.
    """
    if check_permission:
        _ensure(actor, unit, REGISTRARS)
    defaults = {
        f.name for f in RECORD_MODELS[kind]._meta.fields if f.has_default() and isinstance(f.default, str)
    }
    data = {
        k: v
        for k, v in data.items()
        if k in KIND_FIELDS[kind] + COMMON_FIELDS and not (k in defaults and v in ("", None))
    }
    data.setdefault("registered_on", timezone.localdate())
    if not data.get("registered_on"):
        data["registered_on"] = timezone.localdate()
    _validate(kind, data)
    override_reason = (override_reason or "").strip()
    if kind == RecordKind.MARRIAGE:
        for pid, name in (
            (data["husband_personal_id"], data["husband_name"]),
            (data["wife_personal_id"], data["wife_name"]),
        ):
            existing = (
                active_marriages(pid, unit.province_code)
                .exclude(
                    husband_personal_id=data["husband_personal_id"], wife_personal_id=data["wife_personal_id"]
                )
                .first()
            )
            if existing:
                raise CivilError(
                    "already_married",
                    name=name,
                    unit=existing.unit.name,
                    code=existing.code,
                    date=existing.registered_on.strftime("%d/%m/%Y"),
                )
    target = None
    if kind == RecordKind.CHANGE:
        target = _change_target(data)
    duplicates = find_duplicates(kind, data, unit)
    override_by = None
    if duplicates:
        if not override_reason:
            raise _duplicate_error(duplicates[0])
        if not actor.can_act_in(unit, Role.UNIT_LEADER):
            raise CivilError("override_not_leader")
        override_by = actor
    elif override_reason and source != Source.LEGACY:
        override_reason = ""  # nothing to override
    book = (data.pop("register_book", "") or f"{CODE_PREFIX[kind]}/{data['registered_on'].year}").strip()
    code, auto_page = _number(kind, unit, data["registered_on"], book)
    page = data.pop("register_page", None) or auto_page
    model = RECORD_MODELS[kind]
    record = model(
        **data,
        code=code,
        unit=unit,
        register_book=book,
        register_page=page,
        registered_by=actor if signed_in(actor) else None,
        source=source,
        dossier_code=dossier_code,
        override_reason=override_reason[:300],
        override_by=override_by,
    )
    if kind == RecordKind.CHANGE:
        record.target_kind = target.kind if target else ""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:  # a concurrent registration of the same event won the race
        duplicates = find_duplicates(kind, data, unit)
        if duplicates:
            raise _duplicate_error(duplicates[0]) from exc
        raise
    audit.record(
        f"civil.{kind}_registered",
        actor=actor,
        obj=record,
        after={
            "code": code,
            "book": book,
            "page": page,
            "source": source,
            "dossier": dossier_code,
            "override": override_reason,
            "duplicates": [d.code for d in duplicates],
        },
        purpose=f"{kind} registration",
    )
    if kind == RecordKind.DEATH and record.deceased_personal_id:
        _end_marriages(record.deceased_personal_id, record.date_of_death, "death", actor, record)
    if kind == RecordKind.CHANGE:
        _apply_change(record, target, actor)
    return record


def _change_target(data: dict[str, Any]) -> CivilRecord | None:
    code = (data.get("target_code") or "").strip()
    change = data.get("change_kind")
    if not code:
        if change == ChangeKind.CORRECTION or change == ChangeKind.DIVORCE_NOTE:
            raise CivilError("target_not_found", code="–")
        return None
    for kind, model in RECORD_MODELS.items():
        if kind == RecordKind.CHANGE:
            continue
        record = model.objects.filter(code=code).select_related("unit").first()
        if record is not None:
            expected = {
                ChangeKind.DIVORCE_NOTE: RecordKind.MARRIAGE,
                ChangeKind.RECOGNITION: RecordKind.BIRTH,
            }
            if change in expected and record.kind != expected[change]:
                raise CivilError(
                    "target_kind", change=ChangeKind(change).label, kind=RecordKind(expected[change]).label
                )
            return record
    raise CivilError("target_not_found", code=code)


def _end_marriages(personal_id: str, on: dt.date, reason: str, actor, cause: CivilRecord) -> None:
    for marriage in active_marriages(personal_id).select_for_update():
        marriage.ended_on, marriage.ended_reason = on, reason
        marriage.save(update_fields=["ended_on", "ended_reason"])
        audit.record(
            "civil.marriage_ended",
            actor=actor,
            obj=marriage,
            after={"ended_on": on, "reason": reason, "by_record": cause.code},
        )


def _apply_change(change: ChangeRecord, target: CivilRecord | None, actor) -> None:
    if target is None:
        return
    target = type(target).objects.select_for_update().get(pk=target.pk)
    before: dict[str, Any] = {}
    if change.change_kind == ChangeKind.DIVORCE_NOTE:
        if target.ended_on is None:
            before = {"ended_on": None}
            target.ended_on, target.ended_reason = change.registered_on, "divorce"
            target.save(update_fields=["ended_on", "ended_reason"])
    elif change.change_kind == ChangeKind.RECOGNITION:
        role = "mother" if change.field_changed == "mother" else "father"
        before = {
            f"{role}_name": getattr(target, f"{role}_name"),
            f"{role}_personal_id": getattr(target, f"{role}_personal_id"),
        }
        setattr(target, f"{role}_name", change.other_name or change.new_value)
        setattr(target, f"{role}_personal_id", change.other_personal_id)
        target.save(update_fields=[f"{role}_name", f"{role}_personal_id"])
    elif change.change_kind == ChangeKind.CORRECTION:
        field = change.field_changed
        if field not in CORRECTABLE.get(target.kind, []):
            raise CivilError("field_not_changeable", field=field)
        before = {field: getattr(target, field)}
        value: Any = change.new_value
        if field.endswith("date_of_birth") or field == "date_of_death":
            try:
                value = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise CivilError("invalid", message=_("Ngày mới phải theo dạng YYYY-MM-DD.")) from exc
            _ensure_not_future(value)
        if not change.old_value:
            ChangeRecord.objects.filter(pk=change.pk).update(old_value=str(before[field])[:300])
        setattr(target, field, value)
        target.save(update_fields=[field])
    audit.record(
        f"civil.{target.kind}_changed",
        actor=actor,
        obj=target,
        before=before,
        after={"change": change.code, "kind": change.change_kind},
        purpose="civil status change",
    )


# --- from a dossier ----------------------------------------------------------------------------------------
def dossier_for_registration(code: str, user):
    """(dossier, kind) for a dossier of one of the four registration procedures the user handles."""
    dossier = dossier_for_staff(code, user)
    if dossier is None:
        raise CivilError("dossier_unavailable", code=code)
    procedure_code = getattr(getattr(dossier, "procedure", None), "code", "")
    kind = PROCEDURES.get(procedure_code)
    if kind is None:
        raise CivilError("wrong_procedure", code=code, procedure=procedure_code or "–")
    return dossier, kind


# The catalog's form keys of the four procedures -> record fields (same-named keys map to themselves).
FORM_ALIASES = {
    "child_dob": "child_date_of_birth",
    "child_ethnicity": "ethnicity",
    "child_nationality": "nationality",
    "child_birthplace": "place_of_birth",
    "child_hometown": "hometown",
    "father_id": "father_personal_id",
    "mother_id": "mother_personal_id",
    "husband_id": "husband_personal_id",
    "husband_dob": "husband_date_of_birth",
    "wife_id": "wife_personal_id",
    "wife_dob": "wife_date_of_birth",
    "deceased_id": "deceased_personal_id",
    "death_date": "date_of_death",
    "death_place": "place_of_death",
    "death_cause": "cause",
}
SEX_WORDS = {"nam": "male", "nữ": "female", "nu": "female", "male": "male", "female": "female"}


def initial_from_dossier(dossier, kind: str) -> dict[str, Any]:
    """The dossier's declaration mapped onto this kind's fields (the officer checks and completes them)."""
    form = getattr(dossier, "form_data", None) or {}
    fields = KIND_FIELDS[kind]
    initial: dict[str, Any] = {}
    for key, value in form.items():
        name = FORM_ALIASES.get(key, key)
        if name in fields and value not in (None, ""):
            initial[name] = value
    for name in ("child_sex", "deceased_sex"):
        if name in initial:
            initial[name] = SEX_WORDS.get(str(initial[name]).strip().lower(), initial[name])
    applicant_id = getattr(dossier, "applicant_personal_id", "") or ""
    if kind == RecordKind.BIRTH and len(applicant_id) == 12:
        parent = "father" if applicant_id[3] in "02468" else "mother"
        if not initial.get(f"{parent}_personal_id"):
            initial[f"{parent}_personal_id"] = applicant_id
            if not initial.get(f"{parent}_name") and getattr(dossier, "applicant_name", ""):
                initial[f"{parent}_name"] = dossier.applicant_name
    return initial


def attach_to_dossier(dossier, *, actor, content: bytes, name: str) -> bool:
    """Attach a result paper to the dossier through the dossiers app (False when it cannot)."""
    attach_result(dossier, actor=actor, file=ContentFile(content, name=f"{name}.pdf"), name=name)
    return True


# --- extract copies ----------------------------------------------------------------------------------------
def _sign(prefix: str, pk: int, payload: str) -> str:
    return salted_hmac("motcua.civil.verification", f"{prefix}{pk}|{payload}").hexdigest()[:20]


def _extract_payload(copy: ExtractCopy) -> str:
    return f"{copy.record_code}|{copy.copy_number}|{copy.unit_id}|{copy.issued_at.date().isoformat()}"


def _marital_payload(cert: MaritalStatusCertificate) -> str:
    return f"{cert.personal_id}|{cert.unit_id}|{cert.issued_at.date().isoformat()}|{cert.valid_until}"


def record_rows(record: CivilRecord) -> list[tuple[str, str]]:
    """(label, value) of the record's own fields, as the extract prints them."""
    rows = []
    for name in KIND_FIELDS[record.kind]:
        field = record._meta.get_field(name)
        value = getattr(record, name)
        display = getattr(record, f"get_{name}_display", None)
        if display and value:
            value = display()
        elif isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")
        if value in (None, ""):
            continue
        rows.append((str(field.verbose_name).capitalize(), str(value)))
    return rows


def get_record(kind: str, pk: int) -> CivilRecord:
    model = RECORD_MODELS.get(kind)
    record = model.objects.select_related("unit").filter(pk=pk).first() if model else None
    if record is None:
        raise CivilError("not_found")
    return record


@transaction.atomic
def issue_extract(
    kind: str,
    record_id: int,
    *,
    actor,
    unit: Unit,
    collector_name: str,
    collector_personal_id: str,
    purpose: str = "",
    fee: Decimal | None = None,
    render_pdf: bool = True,
) -> ExtractCopy:
    """Issue a certified extract copy of any record of the province at `unit` (procedure 2.000635)."""
    _ensure(actor, unit, EXTRACT_ISSUERS)
    if not (collector_name or "").strip():
        raise CivilError("invalid", message=_("Cần ghi họ tên người nhận bản sao."))
    collector_personal_id = _check_id(collector_personal_id, "Giấy tờ tùy thân của người nhận")
    if not collector_personal_id:
        raise CivilError("invalid", message=_("Cần kiểm tra giấy tờ tùy thân (số định danh) của người nhận."))
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise CivilError("not_found")
    record = model.objects.select_for_update().filter(pk=record_id).first()
    if record is None:
        raise CivilError("not_found")
    registering_unit = Unit.objects.get(pk=record.unit_id)
    if registering_unit.province_code != unit.province_code:
        raise CivilError("outside_province")
    copy_number = record.extract_count + 1
    model.objects.filter(pk=record.pk).update(extract_count=copy_number)
    copy = ExtractCopy.objects.create(
        record_kind=kind,
        record_id=record.pk,
        record_code=record.code,
        registering_unit=registering_unit,
        unit=unit,
        copy_number=copy_number,
        issued_at=timezone.now(),
        issued_by=actor,
        collector_name=collector_name.strip()[:200],
        collector_personal_id=collector_personal_id,
        purpose=(purpose or "").strip()[:300],
        fee=extract_fee() if fee is None else fee,
        template_version=pdf.EXTRACT_TEMPLATE,
    )
    copy.verification_code = f"TL{copy.pk}-{_sign('TL', copy.pk, _extract_payload(copy))}"
    copy.save(update_fields=["verification_code"])
    audit.record(
        "civil.extract_issued",
        actor=actor,
        obj=copy,
        unit_id=unit.pk,
        after={
            "record": record.code,
            "registering_unit": registering_unit.code,
            "copy": copy_number,
            "fee": copy.fee,
            "collector_id": collector_personal_id,
        },
        purpose=copy.purpose or "extract copy",
    )
    if render_pdf:
        content = render_extract_pdf(copy, record, registering_unit)
        copy.pdf.save(f"{copy.verification_code}.pdf", ContentFile(content), save=False)
        copy.save(update_fields=["pdf"])
    return copy


def render_extract_pdf(copy: ExtractCopy, record: CivilRecord | None = None, registering_unit=None) -> bytes:
    record = record or get_record(copy.record_kind, copy.record_id)
    registering_unit = registering_unit or record.unit
    return pdf.render(
        copy.template_version,
        {
            "copy": copy,
            "record": record,
            "kind_label": RecordKind(copy.record_kind).label,
            "rows": record_rows(record),
            "registering_unit": registering_unit,
            "issuing_unit": copy.unit,
            "verification_code": copy.verification_code,
            "fee_text": f"{copy.fee:,.0f}".replace(",", "."),
        },
    )


# --- verification ------------------------------------------------------------------------------------------
CODE_RE = re.compile(r"^(TL|XN)(\d{1,12})-([0-9a-f]{20})$")


def _verification_persons(record: Any) -> list[tuple[str, dt.date | None]]:
    """Name and date of birth of the people a paper is about: what a school or a bank compares with the
    paper in hand (Nothing else: no ID numbers, parents, addresses)."""
    if record is None:
        return []
    if isinstance(record, BirthRecord):
        return [(record.child_name, record.child_date_of_birth)]
    if isinstance(record, MarriageRecord):
        return [
            (record.husband_name, record.husband_date_of_birth),
            (record.wife_name, record.wife_date_of_birth),
        ]
    if isinstance(record, DeathRecord):
        return [(record.deceased_name, record.deceased_date_of_birth)]
    name = getattr(record, "subject_name", "")
    return [(name, None)] if name else []


def verify_code(code: str) -> dict[str, Any]:
    """Is this QR code genuine? Returns what is needed to compare with the paper in hand: the names and dates
    of birth on it, the registration number and date, the issuing unit; no ID numbers, no addresses."""
    match = CODE_RE.match((code or "").strip())
    if not match:
        return {"genuine": False}
    prefix, pk, signature = match.group(1), int(match.group(2)), match.group(3)
    if prefix == "TL":
        copy = ExtractCopy.objects.select_related("unit", "registering_unit").filter(pk=pk).first()
        if copy is None or not constant_time_compare(signature, _sign("TL", pk, _extract_payload(copy))):
            return {"genuine": False}
        record = RECORD_MODELS[copy.record_kind].objects.filter(pk=copy.record_id).first()
        return {
            "genuine": True,
            "document": "extract",
            "persons": _verification_persons(record),
            "registered_on": getattr(record, "registered_on", None),
            "record_kind": RecordKind(copy.record_kind).label,
            "registering_unit": copy.registering_unit.name,
            "issuing_unit": copy.unit.name,
            "issued_on": timezone.localtime(copy.issued_at).date(),
            "copy_number": copy.copy_number,
            "record_code": copy.record_code,
        }
    cert = (
        MaritalStatusCertificate.objects.select_related("unit")
        .filter(pk=pk, outcome=MaritalOutcome.ISSUED)
        .first()
    )
    if cert is None or not constant_time_compare(signature, _sign("XN", pk, _marital_payload(cert))):
        return {"genuine": False}
    return {
        "genuine": True,
        "document": "marital",
        "persons": [(cert.full_name, cert.date_of_birth)],
        "issuing_unit": cert.unit.name,
        "issued_on": timezone.localtime(cert.issued_at).date(),
        "valid_until": cert.valid_until,
        "expired": bool(cert.valid_until and cert.valid_until < timezone.localdate()),
    }


# --- marital status certificate ----------------------------------------------------------------------------
def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    return day


def issue_marital_status(
    personal_id: str,
    *,
    actor,
    unit: Unit,
    purpose: str,
    dossier_code: str = "",
    registry=None,
    render_pdf: bool = True,
) -> MaritalStatusCertificate:
    """Check marriages recorded in any unit of the province and in the population registry, then issue
    the certificate (valid for `MOTCUA_MARITAL_CERT_VALID_MONTHS`) or record a refusal with its reason.

    Returns the certificate row; `outcome` says issued or refused (with `refusal_reason`). The registry
    look-up happens before the transaction, so its message-log entries stay even when nothing is issued.
    """
    _ensure(actor, unit, MARITAL_ISSUERS)
    purpose = (purpose or "").strip()
    if not purpose:
        raise CivilError("purpose_required")
    personal_id = _check_id(personal_id, "Số định danh")
    if not personal_id:
        raise CivilError("invalid", message=_("Cần số định danh cá nhân của người yêu cầu."))
    session = ""
    if not dossier_code:
        # Without a dossier, the case is this request at the counter: an intake session for this person,
        # linked to the certificate (issued or refused) that the look-up leads to.
        try:
            session = str(
                open_intake_session(
                    actor, unit=unit, procedure_code=MARITAL_PROCEDURE, personal_id=personal_id
                ).public_id
            )
        except CitizensError as exc:
            raise CivilError("registry_unavailable", reason=exc.message) from exc
    result = lookup_person(
        personal_id,
        actor=actor,
        procedure_code=MARITAL_PROCEDURE,
        dossier_code=dossier_code or None,
        intake_session=session,
        services=("identity", "residence", "marital-status"),
        registry=registry,
    )
    if not result.ok and result.code not in ("not_found",):
        if session:
            close_intake_session(session, actor=actor)
        raise CivilError("registry_unavailable", reason=result.error)
    cert = _record_marital_status(
        personal_id,
        result,
        actor=actor,
        unit=unit,
        purpose=purpose,
        dossier_code=dossier_code,
        render_pdf=render_pdf,
    )
    if session:
        link_intake_session(
            session, actor=actor, case_ref=f"marital:{cert.public_id}", personal_id=personal_id
        )
    return cert


@transaction.atomic
def _record_marital_status(
    personal_id: str, result, *, actor, unit: Unit, purpose: str, dossier_code: str, render_pdf: bool
) -> MaritalStatusCertificate:
    fields = result.fields if result.ok else {}
    name = fields.get("full_name", "")
    marriages = list(active_marriages(personal_id, unit.province_code)[:3])
    deaths = DeathRecord.objects.filter(deceased_personal_id=personal_id).select_related("unit").first()
    ended = (
        MarriageRecord.objects.filter(
            Q(husband_personal_id=personal_id) | Q(wife_personal_id=personal_id),
            ended_on__isnull=False,
        )
        .order_by("-ended_on")
        .first()
    )
    checked = {
        "province_marriages": [m.code for m in marriages],
        "ended_marriage": ended.code if ended else "",
        "registry_status": fields.get("marital_status", "")
        or ("not_found" if result.code == "not_found" else ""),
        "registry_messages": result.message_ids,
    }
    refusal = ""
    if not result.ok:
        refusal = result.error
    elif deaths is not None:
        refusal = CivilError(
            "deceased",
            name=deaths.deceased_name,
            code=deaths.code,
            date=deaths.date_of_death.strftime("%d/%m/%Y"),
        ).message
    elif marriages:
        m = marriages[0]
        refusal = CivilError(
            "already_married",
            name=name or personal_id,
            unit=m.unit.name,
            code=m.code,
            date=m.registered_on.strftime("%d/%m/%Y"),
        ).message
    elif fields.get("marital_status") == "married":
        refusal = CivilError(
            "registry_married", name=name or personal_id, spouse=fields.get("spouse_name") or "–"
        ).message
    if ended is not None:
        status = "widowed" if ended.ended_reason == "death" else "divorced"
        detail = f"{'Vợ/chồng đã chết' if status == 'widowed' else 'Đã ly hôn'} (mã {ended.code})"
    else:
        status = fields.get("marital_status") or "single"
        if status == "married":
            status = "single"
        detail = {
            "single": "Chưa đăng ký kết hôn với ai",
            "divorced": "Đã ly hôn",
            "widowed": "Vợ/chồng đã chết",
        }.get(status, "")
    now = timezone.now()
    issued = not refusal
    cert = MaritalStatusCertificate.objects.create(
        unit=unit,
        personal_id=personal_id,
        full_name=name[:200],
        date_of_birth=dt.date.fromisoformat(fields["date_of_birth"]) if fields.get("date_of_birth") else None,
        residence=(fields.get("current_address") or fields.get("permanent_address") or "")[:300],
        marital_status=status if issued else "married",
        status_detail=detail[:400] if issued else "",
        purpose=purpose[:300],
        outcome=MaritalOutcome.ISSUED if issued else MaritalOutcome.REFUSED,
        refusal_reason=refusal[:500],
        checked=checked,
        issued_at=now,
        valid_until=_add_months(timezone.localdate(), marital_validity_months()) if issued else None,
        issued_by=actor,
        dossier_code=dossier_code,
        template_version=pdf.MARITAL_TEMPLATE if issued else "",
    )
    if issued:
        cert.verification_code = f"XN{cert.pk}-{_sign('XN', cert.pk, _marital_payload(cert))}"
        cert.save(update_fields=["verification_code"])
    audit.record(
        "civil.marital_status_issued" if issued else "civil.marital_status_refused",
        actor=actor,
        obj=cert,
        after={
            "personal_id": personal_id,
            "checked": checked,
            "reason": refusal,
            "valid_until": cert.valid_until,
        },
        purpose=purpose,
    )
    if issued and render_pdf:
        content = pdf.render(
            cert.template_version,
            {"cert": cert, "issuing_unit": unit, "verification_code": cert.verification_code},
        )
        cert.pdf.save(f"{cert.verification_code}.pdf", ContentFile(content), save=False)
        cert.save(update_fields=["pdf"])
    return cert
