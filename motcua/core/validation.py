"""Validation rules shared by every app (one rule, one place): Vietnamese phone numbers and personal ID
numbers. Uploads live in `motcua.core.uploads`; `motcua.citizens.validation` wraps the ID rule in Django
`ValidationError`s for forms.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

import vietnamadminunits
from django.utils import timezone
from django.utils.translation import gettext as _

# What people type between digits: spaces, dots, dashes, brackets.
_SEPARATORS = re.compile(r"[\s.\-()]")
# National form after normalisation: 0 + 9 digits (mobile) or 0 + 10 digits (landline with area code).
PHONE_RE = re.compile(r"^0\d{9,10}$")
MOBILE_RE = re.compile(r"^0\d{9}$")
# A phone number inside free text (an e-mail body, a comment), written compactly.
PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+84|0)\d{9,10}(?!\d)")


class InvalidPhone(ValueError):
    """Not a Vietnamese phone number; each app turns it into its own coded error."""


def normalise_phone(raw: str | None, *, mobile: bool = False) -> str:
    """'+84 90 123 4567' / '090.123.4567' / '(090) 123-4567' -> '0901234567'; '' stays ''.

    `mobile=True` accepts only 10-digit mobile numbers (SMS one-time codes). Raises `InvalidPhone`.
    """
    phone = _SEPARATORS.sub("", raw or "")
    if not phone:
        return ""
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) >= 11:
        phone = "0" + phone[2:]
    if not (MOBILE_RE if mobile else PHONE_RE).match(phone):
        raise InvalidPhone(raw)
    return phone


def is_phone(raw: str | None, *, mobile: bool = False) -> bool:
    try:
        return bool(normalise_phone(raw, mobile=mobile))
    except InvalidPhone:
        return False


# A personal ID number (số định danh cá nhân, NĐ 137/2015 Art 13; TT 59/2021/TT-BCA; Luật Căn cước 2023):
# `PPP G YY NNNNNN`: PPP the province where the birth was registered (the 63 official codes 001-096), G the
# century and sex (even men, odd women; 0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s ...), YY the last two digits
# of the birth year, NNNNNN a serial. A registry refuses a number whose province code does not exist, whose
# birth year lies in the future or differs from the declared date of birth: so does every surface here.
PERSONAL_ID_RE = re.compile(r"^[0-9]{12}$")
FIRST_CENTURY = 1900


@lru_cache(maxsize=1)
def id_province_codes() -> dict[str, str]:
    """{'001': 'Thành phố Hà Nội', ..., '096': 'Tỉnh Cà Mau'}: the pre-2025 provinces' official codes, read
    from the official list shipped in `vietnamadminunits` (IDs issued before the 2025 merger keep them)."""
    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT DISTINCT provinceCode, province FROM admin_units_legacy ORDER BY provinceCode"
        ).fetchall()
    return {str(code).zfill(3): str(name) for code, name in rows}


def personal_id_pattern(*, optional: bool = False, today: dt.date | None = None) -> str:
    """The ID rule's structure as one regular expression, for API contracts and their fuzzers: a province
    code of the official list, a century/sex digit and two year digits not after this year, six digits.
    (`personal_id_problems` remains the rule with its reasons; this is the same set of numbers.)"""
    provinces = "|".join(sorted(id_province_codes()))
    year = (today or timezone.localdate()).year
    past = "".join(str(d) for d in range(10) if FIRST_CENTURY + (d // 2) * 100 + 99 < year)
    current = "".join(
        str(d)
        for d in range(10)
        if FIRST_CENTURY + (d // 2) * 100 <= year <= FIRST_CENTURY + (d // 2) * 100 + 99
    )
    tens, units = divmod(year % 100, 10)
    upto = (f"[0-{tens - 1}][0-9]|" if tens else "") + f"{tens}[0-{units}]"
    birth = "|".join(
        part
        for part in ((f"[{past}][0-9]{{2}}" if past else ""), (f"[{current}](?:{upto})" if current else ""))
        if part
    )
    body = f"(?:{provinces})(?:{birth})[0-9]{{6}}"
    return f"^({body})?$" if optional else f"^{body}$"


def id_birth_year(value: str) -> int:
    """The birth year a structurally valid number encodes (century digit + two year digits)."""
    return FIRST_CENTURY + (int(value[3]) // 2) * 100 + int(value[4:6])


def id_sex(value: str) -> str:
    return "female" if int(value[3]) % 2 else "male"


def personal_id_problems(
    value: object,
    *,
    date_of_birth: dt.date | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> list[tuple[str, dict[str, object]]]:
    """What is wrong with a personal ID number, as (code, params); empty when a registry would accept it."""
    text = str(value or "").strip()
    if not PERSONAL_ID_RE.match(text):
        return [("structure", {"length": len(text)})]
    found: list[tuple[str, dict[str, object]]] = []
    if text[:3] not in id_province_codes():
        found.append(("province", {"code": text[:3]}))
    year = id_birth_year(text)
    this_year = (today or timezone.localdate()).year
    if year > this_year:
        found.append(("future_year", {"id_year": year}))
    if date_of_birth is not None and year != date_of_birth.year:
        found.append(("birth_year", {"year": date_of_birth.year, "id_year": year}))
    if sex in ("male", "female") and id_sex(text) != sex:
        found.append(("sex", {}))
    return found


def personal_id_message(code: str, params: dict[str, object]) -> str:
    """The Vietnamese sentence for one problem found by `personal_id_problems`."""
    if code == "structure":
        return _("Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập %(length)s ký tự).") % params
    if code == "province":
        return (
            _(
                "Ba chữ số đầu (%(code)s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh hợp lệ (001-096)."
            )
            % params
        )
    if code == "future_year":
        return (
            _(
                "Số định danh cho năm sinh %(id_year)s, sau năm hiện tại: chữ số thứ tư (thế kỷ, giới tính) "
                "hoặc hai chữ số năm sinh bị nhập sai."
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


def personal_id_error(value: object, *, date_of_birth: dt.date | None = None, sex: str | None = None) -> str:
    """'' when valid, else every problem in one Vietnamese text."""
    return " ".join(
        personal_id_message(code, params)
        for code, params in personal_id_problems(value, date_of_birth=date_of_birth, sex=sex)
    )


def is_personal_id(value: object) -> bool:
    """True for a personal ID number a registry would accept: 12 digits, a real province code, a birth
    year that is not in the future."""
    return not personal_id_problems(value)


def date_in_future(value: dt.date | None) -> bool:
    """A date of birth or of an event after today (in the province's time zone)."""
    return value is not None and value > timezone.localdate()
