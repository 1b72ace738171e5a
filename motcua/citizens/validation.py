"""Validation of personal ID numbers with clear Vietnamese messages (django ValidationError)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.citizens import idnumber


def _message(code: str, params: dict) -> str:
    if code == "structure":
        return _("Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập %(length)s ký tự).") % params
    if code == "province":
        return (
            _(
                "Ba chữ số đầu (%(code)s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh hợp lệ (001-096)."
            )
            % params
        )
    if code == "birth_year":
        return (
            _(
                "Số định danh không khớp năm sinh: chữ số thế kỷ và hai chữ số năm cho năm %(id_year)s, "
                "nhưng ngày sinh là năm %(year)s."
            )
            % params
        )
    if code == "sex":
        return _(
            "Chữ số thứ tư (thế kỷ và giới tính) không khớp giới tính đã khai (số chẵn: nam, số lẻ: nữ)."
        )
    return _("Số định danh cá nhân không hợp lệ.")


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
