"""The portal's only door into the other apps: their services and selectors, and the shapes it shows."""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

from django.conf import settings

from motcua.catalog import selectors as catalog_selectors
from motcua.citizens.services import prefill_for_citizen
from motcua.dossiers import selectors as dossiers_selectors
from motcua.dossiers import services as dossiers_services
from motcua.org.models import COMMUNE_LEVEL, Unit
from motcua.org.selectors import find_unit_in_text

logger = logging.getLogger(__name__)

# catalog RegistryField -> citizens shared field name, where they differ
REGISTRY_ALIASES = {
    "home_town": "hometown",
    "household_head_relation": "household_relation",
    "birth_registration_place": "place_of_birth_registration",
}


def catalog() -> ModuleType:
    return catalog_selectors


def dossier_selectors() -> ModuleType:
    return dossiers_selectors


def dossier_services() -> ModuleType:
    return dossiers_services


def public_status(code: str) -> dict | None:
    return present(dossiers_selectors.public_status(code))


def registry_prefill(user, procedure_code: str = "") -> tuple[dict[str, Any], str]:
    """(fields, error) from the population registry for the signed-in citizen's own form.

    The citizens app records the consent and logs the look-up; an unavailable registry never blocks the form
    (the citizen types the fields), it only explains why nothing was pre-filled.
    """
    try:
        result = prefill_for_citizen(user, procedure_code=procedure_code)
    except Exception as exc:  # noqa: BLE001 - the registry being down must not block the form
        logger.warning("population registry prefill failed: %s", exc)
        return {}, "unavailable"
    if isinstance(result, dict):
        return result, ""
    if not getattr(result, "ok", False):
        return {}, getattr(result, "error", "") or ""
    fields = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in (result.fields or {}).items()}
    return {k: v for k, v in fields.items() if isinstance(v, str | int | float)}, ""


def registry_value(prefill: dict, registry_field: str) -> Any:
    if not registry_field:
        return None
    value = prefill.get(registry_field)
    if value in (None, "") and registry_field in REGISTRY_ALIASES:
        value = prefill.get(REGISTRY_ALIASES[registry_field])
    return value


def _parse_moment(value):
    import datetime as dt

    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def present(status: dict | None) -> dict | None:
    """The dossier app's public status (ISO strings) ready for templates (datetimes, step text)."""
    if status is None:
        return None
    out = {k: (_parse_moment(v) if k.endswith("_at") else v) for k, v in status.items()}
    step = status.get("step")
    if isinstance(step, dict):
        name = step.get("name") or ""
        if step.get("order") and step.get("total"):
            out["step_text"] = f"{name} ({step['order']}/{step['total']})"
        else:
            out["step_text"] = name
    elif step:
        out["step_text"] = str(step)
    if "timeline" in status:
        out["timeline"] = present_timeline(status["timeline"])
    return out


def present_timeline(events) -> list[dict]:
    rows = []
    for e in events or []:
        row = dict(e) if isinstance(e, dict) else {"at": e.at, "label": getattr(e, "action", ""), "note": ""}
        row["at"] = _parse_moment(row.get("at"))
        rows.append(row)
    return rows


def receiving_units() -> list[Unit]:
    """Today's commune-level units of the province: any of their desks receives a dossier (NĐ 118/2025)."""
    return list(
        Unit.objects.filter(
            province_code=settings.MOTCUA_PROVINCE_CODE, valid_to__isnull=True, kind__in=COMMUNE_LEVEL
        ).order_by("name")
    )


def unit_in_text(address: str) -> Unit | None:
    """The commune-level unit an address names (old names resolve to today's unit), for the default desk."""
    found = find_unit_in_text(address, settings.MOTCUA_PROVINCE_CODE)
    return found if found is not None and found.kind in COMMUNE_LEVEL else None
