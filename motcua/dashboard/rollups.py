"""Keeping the roll-ups in step: each dossier or report action adds `facts(after) - facts(before)` in the
action's own transaction (the workflows' `on_transition` observers); `rebuild` recomputes every table
from scratch; `check` recomputes in memory and lists every row where the stored tables disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from motcua.dashboard import facts as F
from motcua.dashboard.models import (
    DOSSIER_DAY_MEASURES,
    FEEDBACK_DAY_MEASURES,
    PROCEDURE_MONTH_MEASURES,
    DossierDay,
    DossierMonth,
    FeedbackDay,
    ProcedureMonth,
)
from motcua.dossiers import selectors as dossier_selectors
from motcua.feedback import selectors as feedback_selectors


@dataclass(frozen=True)
class Table:
    model: type[DossierDay] | type[DossierMonth] | type[ProcedureMonth] | type[FeedbackDay]
    keys: tuple[str, ...]
    measures: tuple[str, ...]


TABLES: dict[str, Table] = {
    F.DOSSIER_DAY: Table(DossierDay, ("unit_id", "day"), DOSSIER_DAY_MEASURES),
    F.DOSSIER_MONTH: Table(DossierMonth, ("unit_id", "month"), DOSSIER_DAY_MEASURES),
    F.PROCEDURE_MONTH: Table(
        ProcedureMonth, ("unit_id", "competent_id", "procedure_id", "month"), PROCEDURE_MONTH_MEASURES
    ),
    F.FEEDBACK_DAY: Table(FeedbackDay, ("unit_id", "ward_id", "category_id", "day"), FEEDBACK_DAY_MEASURES),
}
DOSSIER_TABLES = (F.DOSSIER_DAY, F.DOSSIER_MONTH, F.PROCEDURE_MONTH)
FEEDBACK_TABLES = (F.FEEDBACK_DAY,)


def apply(delta: F.Facts) -> None:
    """Add `delta` to the stored rows: one INSERT ... ON CONFLICT DO UPDATE per table (PostgreSQL and
    SQLite), keys sorted so that concurrent actions lock rows in one order."""
    by_table: dict[str, list[tuple[tuple[Any, ...], Counter[str]]]] = {}
    for (table, key), counter in delta.items():
        by_table.setdefault(table, []).append((key, counter))
    with connection.cursor() as cursor:
        for name in sorted(by_table):
            spec = TABLES[name]
            db_table = spec.model._meta.db_table
            columns = (*spec.keys, *spec.measures)
            updates = ", ".join(f"{m} = {db_table}.{m} + excluded.{m}" for m in spec.measures)
            sql = (
                f"INSERT INTO {db_table} ({', '.join(columns)}) "  # noqa: S608 (names from our own models)
                f"VALUES ({', '.join(['%s'] * len(columns))}) "
                f"ON CONFLICT ({', '.join(spec.keys)}) DO UPDATE SET {updates}"
            )
            rows = [(*key, *(c.get(m, 0) for m in spec.measures)) for key, c in sorted(by_table[name])]
            cursor.executemany(sql, rows)


def on_dossier_action(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> None:
    """The dossier workflow's observer: runs inside `perform`'s transaction."""
    ended: dict[int, dt.datetime] = {}
    if after["status"] in F.ENDED:
        ended = dossier_selectors.ended_at([after["id"]])
    old = F.dossier_facts(before, ended.get(after["id"])) if before is not None else {}
    new = F.dossier_facts(after, ended.get(after["id"]))
    delta = F.difference(new, old)
    if delta:
        apply(delta)


def on_report_action(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> None:
    """The feedback workflow's observer: runs inside `perform`'s transaction."""
    old = F.report_facts(before) if before is not None else {}
    delta = F.difference(F.report_facts(after), old)
    if delta:
        apply(delta)


def compute(tables: Iterable[str] = (*DOSSIER_TABLES, *FEEDBACK_TABLES)) -> F.Facts:
    """Every roll-up row recomputed from the source tables (in memory)."""
    wanted = set(tables)
    total: F.Facts = {}
    if wanted & set(DOSSIER_TABLES):
        ended = dossier_selectors.ended_at()
        for row in dossier_selectors.rollup_rows().iterator(chunk_size=5000):
            for key, counter in F.dossier_facts(row, ended.get(row["id"])).items():
                if key[0] in wanted:
                    total.setdefault(key, Counter()).update(counter)
    if wanted & set(FEEDBACK_TABLES):
        for row in feedback_selectors.rollup_rows().iterator(chunk_size=5000):
            F.merge(total, F.report_facts(row))
    return total


def stored(tables: Iterable[str]) -> F.Facts:
    out: F.Facts = {}
    for name in tables:
        spec = TABLES[name]
        for values in spec.model.objects.values_list(*spec.keys, *spec.measures).iterator(chunk_size=5000):
            key, measures = values[: len(spec.keys)], values[len(spec.keys) :]
            counter = Counter({m: v for m, v in zip(spec.measures, measures, strict=True) if v})
            if counter:
                out[(name, tuple(key))] = counter
    return out


@transaction.atomic
def rebuild(tables: Iterable[str] = (*DOSSIER_TABLES, *FEEDBACK_TABLES)) -> dict[str, int]:
    """Recompute the tables from scratch (one transaction: readers see the old or the new figures)."""
    names = list(tables)
    total = compute(names)
    counts: dict[str, int] = {}
    for name in names:
        spec = TABLES[name]
        spec.model.objects.all().delete()
        rows: list[Any] = []
        for (table, key), counter in sorted(total.items()):
            if table != name or not any(counter.values()):
                continue
            rows.append(
                spec.model(
                    **dict(zip(spec.keys, key, strict=True)), **{m: counter.get(m, 0) for m in spec.measures}
                )
            )
        spec.model.objects.bulk_create(rows, batch_size=5000)
        counts[name] = len(rows)
    return counts


def _nonzero(counter: Counter[str]) -> Counter[str]:
    return Counter({k: v for k, v in counter.items() if v})


@dataclass
class CheckReport:
    rows: dict[str, int] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences


def check(tables: Iterable[str] = (*DOSSIER_TABLES, *FEEDBACK_TABLES), limit: int = 50) -> CheckReport:
    """Compare the stored roll-ups with a recomputation from scratch; list the rows that differ."""
    names = list(tables)
    fresh = {k: _nonzero(c) for k, c in compute(names).items() if _nonzero(c)}
    kept = {k: _nonzero(c) for k, c in stored(names).items()}
    report = CheckReport(rows={n: sum(1 for k in kept if k[0] == n) for n in names})
    for key in sorted(fresh.keys() | kept.keys(), key=repr):
        a, b = fresh.get(key, Counter()), kept.get(key, Counter())
        if a != b:
            if len(report.differences) < limit:
                report.differences.append(f"{key[0]} {key[1]}: recomputed {dict(a)} stored {dict(b)}")
            else:
                report.differences.append("...")
                break
    return report
