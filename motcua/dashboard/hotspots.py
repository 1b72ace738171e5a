"""Hot spots: unusual rises of a series against its OWN history and season, not against a fixed number.

Method (docs/dashboard.md, "Hot spots"), for feedback reports per place (ward) and category, counted in
7-day windows ending on the assessment day, and for late dossiers per unit and procedure, counted per month:

1. History: the same window in each of the previous H periods (8 weeks; 6 months). Weekly windows keep
   the weekday mix, so the week's own rhythm does not matter.
2. Season: when the series has data a year earlier, the seasonal factor is the ratio of last year's same
   window to last year's own history ((y0 + 1) / (median(y_k) + 1), limited to [0.5, 4]): a rise that
   happens every year at this time raises the expectation with it.
3. Expected count = median(history) x factor; spread = max(sqrt(expected) (Poisson),
   1.4826 x MAD(history) x factor (robust), 1).
4. Flagged when the count is at least MIN_COUNT (too few reports prove nothing), the robust z-score
   (count - expected) / spread is at least Z, and the Poisson upper tail P(X >= count | expected) is below
   P_TAIL. Both tests are relative to the series itself; MIN_COUNT only guards against tiny counts.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import notify
from motcua.dashboard import scope as dash_scope
from motcua.dashboard.errors import DashboardError
from motcua.dashboard.models import FeedbackDay, ProcedureMonth
from motcua.dashboard.scope import Scope
from motcua.feedback import selectors as feedback_selectors
from motcua.org.models import Role, StaffRole, Unit

WEEKS = 8
MONTHS = 6
MIN_COUNT = 5
Z = 3.0
P_TAIL = 0.001
YEAR_DAYS = 364  # 52 weeks: the same weekdays a year earlier


@dataclass(frozen=True)
class Assessment:
    observed: int
    expected: float
    spread: float
    z: float
    p_tail: float
    factor: float
    flagged: bool


def poisson_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    term = math.exp(-lam)
    below = term
    for i in range(1, k):
        term *= lam / i
        below += term
    return max(0.0, 1.0 - below)


def assess(
    observed: int, history: Sequence[int], last_year: int | None = None, last_year_history: Sequence[int] = ()
) -> Assessment:
    """The method above for one series (history: the comparable earlier windows, oldest first)."""
    base = statistics.median(history) if history else 0.0
    factor = 1.0
    if last_year is not None and last_year_history:
        factor = min(4.0, max(0.5, (last_year + 1) / (statistics.median(last_year_history) + 1)))
    expected = base * factor
    mad = statistics.median([abs(h - base) for h in history]) if history else 0.0
    spread = max(math.sqrt(expected), 1.4826 * mad * factor, 1.0)
    z = (observed - expected) / spread
    p = poisson_tail(observed, max(expected, 0.5))
    return Assessment(
        observed, expected, spread, z, p, factor, observed >= MIN_COUNT and z >= Z and p < P_TAIL
    )


@dataclass
class HotSpot:
    kind: str  # "feedback" or "late"
    label: str
    unit_id: int
    assessment: Assessment
    labels: list[str] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    key: dict[str, Any] = field(default_factory=dict)

    @property
    def band(self) -> tuple[float, float]:
        a = self.assessment
        return max(0.0, a.expected - 2 * a.spread), a.expected + 2 * a.spread


def _window(counts: dict[dt.date, int], end: dt.date) -> int:
    return sum(counts.get(end - dt.timedelta(days=i), 0) for i in range(7))


def feedback_hotspots(scope: Scope, day: dt.date | None = None) -> list[HotSpot]:
    """Feedback per (place, category) in the 7 days to `day` against the series' history and season."""
    day = day or timezone.localdate()
    start = day - dt.timedelta(days=YEAR_DAYS + 7 * WEEKS + 7)
    series: dict[tuple[int, int, int], dict[dt.date, int]] = defaultdict(dict)
    rows = (
        FeedbackDay.objects.filter(unit_id__in=scope.unit_ids, day__gte=start, day__lte=day, received__gt=0)
        .values_list("unit_id", "ward_id", "category_id", "day")
        .annotate(n=Sum("received"))
    )
    for unit_id, ward_id, category_id, d, n in rows:
        series[(ward_id or unit_id, category_id, unit_id)][d] = n
    merged: dict[tuple[int, int], dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    owner: dict[tuple[int, int], int] = {}
    for (place, category, unit_id), counts in series.items():
        for d, n in counts.items():
            merged[(place, category)][d] += n
        owner.setdefault((place, category), unit_id)
    names = dict(Unit.objects.filter(pk__in={p for p, _ in merged}).values_list("id", "name"))
    categories = feedback_selectors.categories_by_id()
    out = []
    for (place, category), counts in merged.items():
        observed = _window(counts, day)
        if observed < MIN_COUNT:
            continue
        history = [_window(counts, day - dt.timedelta(days=7 * k)) for k in range(WEEKS, 0, -1)]
        year = day - dt.timedelta(days=YEAR_DAYS)
        has_year = any(d <= year for d in counts)
        last_year = _window(counts, year) if has_year else None
        last_history = [_window(counts, year - dt.timedelta(days=7 * k)) for k in range(WEEKS, 0, -1)]
        a = assess(observed, history, last_year, last_history if has_year else ())
        if a.flagged:
            label = _("%(category)s tại %(place)s") % {
                "category": categories.get(category, _("Chưa phân loại")),
                "place": names.get(place, "?"),
            }
            labels = [(day - dt.timedelta(days=7 * k)).strftime("%d/%m") for k in range(WEEKS, -1, -1)]
            out.append(
                HotSpot(
                    "feedback",
                    label,
                    owner[(place, category)],
                    a,
                    labels,
                    [*history, observed],
                    {"ward": place, "category": category, "day": day},
                )
            )
    out.sort(key=lambda h: -h.assessment.z)
    return out


def _month_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def late_hotspots(scope: Scope, day: dt.date | None = None) -> list[HotSpot]:
    """Late returns per (unit, procedure) this month against the previous months and the same month a year ago."""
    day = day or timezone.localdate()
    month = day.replace(day=1)
    start = _month_back(month, 12 + MONTHS)
    series: dict[tuple[int, int], dict[dt.date, int]] = defaultdict(dict)
    rows = (
        ProcedureMonth.objects.filter(unit_id__in=scope.unit_ids, month__gte=start, month__lte=month)
        .values_list("unit_id", "procedure_id", "month")
        .annotate(n=Sum("returned_late"))
    )
    for unit_id, procedure_id, m, n in rows:
        series[(unit_id, procedure_id)][m] = n
    names = dict(Unit.objects.filter(pk__in={u for u, _ in series}).values_list("id", "name"))
    out = []
    for (unit_id, procedure_id), counts in series.items():
        observed = counts.get(month, 0)
        if observed < MIN_COUNT:
            continue
        history = [counts.get(_month_back(month, k), 0) for k in range(MONTHS, 0, -1)]
        year = _month_back(month, 12)
        has_year = any(m <= year for m in counts)
        last_history = [counts.get(_month_back(year, k), 0) for k in range(MONTHS, 0, -1)]
        a = assess(
            observed, history, counts.get(year, 0) if has_year else None, last_history if has_year else ()
        )
        if a.flagged:
            label = _("Hồ sơ trễ hạn, thủ tục #%(proc)s tại %(unit)s") % {
                "proc": procedure_id,
                "unit": names.get(unit_id, "?"),
            }
            labels = [_month_back(month, k).strftime("%m/%Y") for k in range(MONTHS, -1, -1)]
            out.append(
                HotSpot(
                    "late",
                    label,
                    unit_id,
                    a,
                    labels,
                    [*history, observed],
                    {"unit": unit_id, "procedure": procedure_id, "month": month},
                )
            )
    out.sort(key=lambda h: -h.assessment.z)
    return out


def hotspots(scope: Scope, day: dt.date | None = None) -> list[HotSpot]:
    return [*feedback_hotspots(scope, day), *late_hotspots(scope, day)]


def digest_text(spots: list[HotSpot], day: dt.date) -> str:
    lines = [_("Bản tin điểm nóng ngày %(day)s:") % {"day": day.strftime("%d/%m/%Y")}]
    for h in spots[:10]:
        a = h.assessment
        lines.append(
            _("- %(label)s: %(n)s (kỳ vọng khoảng %(e).0f, z = %(z).1f)")
            % {"label": h.label, "n": a.observed, "e": a.expected, "z": a.z}
        )
    lines.append(_("Chi tiết: /staff/dashboard/diem-nong/"))
    return "\n".join(lines)


def send_digest(day: dt.date | None = None) -> int:
    """Queue one morning digest per leader whose scope has hot spots (e-mail, or Zalo by phone), through the
    outbox; idempotent per leader and day (the outbox key)."""
    day = day or timezone.localdate()
    sent = 0
    leaders = (
        StaffRole.objects.filter(role=Role.UNIT_LEADER, active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    seen: set[int] = set()
    for role in leaders:
        user = role.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        try:
            viewer = dash_scope.resolve(user, "")
        except DashboardError:  # a leader without a unit gets no digest; the others still do
            continue
        spots = hotspots(viewer, day)
        if not spots:
            continue
        channel, recipient = ("email", user.email) if user.email else ("zalo", getattr(user, "phone", ""))
        with transaction.atomic():
            message = notify.queue_message(
                key=f"dashboard-digest:{user.pk}:{day.isoformat()}",
                channel=channel,
                recipient=recipient,
                subject=_("Điểm nóng cần chú ý"),
                body=digest_text(spots, day),
                unit_id=viewer.unit.pk,
            )
        sent += 1 if message is not None else 0
    return sent
