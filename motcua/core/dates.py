"""Dates as Vietnamese people read and type them: dd/mm/yyyy, whatever the browser's locale.

Pages never use `<input type="date">` (it shows mm/dd/yyyy or yyyy-mm-dd depending on the browser's locale):
a text input with the dd/mm/yyyy pattern (`DATE_INPUT_ATTRS`, `VNDateField`) and one parser on the server
(`parse_date`), which also accepts ISO dates (links, API clients).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

_VN = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")

# The attributes of every date text input (templates write them out; VNDateInput carries them).
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"
DATE_PLACEHOLDER = "dd/mm/yyyy"
DATE_INPUT_ATTRS = {
    "inputmode": "numeric",
    "pattern": DATE_PATTERN,
    "placeholder": DATE_PLACEHOLDER,
    "autocomplete": "off",
    "maxlength": "10",
    "class": "date-vn",
}


def parse_date(value: Any) -> dt.date:
    """'7/3/2026', '07/03/2026', '07-03-2026', '07.03.2026' or '2026-03-07' -> date(2026, 3, 7).

    Raises ValueError for anything else (including impossible days such as 31/02/2026)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "")
    match = _VN.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError(f"not a date: {text[:40]!r}")


def parse_date_or_none(value: Any) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def format_date(value: Any) -> str:
    """A date, a datetime or an ISO date string as dd/mm/yyyy; anything else unchanged ('' for None)."""
    if value is None or value == "":
        return ""
    day = parse_date_or_none(value)
    return f"{day:%d/%m/%Y}" if day else str(value)


class VNDateInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={**DATE_INPUT_ATTRS, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        return format_date(value) or None


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (ISO accepted), with a Vietnamese message."""

    widget = VNDateInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 07/03/2026.")
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
