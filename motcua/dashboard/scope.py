"""Which units a dashboard request counts: the ONE scope rule (`org.User.unit_scope`), applied before any
figure, list or export is read. A request names a unit; it gets the unit and every unit below it (the
materialised `Unit.path`), intersected with the viewer's scope; a unit outside the scope is refused
(403), whatever the parameters. Anonymous visitors get only the public figures (`public_scope`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from motcua.core.scoping import ALL, scope_for
from motcua.dashboard.errors import DashboardError
from motcua.org import selectors as org_selectors
from motcua.org.models import COMMUNE_LEVEL, Unit, UnitKind


@dataclass(frozen=True)
class Scope:
    unit: Unit  # the unit asked for
    unit_ids: tuple[int, ...]  # the units counted: it and those below it, within the viewer's scope
    whole: bool  # the viewer's scope covers every unit counted (no unit below is hidden)

    @property
    def label(self) -> str:
        return _("%(unit)s (mã %(code)s, gồm %(n)s đơn vị)") % {
            "unit": self.unit.name,
            "code": self.unit.code,
            "n": len(self.unit_ids),
        }


def units_below(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))


def _unit(code: str) -> Unit:
    if not code:
        raise DashboardError("unit_missing")
    if len(code) > 32 or not code.isprintable():
        raise DashboardError("unit_unknown", code="?")
    unit = org_selectors.unit_by_code(code)
    if unit is None:
        raise DashboardError("unit_unknown", code=code)
    return unit


def resolve(user: Any, code: str) -> Scope:
    """The scope of `user` for the unit `code` (the user's own top unit when empty); 403 outside it."""
    seen = scope_for(user)
    unit = default_unit(user) if not code else _unit(code)
    if unit is None or (seen is not ALL and unit.pk not in seen):
        raise DashboardError("outside_scope")
    below = units_below(unit)
    if seen is ALL:
        return Scope(unit, tuple(sorted(below)), True)
    ids = tuple(sorted(set(below) & set(cast(tuple[int, ...], seen))))
    return Scope(unit, ids, len(ids) == len(below))


def default_unit(user: Any) -> Unit | None:
    """The highest unit the user sees: the province for city-wide staff, else their own top unit."""
    seen = scope_for(user)
    if seen is ALL:
        return org_selectors.province()
    if not seen:
        return None
    units = Unit.objects.filter(pk__in=seen).order_by("path")
    return min(units, key=lambda u: u.path.count("/"), default=None)


def public_scope(code: str) -> Scope:
    """Anyone may see the published figures of the province, of a commune-level unit and of an agency
    (a department publishes its own on-time and satisfaction figures too)."""
    unit = _unit(code)
    if unit.kind not in (*COMMUNE_LEVEL, UnitKind.PROVINCE, UnitKind.AGENCY):
        raise DashboardError("unit_unknown", code=code)
    return Scope(unit, tuple(sorted(units_below(unit))), True)


def parse_day(value: str | None, default: dt.date) -> dt.date:
    """ISO (YYYY-MM-DD) or dd/mm/yyyy; empty: `default`; anything else: 400."""
    if value is None or value == "":
        return default
    text = str(value).strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        parsed = parse_date(text) if len(text) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise DashboardError("bad_date", value=text[:40].encode("ascii", "replace").decode())
    return parsed


def period(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """[from, to] (default: this month so far; `to` defaults to today, or to `from` when that is later);
    refused when reversed. Any length is allowed: the monthly roll-ups keep long periods cheap."""
    today = timezone.localdate()
    frm_given = parse_day(start, today) if start else None
    to = parse_day(end, max(today, frm_given) if frm_given else today)
    frm = frm_given or to.replace(day=1)
    if frm > to:
        raise DashboardError("bad_period")
    return frm, to


def default_public_unit() -> Unit | None:
    return org_selectors.province()
