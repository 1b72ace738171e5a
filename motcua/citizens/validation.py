"""Validation of personal ID numbers with clear Vietnamese messages (django ValidationError)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from motcua.citizens import idnumber
from motcua.core.validation import personal_id_message


def _message(code: str, params: dict) -> str:
    return personal_id_message(code, params)


def _as_date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def validate_personal_id(
    value: str, *, date_of_birth: dt.date | str | None = None, sex: str | None = None
) -> str:
    """Raise ValidationError (all problems at once) or return the cleaned 12-digit number."""
    cleaned = (value or "").strip().replace(" ", "")
    found = idnumber.problems(cleaned, date_of_birth=_as_date(date_of_birth), sex=sex)
    if found:
        raise ValidationError(
            [ValidationError(_message(code, params), code=f"personal_id_{code}") for code, params in found]
        )
    return cleaned
