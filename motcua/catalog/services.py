"""Every write to the catalog: imports, edits, publishing decisions, internal process versions.

Each function is one transaction and writes its audit entry (motcua.core.audit.record).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from motcua.catalog.errors import CatalogError
from motcua.catalog.importer import record_to_snapshot
from motcua.catalog.models import (
    CopyKind,
    Decision,
    DecisionEffect,
    DecisionEffectKind,
    Fee,
    Field,
    FormField,
    InternalProcess,
    Procedure,
    ProcedureStatus,
    ProcedureTime,
    ProcedureVolume,
    ProcessStep,
    Requirement,
)
from motcua.catalog.selectors import CODE_RE, legal_time_hours
from motcua.catalog.snapshots import PROCEDURE_FIELDS, procedure_snapshot, process_snapshot
from motcua.core import audit
from motcua.org.models import Role, Unit
from motcua.org.selectors import fold

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "procedures.json"
CHILDREN = ("times", "requirements", "fees", "form_fields")


def default_data_path() -> Path:
    shared = Path(settings.BASE_DIR).parent / "shared" / "data" / "procedures.json"
    return DEFAULT_DATA if DEFAULT_DATA.exists() else shared


def field_for(name: str) -> Field | None:
    name = (name or "").strip()
    if not name:
        return None
    found = Field.objects.filter(name=name).first()
    if found:
        return found

    base = slugify(fold(name))[:100] or "linh-vuc"
    slug, n = base, 1
    while Field.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Field.objects.create(name=name, slug=slug)


def _unit(code: str) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise CatalogError("unit_not_found")
    return unit


def _set_scalars(procedure: Procedure, snap: dict[str, Any]) -> None:
    for name in PROCEDURE_FIELDS:
        if name not in snap or name == "code":
            continue
        value = snap[name]
        if name == "field":
            procedure.field = field_for(value)
        elif name == "competent_agency":
            procedure.competent_agency = _unit(value)
        elif name == "successor":
            procedure.successor = Procedure.objects.filter(code=value).first() if value else None
        elif name == "time_value":
            procedure.time_value = Decimal(value) if value not in ("", None) else None
        else:
            setattr(procedure, name, value)


_REQUIREMENT_DEFAULTS = [None, CopyKind.ORIGINAL, 1, False]


def _requirement_row(row: list) -> list:
    """A requirement row of any snapshot age: rows written before conditions and copy kinds existed
    have eight columns; the new ones take their defaults (always needed, one original)."""
    row = list(row)
    if len(row) < 12:
        row.extend(_REQUIREMENT_DEFAULTS[len(row) - 8 :])
    if row[10] in (None, ""):
        row[10] = 1
    return row


def _replace_children(procedure: Procedure, name: str, rows: list[list], *, fresh: bool = False) -> None:
    if not fresh:
        getattr(procedure, name).all().delete()
    if name == "times":
        ProcedureTime.objects.bulk_create(
            ProcedureTime(procedure=procedure, channel=c, value=Decimal(v), unit=u, note=n)
            for c, v, u, n in rows
        )
    elif name == "requirements":
        Requirement.objects.bulk_create(
            Requirement(
                procedure=procedure,
                order=o,
                name=nm,
                kind=k,
                quantity_original=qo,
                quantity_copy=qc,
                quantity_text=qt,
                form_name=fn,
                required=req,
                condition=cond or None,
                copy_kind=ck,
                quantity=q,
                needs_review=bool(rv),
            )
            for o, nm, k, qo, qc, qt, fn, req, cond, ck, q, rv in map(_requirement_row, rows)
        )
    elif name == "fees":
        Fee.objects.bulk_create(
            Fee(procedure=procedure, channel=c, amount=a, description=d, exemption=e) for c, a, d, e in rows
        )
    elif name == "form_fields":
        FormField.objects.bulk_create(
            FormField(
                procedure=procedure,
                order=o,
                key=k,
                label=lb,
                field_type=ft,
                required=req,
                choices=json.loads(ch) if isinstance(ch, str) else (ch or []),
                help_text=ht,
                registry_field=rf,
                registry_subject=rs,
                max_length=ml,
            )
            for o, k, lb, ft, req, ch, ht, rf, rs, ml in rows
        )


@transaction.atomic
def apply_procedure_snapshot(
    snap: dict[str, Any], *, actor: Any, source: str, keep_existing: tuple[str, ...] = ()
) -> tuple[Procedure, str]:
    """Create or update one procedure so that it matches `snap` (keys absent from `snap` are left alone).

    Returns (procedure, "created" | "updated" | "unchanged"). `keep_existing` names scalar fields an
    import must not overwrite on an existing procedure (e.g. an online level set by officials).
    """
    code = (snap.get("code") or "").strip()
    if not CODE_RE.match(code):
        raise CatalogError("bad_code")
    procedure = Procedure.objects.select_for_update().filter(code=code).first()
    if procedure is None:
        procedure = Procedure(code=code)
        _set_scalars(procedure, snap)
        procedure.save()
        for name in CHILDREN:
            if name in snap:
                _replace_children(procedure, name, snap[name], fresh=True)
        audit.record("catalog.procedure_created", actor=actor, obj=procedure, after=snap, purpose=source)
        return procedure, "created"

    before = procedure_snapshot(procedure)
    wanted = {k: v for k, v in snap.items() if k not in keep_existing}
    changed_scalars = {k for k in PROCEDURE_FIELDS if k in wanted and k != "code" and wanted[k] != before[k]}
    changed_children = [n for n in CHILDREN if n in wanted and _rows(wanted[n]) != _rows(before[n])]
    if not changed_scalars and not changed_children:
        return procedure, "unchanged"
    if changed_scalars:
        _set_scalars(procedure, {k: wanted[k] for k in changed_scalars})
        procedure.save()
    for name in changed_children:
        _replace_children(procedure, name, wanted[name])
    after = procedure_snapshot(procedure)
    audit.record(
        "catalog.procedure_updated",
        actor=actor,
        obj=procedure,
        before={k: before[k] for k in [*sorted(changed_scalars), *changed_children]},
        after={k: after[k] for k in [*sorted(changed_scalars), *changed_children]},
        purpose=source,
    )
    return procedure, "updated"


def _rows(rows: Any) -> Any:
    """Compare rows as JSON (lists vs tuples, ints vs bools in Excel)."""
    return json.loads(json.dumps(rows, ensure_ascii=False, default=str))


def import_file(path: str | Path | None = None, *, actor: Any = "system:catalog-import") -> dict[str, int]:
    """Load the shared procedures file; idempotent. Returns counts created/updated/unchanged."""
    path = Path(path) if path else default_data_path()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        records = data["procedures"] if isinstance(data, dict) else data
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError("import_file", detail=str(exc)) from exc
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for record in records:
            snap, explicit_online = record_to_snapshot(record)
            keep: tuple[str, ...] = () if explicit_online else ("online_level",)
            # Officials may have edited these after import; the file does not know about them.
            keep += ("status", "successor", "competent_agency", "local_suffix", "is_demo", "publishing_ref")
            current = (
                Procedure.objects.filter(code=snap["code"]).values_list("needs_review", flat=True).first()
            )
            if current is False and snap["needs_review"]:
                # An official reviewed the uncertain values: the file must not bring the doubt back.
                keep += ("times", "time_value", "time_unit", "needs_review", "review_note")
            _proc, outcome = apply_procedure_snapshot(
                snap, actor=actor, source=f"import {Path(path).name}", keep_existing=keep
            )
            counts[outcome] += 1
    return counts


# --- edits made by officials ------------------------------------------------------------------------
@transaction.atomic
def update_procedure(procedure: Procedure, *, actor: Any, **changes: Any) -> Procedure:
    """Change scalar fields of a procedure (snapshot names: field by name, successor by code...)."""
    snap = {"code": procedure.code, **changes}
    procedure, _outcome = apply_procedure_snapshot(snap, actor=actor, source="edit")
    return procedure


def _must_manage(actor: Any) -> None:
    if actor is None or isinstance(actor, str):
        return
    if not (
        getattr(actor, "is_superuser", False)
        or (getattr(actor, "is_officer", False) and actor.has_role(Role.PROVINCE_ADMIN, Role.UNIT_ADMIN))
    ):
        raise CatalogError("forbidden")


# --- publishing decisions ---------------------------------------------------------------------------
@transaction.atomic
def record_decision(
    *,
    actor: Any,
    number: str,
    date: dt.date,
    issuer: str,
    title: str = "",
    unit: Unit | None = None,
    effects: list[tuple[Procedure, str, Procedure | None]] | None = None,
    is_demo: bool = False,
) -> Decision:
    """Record a publishing decision with its effects (not yet applied to the procedures)."""
    _must_manage(actor)
    decision, _created = Decision.objects.get_or_create(
        number=number,
        defaults={"date": date, "issuer": issuer, "title": title, "unit": unit, "is_demo": is_demo},
    )
    for procedure, effect, successor in effects or []:
        if effect == DecisionEffectKind.REPLACED and successor is None:
            raise CatalogError("successor_required")
        if successor is not None and successor.pk == procedure.pk:
            raise CatalogError("successor_self")
        DecisionEffect.objects.update_or_create(
            decision=decision, procedure=procedure, defaults={"effect": effect, "successor": successor}
        )
    audit.record(
        "catalog.decision_recorded",
        actor=actor,
        obj=decision,
        unit_id=unit.pk if unit else None,
        after={
            "number": number,
            "date": date.isoformat(),
            "issuer": issuer,
            "effects": [[p.code, e, s.code if s else ""] for p, e, s in effects or []],
        },
    )
    return decision


@transaction.atomic
def apply_decision(decision: Decision, *, actor: Any) -> Decision:
    """Apply a decision's effects: abolished/replaced procedures stop receiving and point to successors.

    Nothing is deleted: the procedure keeps its papers, processes and history of decisions.
    """
    _must_manage(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.applied_at:
        raise CatalogError("decision_applied")
    changes = []
    for effect in decision.effects.select_related("procedure", "successor"):
        procedure = Procedure.objects.select_for_update().get(pk=effect.procedure_id)
        before = {
            "status": procedure.status,
            "successor": procedure.successor.code if procedure.successor else "",
        }
        if effect.effect == DecisionEffectKind.ABOLISHED:
            procedure.status = ProcedureStatus.ABOLISHED
            procedure.successor = effect.successor
        elif effect.effect == DecisionEffectKind.REPLACED:
            if effect.successor is None:
                raise CatalogError("successor_required")
            procedure.status = ProcedureStatus.REPLACED
            procedure.successor = effect.successor
        else:  # new, standardised, amended: the procedure is (again) in force
            procedure.status = ProcedureStatus.ACTIVE
            procedure.successor = None
        procedure.publishing_ref = decision.number[:120]
        procedure.save(update_fields=["status", "successor", "publishing_ref", "updated_at"])
        after = {
            "status": procedure.status,
            "successor": procedure.successor.code if procedure.successor else "",
        }
        changes.append([procedure.code, effect.effect, before, after])
    decision.applied_at = timezone.now()
    decision.save(update_fields=["applied_at"])
    audit.record(
        "catalog.decision_applied",
        actor=actor,
        obj=decision,
        unit_id=decision.unit_id,
        after={"changes": changes},
    )
    return decision


# --- internal processes -----------------------------------------------------------------------------
def validate_process(procedure: Procedure, steps: list[dict[str, Any]]) -> list[CatalogError]:
    """Problems with a proposed process: unknown roles, empty or non-positive steps, hours over legal time."""
    problems: list[CatalogError] = []
    if not steps:
        return [CatalogError("no_steps")]
    total = Decimal(0)
    for position, step in enumerate(steps, start=1):
        order = step.get("order") or position
        if step.get("role") not in Role.values:
            problems.append(CatalogError("unknown_role", order=order, role=step.get("role") or ""))
        hours = Decimal(str(step.get("hours") or 0))
        if hours <= 0:
            problems.append(CatalogError("step_hours", order=order))
        total += hours
    limit = legal_time_hours(procedure)
    if limit is not None and total > limit:
        problems.append(CatalogError("hours_exceed", hours=_num(total), limit=_num(limit)))
    return problems


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def save_process(
    procedure: Procedure,
    steps: list[dict[str, Any]],
    *,
    actor: Any,
    effective_from: dt.date | None = None,
    decision: Decision | None = None,
    unit: Unit | None = None,
    note: str = "",
    is_demo: bool = False,
    version: int | None = None,
) -> InternalProcess:
    """Add a new version of a procedure's internal process after validating it."""
    _must_manage(actor)
    problems = validate_process(procedure, steps)
    if problems:
        raise problems[0]
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    if version is None:
        last = procedure.processes.order_by("-version").first()
        version = (last.version + 1) if last else 1
    process = InternalProcess.objects.create(
        procedure=procedure,
        version=version,
        effective_from=effective_from or timezone.localdate(),
        decision=decision,
        unit=unit,
        note=note,
        is_demo=is_demo,
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            process=process,
            order=step.get("order") or i,
            name=step["name"],
            role=step["role"],
            unit_kind=step.get("unit_kind") or "competent",
            agency=step.get("agency"),
            hours=Decimal(str(step["hours"])),
        )
        for i, step in enumerate(steps, start=1)
    )
    audit.record(
        "catalog.process_saved",
        actor=actor,
        obj=process,
        unit_id=unit.pk if unit else None,
        after=process_snapshot(process),
    )
    return process


@transaction.atomic
def apply_process_snapshot(snap: dict[str, Any], *, actor: Any, source: str) -> tuple[InternalProcess, str]:
    """Create or update one process version (Excel import); validates like save_process."""
    procedure = Procedure.objects.filter(code=snap["procedure"]).first()
    if procedure is None:
        raise CatalogError("procedure_not_found")
    steps = [
        {"order": o, "name": n, "role": r, "unit_kind": uk, "agency": _unit(ag), "hours": h}
        for o, n, r, uk, ag, h in snap["steps"]
    ]
    problems = validate_process(procedure, steps)
    if problems:
        raise problems[0]
    decision = Decision.objects.filter(number=snap["decision"]).first() if snap.get("decision") else None
    process = (
        InternalProcess.objects.select_for_update()
        .filter(procedure=procedure, version=snap["version"])
        .first()
    )
    before = process_snapshot(process) if process else None
    if before is not None and _rows(before) == _rows(snap):
        return process, "unchanged"
    if process is None:
        process = InternalProcess(procedure=procedure, version=snap["version"])
    process.effective_from = dt.date.fromisoformat(str(snap["effective_from"])[:10])
    process.decision = decision
    process.unit = _unit(snap.get("unit") or "")
    process.is_demo = bool(snap.get("is_demo"))
    process.note = snap.get("note") or ""
    process.save()
    if before is None or _rows(before["steps"]) != _rows(snap["steps"]):
        process.steps.all().delete()
        ProcessStep.objects.bulk_create(
            ProcessStep(
                process=process,
                order=s["order"],
                name=s["name"],
                role=s["role"],
                unit_kind=s["unit_kind"],
                agency=s["agency"],
                hours=Decimal(str(s["hours"])),
            )
            for s in steps
        )
    audit.record(
        "catalog.process_imported",
        actor=actor,
        obj=process,
        before=before,
        after=process_snapshot(process),
        purpose=source,
    )
    return process, "created" if before is None else "updated"


@transaction.atomic
def set_volume(
    procedure: Procedure, year: int, dossiers: int, *, actor: Any, unit: Unit | None = None
) -> ProcedureVolume:
    """Record how many dossiers a procedure received in a year (used when live counts are missing)."""
    volume, created = ProcedureVolume.objects.get_or_create(
        procedure=procedure, year=year, unit=unit, defaults={"dossiers": dossiers}
    )
    if not created and volume.dossiers == dossiers:
        return volume
    before = None if created else {"dossiers": volume.dossiers}
    volume.dossiers = dossiers
    volume.save(update_fields=["dossiers"])
    audit.record(
        "catalog.volume_set",
        actor=actor,
        obj=volume,
        unit_id=unit.pk if unit else None,
        before=before,
        after={"procedure": procedure.code, "year": year, "dossiers": dossiers},
    )
    return volume
