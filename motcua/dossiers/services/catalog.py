"""What intake needs from the catalog and the calendar, cached per process behind a cheap stamp.

The catalog is read through its selectors, the stamp too (`catalog.selectors.intake_stamp`: one query).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.selectors import FormField, Procedure, Requirement
from motcua.core.calendar import LegalCalendar, calendar_for
from motcua.dossiers.models import Dossier
from motcua.org.models import COMMUNE_LEVEL, Role, Unit
from motcua.org.selectors import find_unit_in_text

T = TypeVar("T")
Stamp = tuple[Any, ...]


class CatalogSnapshot:
    """What intake needs from the catalog for one procedure, read once per process and re-checked on
    every use against a cheap stamp (one query; see `_catalog_stamp`). Items are memoised lazily."""

    def __init__(self, procedure_id: int, stamp: Stamp | None) -> None:
        self.procedure_id = procedure_id
        self.stamp = stamp
        self.loaded = time.monotonic()
        self._memo: dict[Any, Any] = {}

    def _get(self, key: object, load: Callable[[], T]) -> T:
        try:
            value: T = self._memo[key]
        except KeyError:
            value = self._memo[key] = load()
        return value

    def papers(self, procedure: Procedure) -> list[Requirement]:
        return self._get("papers", lambda: list(catalog_selectors.papers(procedure)))

    def form_fields(self, procedure: Procedure) -> list[FormField]:
        return self._get("form_fields", lambda: list(catalog_selectors.form_fields(procedure)))

    def legal_time(self, procedure: Procedure, channel: str) -> tuple[float, str]:
        return self._get(("time", channel), lambda: _legal_time(procedure, channel))

    def steps(self, procedure: Procedure, on: dt.date | None, unit: Unit | None) -> list[dict[str, Any]]:
        key = ("steps", on, unit.pk if unit is not None else None)
        return self._get(key, lambda: _process_steps(procedure, on, unit))


_SNAPSHOTS: dict[int, CatalogSnapshot] = {}
CATALOG_TTL = 60.0


def _catalog_stamp(procedure_id: int, province_code: str) -> tuple[Stamp, Stamp] | None:
    """Fingerprints of the procedure's catalog rows and the province's calendar overrides (one query)."""
    return catalog_selectors.intake_stamp(procedure_id, province_code)


def catalog_snapshot(procedure: Procedure, province_code: str | None = None) -> CatalogSnapshot:
    """The procedure's cached catalog data, checked against the database (one query). Also refreshes
    the province calendar when its overrides changed."""
    code: str = province_code or settings.MOTCUA_PROVINCE_CODE
    stamps = _catalog_stamp(procedure.pk, code)
    if stamps is None:  # unknown procedure (unsaved?): nothing to cache
        return CatalogSnapshot(procedure.pk, None)
    stamp, calendar_stamp = stamps
    cached = _SNAPSHOTS.get(procedure.pk)
    if cached is None or cached.stamp != stamp or time.monotonic() - cached.loaded > CATALOG_TTL:
        cached = _SNAPSHOTS[procedure.pk] = CatalogSnapshot(procedure.pk, stamp)
    calendar = _CALENDARS.get(code)
    if calendar is None or calendar[2] != calendar_stamp:
        _CALENDARS[code] = (time.monotonic(), calendar_for(code), calendar_stamp)
    else:  # checked just now: valid for another TTL
        _CALENDARS[code] = (time.monotonic(), calendar[1], calendar_stamp)
    return cached


def legal_time(
    procedure: Procedure, channel: str, catalog: CatalogSnapshot | None = None
) -> tuple[float, str]:
    """(value, LegalTimeUnit) of the procedure's legal time for a channel."""
    return (catalog or catalog_snapshot(procedure)).legal_time(procedure, channel)


def _legal_time(procedure: Procedure, channel: str) -> tuple[float, str]:
    value, unit = catalog_selectors.legal_time(procedure, channel)  # the catalog's fallbacks are the rule
    return float(value or 0), unit


def process_steps(
    procedure: Procedure,
    on: dt.date | None = None,
    unit: Unit | None = None,
    catalog: CatalogSnapshot | None = None,
) -> list[dict[str, Any]]:
    """The steps of the internal process in force on `on` for `unit` (a default two-step process when the
    catalog has none). Cached: callers must not modify the returned dicts."""
    return (catalog or catalog_snapshot(procedure)).steps(procedure, on, unit)


def _process_steps(procedure: Procedure, on: dt.date | None, unit: Unit | None) -> list[dict[str, Any]]:
    process = catalog_selectors.current_process(procedure, on=on, unit=unit)
    steps = list(process.steps.all().order_by("order")) if process is not None else []
    if not steps:
        return [
            {
                "order": 1,
                "name": _("Thẩm định, xử lý hồ sơ"),
                "role": Role.SPECIALIST,
                "unit_kind": "competent",
                "agency": None,
                "hours": 8,
            },
            {
                "order": 2,
                "name": _("Phê duyệt kết quả"),
                "role": Role.UNIT_LEADER,
                "unit_kind": "competent",
                "agency": None,
                "hours": 4,
            },
        ]
    return [
        {
            "order": s.order,
            "name": s.name,
            "role": s.role,
            "unit_kind": s.unit_kind or "",
            "agency": s.agency if s.agency_id else None,
            "hours": float(s.hours or 0),
        }
        for s in steps
    ]


def route_competent_unit(procedure: Procedure, receiving_unit: Unit, address: str = "") -> Unit:
    """Routing by competence (NĐ 118/2025): the desk receives anywhere, the competent unit decides."""
    if procedure.competent_agency is not None:
        return procedure.competent_agency
    level = str(procedure.competent_level or "").lower()
    if level in ("province", "ministry"):
        province = Unit.objects.filter(code=receiving_unit.province_code, valid_to__isnull=True).first()
        return province or receiving_unit
    if address:
        found = find_unit_in_text(address, receiving_unit.province_code)
        if found is not None and found.kind in COMMUNE_LEVEL:
            return found
    return receiving_unit


_CALENDARS: dict[str, tuple[float, LegalCalendar, Stamp | None]] = {}
CALENDAR_TTL = 60.0


def calendar(d: Dossier) -> LegalCalendar:
    """The province calendar, re-read at most once a minute (overrides change a few times a year);
    intake re-checks it against the overrides' stamp on every dossier (`catalog_snapshot`)."""
    code = d.unit.province_code
    cached = _CALENDARS.get(code)
    if cached is None or time.monotonic() - cached[0] > CALENDAR_TTL:
        cached = (time.monotonic(), calendar_for(code), None)
        _CALENDARS[code] = cached
    return cached[1]


def required_papers(
    procedure: Procedure, catalog: CatalogSnapshot | None = None, answers: Mapping[str, bool] | None = None
) -> list[Requirement]:
    """Papers to hand in for this dossier: required, handed in (not shown, not held by the registry),
    and, for a conditional paper, only when the applicant said the case applies (`answers`)."""
    papers = (catalog or catalog_snapshot(procedure)).papers(procedure)
    return [r for r in papers if r.required and r.kind == "submit" and r.applies(answers)]


def missing_papers(
    procedure: Procedure,
    files: Mapping[str | int, object] | None,
    catalog: CatalogSnapshot | None = None,
    answers: Mapping[str, bool] | None = None,
) -> list[Requirement]:
    have = {int(k) for k, v in (files or {}).items() if v}
    return [r for r in required_papers(procedure, catalog, answers) if r.pk not in have]


def clean_paper_answers(
    procedure: Procedure,
    answers: Mapping[str, bool] | None,
    sighted: Iterable[Any] = (),
    catalog: CatalogSnapshot | None = None,
) -> tuple[dict[str, bool], list[int]]:
    """The applicant's yes/no per conditional paper and the shown papers the officer sighted, kept only
    for this procedure's papers (anything else is dropped: it cannot change what is required)."""
    papers = (catalog or catalog_snapshot(procedure)).papers(procedure)
    conditional = {str(r.pk) for r in papers if r.condition is not None}
    shown = {r.pk for r in papers if r.kind == "show"}
    clean = {str(k): bool(v) for k, v in (answers or {}).items() if str(k) in conditional}
    seen: list[int] = []
    for value in sighted or ():
        pk = int(value) if str(value).isdigit() else None
        if pk is not None and pk in shown and pk not in seen:
            seen.append(pk)
    return clean, sorted(seen)


def paper_line(r: Requirement) -> str:
    """'Giấy chứng sinh (01 bản chính)': how the forms list a paper."""
    return f"{r.short_name} ({r.quantity_label})"


def checklist(d: Dossier) -> list[dict[str, Any]]:
    """The dossier's papers as the forms list them: each paper that applies to this applicant (always
    needed, or its case answered yes), in the catalog's order, with copy kind and quantity and what the
    desk has of it: scans handed in, the original sighted (shown papers), or nothing yet. Papers the
    registry holds and notes are not listed; scans not tied to a catalog paper come last."""
    scans: dict[int | None, int] = {}
    extra: list[str] = []
    for paper in d.papers.all():
        if paper.requirement_id is None:
            extra.append(paper.name)
        scans[paper.requirement_id] = scans.get(paper.requirement_id, 0) + 1
    rows: list[dict[str, Any]] = []
    sighted = {int(pk) for pk in d.sighted_papers or []}
    for r in catalog_snapshot(d.procedure).papers(d.procedure):
        if r.kind not in ("submit", "show") or not (r.applies(d.paper_answers) or scans.get(r.pk)):
            continue  # a case that does not apply, unless its paper was brought all the same
        if r.kind == "submit" and not r.required and not scans.get(r.pk):
            continue  # "nếu có": listed only when brought
        rows.append(
            {
                "name": r.short_name,
                "quantity": r.quantity_label,
                "shown": r.kind == "show",
                "sighted": r.pk in sighted,
                "scans": scans.get(r.pk, 0),
            }
        )
    rows.extend(
        {"name": name, "quantity": "", "shown": False, "sighted": False, "scans": 1} for name in extra
    )
    return rows
