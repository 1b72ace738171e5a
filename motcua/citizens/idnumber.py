"""Personal ID numbers (số định danh cá nhân): `PPP G YY NNNNNN` (NĐ 137/2015 Art 13; TT 59/2021/TT-BCA).

PPP: province where the birth was registered (001-096, the 63 official codes); G: century and sex (even for
men, odd for women; 0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s); YY: the last two
digits of the birth year; NNNNNN: a random serial. Pure functions, no Django: shared by the validator and
the population simulator.
"""

from __future__ import annotations

import datetime as dt

from motcua.core.validation import PERSONAL_ID_RE, personal_id_problems

ID_RE = PERSONAL_ID_RE
FIRST_CENTURY = 1900


def century_digit(year: int, sex: str) -> int:
    """The G digit for a birth year and sex ('male'/'female')."""
    base = (year // 100 - FIRST_CENTURY // 100) * 2
    if not 0 <= base <= 8:
        raise ValueError(f"year {year} outside 1900-2399")
    return base + (1 if sex == "female" else 0)


def compose(province: str, year: int, sex: str, serial: int) -> str:
    return f"{province.zfill(3)}{century_digit(year, sex)}{year % 100:02d}{serial:06d}"


def parse(value: str) -> dict:
    """Split a structurally valid number: province, sex, century start year, birth year."""
    g = int(value[3])
    century = FIRST_CENTURY + (g // 2) * 100
    return {
        "province": value[:3],
        "sex": "female" if g % 2 else "male",
        "birth_year": century + int(value[4:6]),
        "serial": value[6:],
    }


def problems(
    value: str, *, date_of_birth: dt.date | None = None, sex: str | None = None
) -> list[tuple[str, dict]]:
    """Codes of what is wrong (empty when valid): the one rule in `core.validation`."""
    return personal_id_problems(value, date_of_birth=date_of_birth, sex=sex)


def is_valid(value: str, **kwargs) -> bool:
    return not problems(value, **kwargs)
