"""Re-engineering figures for a year and a scope (the province, a unit).

- Decisions dated in the year, issued in the scope, and their effects on procedures
  ("45 decisions: 90 standardised, 83 abolished of which 27 replaced": replaced counts inside abolished).
- Internal processes changed: each process version that took effect in the year and has an earlier
  version of the same procedure (and unit) is compared with that earlier version: steps removed and
  working hours saved per dossier.
- Hours saved per year = hours saved per dossier x dossiers received under the new version in the year.
  Dossier counts come from a registered volume provider (the dossier app counts its own records);
  when it has none, the previous year's volume (provider or the `ProcedureVolume` table) is scaled
  to the part of the year the new version was in force, and the row is marked "estimated".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.db.models import Model, Q, QuerySet, Sum

from motcua.catalog.models import (
    Decision,
    DecisionEffect,
    DecisionEffectKind,
    InternalProcess,
    Procedure,
    ProcedureVolume,
)
from motcua.org.models import Unit

# fn(procedure, start: date, end: date, unit: Unit | None) -> int | None (None = no records for that period)
VolumeProvider = Callable[..., "int | None"]
_providers: list[VolumeProvider] = []

_M = TypeVar("_M", bound=Model)


def register_volume_provider(provider: VolumeProvider) -> None:
    """Let another app (dossiers) count dossiers received per procedure and period."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_volume_provider(provider: VolumeProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def _provided(procedure: Procedure, start: dt.date, end: dt.date, unit: Unit | None) -> int | None:
    for provider in _providers:
        value = provider(procedure, start, end, unit)
        if value is not None:
            return int(value)
    return None


def _table_volume(procedure: Procedure, year: int, unit: Unit | None) -> int | None:
    rows = ProcedureVolume.objects.filter(procedure=procedure, year=year)
    if unit is not None:
        rows = rows.filter(Q(unit__isnull=True) | Q(unit__path__startswith=unit.path))
    total = rows.aggregate(n=Sum("dossiers"))["n"]
    return int(total) if total is not None else None


@dataclass
class ProcessChange:
    procedure_code: str
    procedure_name: str
    version: int
    previous_version: int
    effective_from: dt.date
    decision: str
    steps_before: int
    steps_after: int
    hours_before: Decimal
    hours_after: Decimal
    dossiers: int
    volume_source: str  # "records" | "estimated" | "none"

    @property
    def steps_removed(self) -> int:
        return self.steps_before - self.steps_after

    @property
    def hours_saved_per_dossier(self) -> Decimal:
        return self.hours_before - self.hours_after

    @property
    def hours_saved_year(self) -> Decimal:
        return (self.hours_saved_per_dossier * self.dossiers).quantize(Decimal("0.01"))


@dataclass
class Report:
    year: int
    scope: object
    decisions: int = 0
    effects: Counter = field(default_factory=Counter)
    changes: list[ProcessChange] = field(default_factory=list)

    @property
    def abolished_total(self) -> int:
        return self.effects[DecisionEffectKind.ABOLISHED] + self.effects[DecisionEffectKind.REPLACED]

    @property
    def processes_changed(self) -> int:
        return len(self.changes)

    @property
    def steps_removed(self) -> int:
        return sum(c.steps_removed for c in self.changes)

    @property
    def hours_saved_per_dossier(self) -> Decimal:
        return sum((c.hours_saved_per_dossier for c in self.changes), Decimal(0))

    @property
    def hours_saved_year(self) -> Decimal:
        return sum((c.hours_saved_year for c in self.changes), Decimal(0))

    @property
    def estimated(self) -> bool:
        return any(c.volume_source == "estimated" for c in self.changes)

    def summary(self) -> str:
        e = self.effects
        return (
            f"{self.decisions} quyết định: {e[DecisionEffectKind.NEW]} ban hành mới, "
            f"{e[DecisionEffectKind.STANDARDISED]} chuẩn hóa, {e[DecisionEffectKind.AMENDED]} sửa đổi, "
            f"{self.abolished_total} bãi bỏ (trong đó {e[DecisionEffectKind.REPLACED]} được thay thế)"
        )


def _in_scope(qs: QuerySet[_M], scope: Unit | None, lookup: str) -> QuerySet[_M]:
    if scope is None:
        return qs
    return qs.filter(Q(**{f"{lookup}__isnull": True}) | Q(**{f"{lookup}__path__startswith": scope.path}))


def reengineering_report(year: int, scope: Unit | None = None) -> Report:
    """Figures for `year` within `scope` (a Unit, or None for everything)."""
    report = Report(year=year, scope=scope)
    decisions = Decision.objects.filter(date__year=year)
    if scope is not None:
        decisions = decisions.filter(unit__path__startswith=scope.path)
    report.decisions = decisions.count()
    report.effects = Counter(
        DecisionEffect.objects.filter(decision__in=decisions).values_list("effect", flat=True)
    )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    versions = (
        _in_scope(InternalProcess.objects.filter(effective_from__range=(start, end)), scope, "unit")
        .select_related("procedure", "decision")
        .prefetch_related("steps")
    )
    for process in versions.order_by("procedure__code", "version"):
        previous = (
            InternalProcess.objects.filter(
                procedure=process.procedure, unit=process.unit, version__lt=process.version
            )
            .prefetch_related("steps")
            .order_by("-version")
            .first()
        )
        if previous is None:
            continue
        dossiers, source = _volume(process, end, scope)
        steps_after = list(process.steps.all())
        steps_before = list(previous.steps.all())
        report.changes.append(
            ProcessChange(
                procedure_code=process.procedure.code,
                procedure_name=process.procedure.name,
                version=process.version,
                previous_version=previous.version,
                effective_from=process.effective_from,
                decision=process.decision.number if process.decision else "",
                steps_before=len(steps_before),
                steps_after=len(steps_after),
                hours_before=sum((s.hours for s in steps_before), Decimal(0)),
                hours_after=sum((s.hours for s in steps_after), Decimal(0)),
                dossiers=dossiers,
                volume_source=source,
            )
        )
    return report


def _volume(process: InternalProcess, end: dt.date, scope: Unit | None) -> tuple[int, str]:
    start = process.effective_from
    unit = process.unit or scope
    counted = _provided(process.procedure, start, end, unit)
    if counted:
        return counted, "records"
    year = end.year
    last_year = _provided(process.procedure, dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31), unit)
    if last_year is None:
        last_year = _table_volume(process.procedure, year - 1, unit)
    if last_year is None:
        return 0, "none"
    days_in_year = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    days_in_force = (end - start).days + 1
    estimate = (Decimal(last_year) * days_in_force / days_in_year).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return int(estimate), "estimated"


def report_rows(report: Report) -> list[list]:
    """Table rows for CSV/XLSX export (header first)."""
    rows: list[list] = [
        ["Năm", report.year],
        ["Phạm vi", str(report.scope) if report.scope else "Tất cả"],
        ["Số quyết định công bố", report.decisions],
        *[
            [f"Thủ tục {DecisionEffectKind(k).label.lower()}", report.effects[k]]
            for k in DecisionEffectKind.values
        ],
        ["Tổng số thủ tục bị bãi bỏ (kể cả được thay thế)", report.abolished_total],
        ["Số quy trình nội bộ được tái cấu trúc", report.processes_changed],
        ["Số bước cắt giảm", report.steps_removed],
        ["Số giờ làm việc cắt giảm mỗi hồ sơ (cộng các quy trình)", str(report.hours_saved_per_dossier)],
        ["Số giờ làm việc tiết kiệm trong năm", str(report.hours_saved_year)],
        [],
        [
            "Mã thủ tục",
            "Tên thủ tục",
            "Phiên bản cũ",
            "Phiên bản mới",
            "Hiệu lực từ",
            "Quyết định",
            "Số bước trước",
            "Số bước sau",
            "Bước cắt giảm",
            "Giờ trước",
            "Giờ sau",
            "Giờ tiết kiệm/hồ sơ",
            "Số hồ sơ",
            "Nguồn số hồ sơ",
            "Giờ tiết kiệm trong năm",
        ],
    ]
    for c in report.changes:
        rows.append(
            [
                c.procedure_code,
                c.procedure_name,
                c.previous_version,
                c.version,
                c.effective_from.isoformat(),
                c.decision,
                c.steps_before,
                c.steps_after,
                c.steps_removed,
                str(c.hours_before),
                str(c.hours_after),
                str(c.hours_saved_per_dossier),
                c.dossiers,
                c.volume_source,
                str(c.hours_saved_year),
            ]
        )
    return rows
