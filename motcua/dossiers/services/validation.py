"""Intake input checked against the rules and the catalog: the applicant and the declaration form."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from motcua.core.dates import parse_date
from motcua.core.validation import InvalidPhone, is_personal_id, normalise_phone
from motcua.dossiers.errors import DossierError
from motcua.dossiers.services.catalog import CatalogSnapshot, catalog_snapshot

APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_personal_id",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)


def validate_applicant(applicant: dict[str, Any]) -> dict[str, str]:
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


def _form_value(field: Any, value: Any) -> Any:
    """One declaration value checked against its catalog field type."""
    if field.field_type == "number":
        try:
            return float(value) if "." in str(value) else int(value)
        except (TypeError, ValueError):
            raise DossierError("form_number", label=field.label) from None
    if field.field_type == "date":
        try:
            day = parse_date(value)  # dd/mm/yyyy as typed, or ISO
        except ValueError:
            raise DossierError("form_date", label=field.label) from None
        if day > timezone.localdate():  # births, deaths, issue dates: a child born 9999-12-31 was taken
            raise DossierError("form_date_future", label=field.label)
        return day.isoformat()
    if field.field_type == "choice":
        choices = [str(c.get("value", c) if isinstance(c, dict) else c) for c in (field.choices or [])]
        if choices and str(value) not in choices:
            raise DossierError("form_choice", label=field.label)
        return value
    if field.field_type == "personal_id":
        if not is_personal_id(value):
            raise DossierError("personal_id")
        return value
    return str(value)[:2000]


def validate_form(
    procedure: Any, form_data: dict[str, Any], catalog: CatalogSnapshot | None = None
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
        clean[field.key] = _form_value(field, value)
    return clean
