"""Validation rules shared by every app: Vietnamese phone numbers (one rule, one place).

Personal ID numbers live in `motcua.citizens.idnumber` (structure) and `motcua.citizens.validation`
(messages); uploads in `motcua.core.uploads`.
"""

from __future__ import annotations

import re

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


# The shape of a personal ID number (số định danh cá nhân): 12 digits. Its structure (province, century and
# sex digit, birth year) is checked by `motcua.citizens.idnumber` / `motcua.citizens.validation`, which apps
# that may import citizens use; the catalog (below citizens) checks the shape only.
PERSONAL_ID_RE = re.compile(r"^[0-9]{12}$")


def is_personal_id(value: object) -> bool:
    """True for a 12-digit personal ID number (shape only)."""
    return bool(PERSONAL_ID_RE.match(str(value or "")))
