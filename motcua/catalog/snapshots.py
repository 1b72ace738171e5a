"""One canonical, JSON-able picture of a procedure and of an internal process.

The JSON importer, the Excel importer and the audit trail all speak this shape: an import computes the
wanted snapshot, compares it with the current one and writes only the difference, which is what makes a
second import change nothing and an edited Excel cell change exactly that value.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.catalog.models import InternalProcess, Procedure

PROCEDURE_FIELDS = [
    "code",
    "local_suffix",
    "name",
    "field",
    "competent_level",
    "level_text",
    "competent_agency",
    "applicants",
    "conditions",
    "result_text",
    "legal_basis",
    "online_level",
    "status",
    "successor",
    "time_value",
    "time_unit",
    "time_note",
    "fee_note",
    "publishing_ref",
    "needs_review",
    "review_note",
    "is_demo",
    "sources",
]
TIME_COLUMNS = ["channel", "value", "unit", "note"]
REQUIREMENT_COLUMNS = [
    "order",
    "name",
    "kind",
    "quantity_original",
    "quantity_copy",
    "quantity_text",
    "form_name",
    "required",
    "condition",
    "copy_kind",
    "quantity",
    "needs_review",
]
FEE_COLUMNS = ["channel", "amount", "description", "exemption"]
FORM_COLUMNS = [
    "order",
    "key",
    "label",
    "field_type",
    "required",
    "choices",
    "help_text",
    "registry_field",
    "registry_subject",
    "max_length",
]
PROCESS_FIELDS = ["procedure", "version", "effective_from", "decision", "unit", "is_demo", "note"]
STEP_COLUMNS = ["order", "name", "role", "unit_kind", "agency", "hours"]


def dec(value: Any) -> str:
    """Canonical decimal text ('1.50', '8.00'); '' for empty."""
    if value is None or value == "":
        return ""
    try:
        return str(Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01")))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def procedure_snapshot(p: Procedure) -> dict[str, Any]:
    return {
        "code": p.code,
        "local_suffix": p.local_suffix,
        "name": p.name,
        "field": p.field.name if p.field else "",
        "competent_level": p.competent_level,
        "level_text": p.level_text,
        "competent_agency": p.competent_agency.code if p.competent_agency else "",
        "applicants": p.applicants,
        "conditions": p.conditions,
        "result_text": p.result_text,
        "legal_basis": p.legal_basis,
        "online_level": p.online_level,
        "status": p.status,
        "successor": p.successor.code if p.successor else "",
        "time_value": dec(p.time_value),
        "time_unit": p.time_unit,
        "time_note": p.time_note,
        "fee_note": p.fee_note,
        "publishing_ref": p.publishing_ref,
        "needs_review": bool(p.needs_review),
        "review_note": p.review_note,
        "is_demo": bool(p.is_demo),
        "sources": list(p.sources or []),
        "times": [[t.channel, dec(t.value), t.unit, t.note] for t in p.times.order_by("channel")],
        "requirements": [
            [
                r.order,
                r.name,
                r.kind,
                r.quantity_original,
                r.quantity_copy,
                r.quantity_text,
                r.form_name,
                r.required,
                r.condition,
                r.copy_kind,
                r.quantity,
                r.needs_review,
            ]
            for r in p.requirements.order_by("order", "id")
        ],
        "fees": [[f.channel, f.amount, f.description, f.exemption] for f in p.fees.order_by("id")],
        "form_fields": [
            [
                f.order,
                f.key,
                f.label,
                f.field_type,
                f.required,
                json.dumps(f.choices or [], ensure_ascii=False),
                f.help_text,
                f.registry_field,
                f.registry_subject,
                f.max_length,
            ]
            for f in p.form_fields.order_by("order", "id")
        ],
    }


def process_snapshot(process: InternalProcess) -> dict[str, Any]:
    return {
        "procedure": process.procedure.code,
        "version": process.version,
        "effective_from": process.effective_from.isoformat(),
        "decision": process.decision.number if process.decision else "",
        "unit": process.unit.code if process.unit else "",
        "is_demo": bool(process.is_demo),
        "note": process.note,
        "steps": [
            [s.order, s.name, s.role, s.unit_kind, s.agency.code if s.agency else "", dec(s.hours)]
            for s in process.steps.order_by("order", "id")
        ],
    }
