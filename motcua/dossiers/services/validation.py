"""Intake input checked against the rules and the catalog: the applicant and the declaration form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.selectors import Procedure
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


def validate_form(
    procedure: Procedure, form_data: Mapping[str, object], catalog: CatalogSnapshot | None = None
) -> dict[str, object]:
    """The declaration checked by the catalog's rule (`catalog.selectors.clean_declaration`, the same for
    the portal wizard, the counter and the API); returns the cleaned values. The first refusal is raised
    with the catalog's code and Vietnamese message."""
    fields = (catalog or catalog_snapshot(procedure)).form_fields(procedure)
    clean, errors = catalog_selectors.clean_declaration(fields, form_data)
    for refusal in errors.values():
        raise DossierError(refusal.code, **refusal.params)
    return clean
