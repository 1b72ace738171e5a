"""Reads about units that other apps use."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Count, Max
from unidecode import unidecode

from motcua.org.models import COMMUNE_LEVEL, Role, Unit, UnitKind, User

_PREFIXES = ("phuong", "xa", "dac khu", "thi tran", "quan", "huyen", "thi xa", "thanh pho", "tp", "tinh")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics, collapse spaces: 'Phường Cầu Kho' -> 'phuong cau kho'."""
    text = unidecode((text or "").replace("đ", "d").replace("Đ", "D")).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def name_key(text: str) -> str:
    return fold(text).replace(" ", "")


def province() -> Unit | None:
    return Unit.objects.filter(code=settings.MOTCUA_PROVINCE_CODE, valid_to__isnull=True).first()


def current_communes(province_code: str | None = None):
    code = province_code or settings.MOTCUA_PROVINCE_CODE
    return Unit.objects.filter(province_code=code, kind__in=COMMUNE_LEVEL, valid_to__isnull=True)


def agencies(province_code: str | None = None):
    code = province_code or settings.MOTCUA_PROVINCE_CODE
    return Unit.objects.filter(province_code=code, kind=UnitKind.AGENCY, valid_to__isnull=True)


def unit_by_code(code: str) -> Unit | None:
    """Today's unit for a code; an old unit's code resolves to its successor."""
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit:
        return unit
    old = Unit.objects.filter(code=code).exclude(valid_to__isnull=True).select_related("successor").first()
    return old.resolve() if old else None


_CANDIDATES: dict[str, tuple[tuple, list]] = {}


def _address_candidates(code: str) -> list[tuple[str, str, str, Unit]]:
    """(folded full name, folded short name, folded parent short name, unit) for a province, cached per
    process and rebuilt when the province's units change (count or highest id)."""
    units = Unit.objects.filter(province_code=code, kind__in=[*COMMUNE_LEVEL, UnitKind.TOWN])
    stamp = tuple(units.aggregate(n=Count("id"), top=Max("id")).values())
    cached = _CANDIDATES.get(code)
    if cached and cached[0] == stamp:
        return cached[1]
    rows = [
        (fold(u.name), fold(u.short_name), fold(u.parent.short_name) if u.parent else "", u)
        for u in units.select_related("parent", "successor")
    ]
    _CANDIDATES[code] = (stamp, rows)
    return rows


def find_unit_in_text(text: str, province_code: str | None = None) -> Unit | None:
    """Today's commune-level unit named in a free-text address, old names included.

    'Số 5 Trần Hưng Đạo, phường Cầu Kho, Quận 1' -> phường Cầu Ông Lãnh. Longest matching name wins;
    a current unit wins over an old one of the same name; an old ward's district in the text breaks ties.
    """
    folded = f" {fold(text)} "
    code = province_code or settings.MOTCUA_PROVINCE_CODE
    best: tuple[int, int, Unit] | None = None
    for full, short, parent_short, unit in _address_candidates(code):
        length = 0
        if full and f" {full} " in folded:
            length = len(full) + 5
        elif short and len(short) > 2 and f" {short} " in folded:
            length = len(short)
        if not length:
            continue
        score = 2 if unit.valid_to is None else 0
        if unit.valid_to is not None and parent_short and f" {parent_short} " in folded:
            score += 3
        key = (length, score)
        if best is None or key > best[:2]:
            best = (length, score, unit)
    if best is None:
        return None
    return best[2].resolve()


# Who calls queue numbers to a counter of the hall (one-stop-shop desk officers and the ward's leader).
COUNTER_ROLES = (Role.DESK_OFFICER, Role.UNIT_LEADER)


def counter_unit(user: User) -> Unit | None:
    """The commune-level unit whose hall counter `user` serves (None: no counter, e.g. a city leader)."""
    for assignment in user._active_roles():
        unit: Unit = assignment.unit
        if assignment.role in COUNTER_ROLES and unit.kind in COMMUNE_LEVEL:
            return unit
    return None
