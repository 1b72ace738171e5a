"""The dashboard's figures, read from the roll-ups (cost grows with units x days, not with dossiers), and
the lists behind them, read from the source apps' selectors and cut by the same scope.

Each figure is defined once, here and in docs/dashboard.md (see `facts.py` for what each roll-up counts):
for a period [from, to] and the units of a `Scope`, counting dossiers of the unit that RECEIVED them:
- received: validly received in the period (`received_at`);
- returned_early / returned_on_time / returned_late: result handed over in the period, by outcome;
- in_progress: received and not handed over (nor withdrawn or stopped) at the end of the period, or now
  for a period that runs to today (results waiting for collection included);
- overdue: those of them past their due time at that moment;
- online_share: the fraction of `received` filed online through the portal (kiosk, counter: not online).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from motcua.dashboard.models import DossierDay, DossierMonth, FeedbackDay, ProcedureMonth
from motcua.dashboard.scope import Scope
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.services import clock
from motcua.feedback import selectors as feedback_selectors
from motcua.org.models import Unit

DOSSIER_FIGURES = (
    "received",
    "returned_early",
    "returned_on_time",
    "returned_late",
    "in_progress",
    "overdue",
)
DOSSIER_FLOWS = (
    "received",
    "received_online",
    "returned_early",
    "returned_on_time",
    "returned_late",
    "processed",
    "processing_seconds",
    "allowed_seconds",
)
FEEDBACK_FIGURES = ("received", "answered", "answered_late", "in_progress", "overdue", "reopened")


def _moment(to: dt.date, now: dt.datetime) -> tuple[dt.datetime, dt.date, bool]:
    """The moment the stocks are read at: the end of `to`, or now when the period runs to today."""
    today = timezone.localdate(now)
    if to >= today:
        return now, today, True
    end = timezone.make_aware(dt.datetime.combine(to + dt.timedelta(days=1), dt.time.min))
    return end, to, False


def _flow(name: str, start: dt.date) -> Sum:
    return Sum(Case(When(day__gte=start, then=F(name)), default=Value(0), output_field=IntegerField()))


def _stock(into: str, out: str, last: dt.date) -> Sum:
    expr = F(into) - F(out)
    return Sum(Case(When(day__lte=last, then=expr), default=Value(0), output_field=IntegerField()))


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def split(
    start: dt.date, end: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """[start, end] as whole months (read from the month table) and at most two partial runs of days."""
    first_full = start if start.day == 1 else _next_month(start)
    after_last_full = (
        _next_month(end) if _next_month(end) - dt.timedelta(days=1) == end else end.replace(day=1)
    )
    if first_full >= after_last_full:
        return None, [(start, end)]
    days = []
    if start < first_full:
        days.append((start, first_full - dt.timedelta(days=1)))
    if after_last_full <= end:
        days.append((after_last_full, end))
    last_month = (after_last_full - dt.timedelta(days=1)).replace(day=1)
    return (first_full, last_month), days


def _sum_period(ids: tuple[int, ...], start: dt.date, end: dt.date, names: tuple[str, ...]) -> dict[str, int]:
    months, days = split(start, end)
    out = dict.fromkeys(names, 0)
    parts: list[QuerySet[Any]] = []
    if months is not None:
        parts.append(DossierMonth.objects.filter(unit_id__in=ids, month__gte=months[0], month__lte=months[1]))
    for lo, hi in days:
        parts.append(DossierDay.objects.filter(unit_id__in=ids, day__gte=lo, day__lte=hi))
    for qs in parts:
        agg = qs.aggregate(**{f"f_{n}": Sum(n) for n in names})
        for n in names:
            out[n] += int(agg[f"f_{n}"] or 0)
    return out


def _stocks(ids: tuple[int, ...], last: dt.date) -> dict[str, int]:
    """Running sums up to the end of `last`: whole months before its month, then its days."""
    first = last.replace(day=1)
    stocks = {"in_progress": ("received", "closed"), "overdue": ("overdue_in", "overdue_out")}
    out = dict.fromkeys(stocks, 0)
    for qs in (
        DossierMonth.objects.filter(unit_id__in=ids, month__lt=first),
        DossierDay.objects.filter(unit_id__in=ids, day__gte=first, day__lte=last),
    ):
        agg = qs.aggregate(**{f"f_{k}": Sum(F(a) - F(b)) for k, (a, b) in stocks.items()})
        for k in stocks:
            out[k] += int(agg[f"f_{k}"] or 0)
    return out


def dossier_stats(
    scope: Scope, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The stats API's figures (and the dashboard's first row) for the scope and period."""
    now = now or clock.now()
    moment, last, live = _moment(end, now)
    out: dict[str, Any] = {
        **_sum_period(scope.unit_ids, start, end, DOSSIER_FLOWS),
        **_stocks(scope.unit_ids, last),
    }
    if live:  # today's roll-up counts every dossier due today; those due later today are not overdue yet
        tomorrow = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
        out["overdue"] -= dossier_selectors.due_between(scope.unit_ids, moment, tomorrow)
    out["online_share"] = out["received_online"] / out["received"] if out["received"] else 0.0
    out["moment"] = moment
    return out


def api_dossier_stats(scope: Scope, start: dt.date, end: dt.date) -> dict[str, Any]:
    stats = dossier_stats(scope, start, end)
    return {
        "unit": scope.unit.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        **{name: stats[name] for name in DOSSIER_FIGURES},
        "online_share": stats["online_share"],
    }


def feedback_stats(
    scope: Scope, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Feedback reports of the units that handle them: received, answered (late), in progress and overdue at
    the end of the period, reopened (received in the period and reopened at least once)."""
    now = now or clock.now()
    _, last, _ = _moment(end, now)
    agg = FeedbackDay.objects.filter(unit_id__in=scope.unit_ids, day__lte=end).aggregate(
        **{f"f_{name}": _flow(name, start) for name in ("received", "answered", "answered_late", "reopened")},
        f_in_progress=_stock("received", "done", last),
        f_overdue=_stock("overdue_in", "overdue_out", last),
    )
    out = {k.removeprefix("f_"): int(v or 0) for k, v in agg.items()}
    out["answered_on_time"] = out["answered"] - out["answered_late"]
    return out


def api_feedback_stats(scope: Scope, start: dt.date, end: dt.date) -> dict[str, Any]:
    stats = feedback_stats(scope, start, end)
    return {
        "unit": scope.unit.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        **{name: stats[name] for name in (*FEEDBACK_FIGURES, "answered_on_time")},
    }


def monthly_trend(scope: Scope, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per (whole) month from the month of `start` to that of `end`: received, returned on time (early +
    on time) and late."""
    rows = (
        DossierMonth.objects.filter(
            unit_id__in=scope.unit_ids, month__gte=start.replace(day=1), month__lte=end
        )
        .values("month")
        .annotate(
            received=Sum("received"),
            on_time=Sum(F("returned_early") + F("returned_on_time")),
            late=Sum("returned_late"),
        )
        .order_by("month")
    )
    return [dict(r) for r in rows]


def _children(unit: Unit, ids: tuple[int, ...]) -> dict[int, Unit]:
    """The units directly below `unit` (today's units) within `ids`; a leaf shows itself."""
    kids = {u.pk: u for u in Unit.objects.filter(parent=unit, valid_to__isnull=True, pk__in=ids)}
    return kids or {unit.pk: unit}


def _rank_key(row: dict[str, Any]) -> tuple[float, str]:
    rate = row["on_time_rate"]
    return (-(rate if rate is not None else -1.0), row["unit"].name)


def ranked_units(scope: Scope, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The units directly below the scope's unit, with their figures, best on-time rate first."""
    kids = _children(scope.unit, scope.unit_ids)
    months, days = split(start, end)
    parts: list[QuerySet[Any]] = []
    if months is not None:
        parts.append(
            DossierMonth.objects.filter(unit_id__in=list(kids), month__gte=months[0], month__lte=months[1])
        )
    for lo, hi in days:
        parts.append(DossierDay.objects.filter(unit_id__in=list(kids), day__gte=lo, day__lte=hi))
    rows: dict[int, dict[str, int]] = {}
    for qs in parts:
        for found in qs.values("unit_id").annotate(
            n_received=Sum("received"),
            n_on_time=Sum(F("returned_early") + F("returned_on_time")),
            n_late=Sum("returned_late"),
        ):
            got: dict[str, Any] = dict(found)
            acc = rows.setdefault(got["unit_id"], {"received": 0, "on_time": 0, "late": 0})
            for k in acc:
                acc[k] += int(got[f"n_{k}"] or 0)
    out = []
    for pk, unit in kids.items():
        r = rows.get(pk, {"received": 0, "on_time": 0, "late": 0})
        returned = r["on_time"] + r["late"]
        rate = r["on_time"] / returned if returned else None
        out.append({"unit": unit, "received": r["received"], "returned": returned, "on_time_rate": rate})
    out.sort(key=_rank_key)
    return out


def by_procedure(scope: Scope, start: dt.date, end: dt.date, limit: int = 15) -> list[dict[str, Any]]:
    """The procedures most received in the period (months touching it), with late returns."""
    rows = (
        ProcedureMonth.objects.filter(
            Q(unit_id__in=scope.unit_ids) | Q(competent_id__in=scope.unit_ids),
            month__gte=start.replace(day=1),
            month__lte=end,
        )
        .values("procedure_id")
        .annotate(received=Sum("received"), returned=Sum("returned"), late=Sum("returned_late"))
        .order_by("-received")[:limit]
    )
    return [dict(r) for r in rows]


# --- drill-down: the dossiers behind a figure, through the dossiers app's scoped queryset ---
def dossiers_behind(
    user: Any, scope: Scope, figure: str, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> QuerySet:
    """The dossiers a figure counts, visible to `user` (the dossiers app's own scope) AND in the scope."""
    now = now or clock.now()
    moment, _, _ = _moment(end, now)
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    qs = dossier_selectors.staff_dossiers(user).filter(receiving_unit_id__in=scope.unit_ids)
    if figure == "received":
        return qs.filter(received_at__gte=first, received_at__lt=moment)
    if figure in ("returned_early", "returned_on_time", "returned_late"):
        outcome = figure.removeprefix("returned_")
        return qs.filter(status="returned", outcome=outcome, returned_at__gte=first, returned_at__lt=moment)
    in_progress = (
        qs.filter(received_at__lt=moment)
        .exclude(status="returned", returned_at__lt=moment)
        .exclude(status__in=dossier_selectors.ENDED_STATUSES, updated_at__lt=moment)
    )
    if figure == "in_progress":
        return in_progress
    if figure == "overdue":
        return in_progress.filter(due_at__lt=moment)
    return qs.none()


def reports_behind(user: Any, scope: Scope, figure: str, start: dt.date, end: dt.date) -> QuerySet:
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    moment, _, _ = _moment(end, clock.now())
    qs = feedback_selectors.all_reports().visible_to(user).filter(unit_id__in=scope.unit_ids)
    if figure == "received":
        return qs.filter(received_at__gte=first, received_at__lt=moment)
    if figure == "answered":
        return qs.filter(status__in=("answered", "closed"), answered_at__gte=first, answered_at__lt=moment)
    return qs.none()


def unit_names(ids: Mapping[int, Any] | list[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=list(ids)).values_list("id", "name"))
