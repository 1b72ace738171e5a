"""Reads on feedback that views and other apps use (scoped where rows are fetched)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from motcua.feedback import events, workflow
from motcua.feedback.errors import FeedbackError
from motcua.feedback.intake import distance_m, normalise_phone
from motcua.feedback.models import (
    OPEN_STATUSES,
    PUBLISHED_STATUSES,
    ApiKey,
    Category,
    Report,
    ReportQuerySet,
    ReportStatus,
    hash_key,
)
from motcua.org.actors import signed_in
from motcua.org.selectors import agencies, current_communes, fold


def public_categories():
    """Active public categories, in display order (the portal's and kiosk's category list)."""
    return Category.objects.filter(active=True, public=True).order_by("order", "name")


def report_by_code(code: str) -> Report | None:
    return (
        Report.objects.select_related("category", "unit", "ward")
        .filter(code=(code or "").strip().upper())
        .first()
    )


def report_for_api(code: str, user: Any) -> Report | None:
    """A report an API caller may read, else None (the same 404 for unknown and out of scope): staff and
    auditors by the one scope rule, like the lists; any caller, a connected system (chat bot) above all,
    the reports it filed itself."""
    report = report_by_code(code)
    if report is None:
        return None
    if Report.objects.visible_to(user).filter(pk=report.pk).exists():
        return report
    if signed_in(user) and report.events.filter(kind=events.RECEIVED, actor=user).exists():
        return report
    return None


def public_report(code: str, *, token: str = "") -> Report | None:
    """A report for the public page: published, or the reporter's own (its secret token). The same None
    for an unknown code and an unpublished one, so sequential codes tell nothing."""
    report = report_by_code(code)
    if report is None:
        return None
    if is_published(report):
        return report
    if token and secrets.compare_digest(str(report.token), str(token)):
        return report
    return None


def report_for_rating(code: str, token: str) -> Report | None:
    """The report behind a rating link, or None for a wrong token exactly as for an unknown code."""
    report = report_by_code(code)
    if report is None or not token or not secrets.compare_digest(report.rating_token, str(token)):
        return None
    return report


def is_published(report: Report) -> bool:
    return Report.objects.published().filter(pk=report.pk).exists()


def reports_for(user: Any):
    return Report.objects.visible_to(user).select_related("category", "unit", "ward")


def answers_awaiting_approval(user: Any) -> list[Report]:
    """The leader's queue: reports whose drafted answer waits for this user's approval (the reports the
    workflow table lets them approve, in their own units), oldest deadline first."""
    approvers = workflow.TRANSITIONS[workflow.Action.APPROVE_ANSWER].roles
    if not (getattr(user, "is_authenticated", False) and user.has_role(*approvers)):
        return []
    rows = (
        Report.objects.editable_by(user)
        .filter(status=ReportStatus.AWAITING_APPROVAL)
        .select_related("category", "unit")
        .order_by("deadline", "received_at")[:50]
    )
    return [r for r in rows if user.can_act_in(r.unit, *approvers)]


def transfer_targets(report: Report) -> dict[str, list[Any]]:
    """The units a report may be transferred to, for the picker: the wards and the agencies of its province."""
    province = report.unit.province_code or None
    return {
        "communes": list(current_communes(province).exclude(pk=report.unit_id).order_by("name")),
        "agencies": list(agencies(province).exclude(pk=report.unit_id).order_by("name")),
    }


def published_answers(query: str = ""):
    qs = Report.objects.published().select_related("category", "unit", "ward").order_by("-answered_at")
    if query:
        qs = qs.filter(search_filter(query))
    return qs


def search_filter(query: str) -> Q:
    """A report code, a phone number, or words of the text (diacritics ignored)."""
    query = query.strip()
    if re.fullmatch(r"(?i)p[a-z]-\d{6}-\d{4,}", query):
        return Q(code=query.upper())
    digits = re.sub(r"[\s.\-]", "", query)
    if re.fullmatch(r"(?:\+84|0)\d{9,10}", digits):
        return Q(phone="0" + digits[3:] if digits.startswith("+84") else digits)
    return Q(search_text__contains=fold(query))


def reports_by_phone(phone: str, user: Any, limit: int = 10):
    """The caller's earlier reports, within the officer's scope only (the same rule as every list)."""
    try:
        phone = normalise_phone(phone)
    except FeedbackError:
        return Report.objects.none()
    if not phone:
        return Report.objects.none()
    return (
        Report.objects.visible_to(user)
        .filter(phone=phone)
        .select_related("category", "unit")
        .order_by("-received_at")[:limit]
    )


class CappedPaginator(Paginator):
    """Counting a million rows for a page number is wasted work: count at most `cap` rows."""

    cap = 10_000
    object_list: QuerySet[Any]

    @cached_property
    def count(self) -> int:
        # no ORDER BY and no joins in the count: with them PostgreSQL walks the date index row by row
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def suggest_categories(text: str, limit: int = 3) -> list[Category]:
    """Categories whose keywords appear in the text, best first."""
    folded = f" {fold(text)} "
    scored = []
    for category in Category.objects.filter(active=True):
        score = 0
        for keyword in category.keyword_list() + [category.name]:
            k = fold(keyword)
            if k and f" {k} " in folded:
                score += len(k.split())
        if score:
            scored.append((score, category.order, category))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [c for _s, _o, c in scored[:limit]]


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 1}


def duplicate_candidates(
    report: Report, *, radius_m: float = 300, days: int = 7, min_similarity: float = 0.5, limit: int = 10
) -> list[tuple[Report, str]]:
    """Open reports that look like the same problem: same category near in place and time, or similar text."""
    since = report.received_at - dt.timedelta(days=days)
    until = report.received_at + dt.timedelta(days=days)
    base = (
        Report.objects.exclude(pk=report.pk)
        .exclude(status=ReportStatus.MERGED)
        .filter(received_at__gte=since, received_at__lte=until)
        .select_related("category", "unit")
    )
    found: dict[int, tuple[Report, str]] = {}
    if report.category_id and report.latitude is not None and report.longitude is not None:
        dlat = radius_m / 111_000
        near = base.filter(
            category_id=report.category_id,
            latitude__range=(report.latitude - dlat, report.latitude + dlat),
            longitude__range=(report.longitude - dlat * 1.1, report.longitude + dlat * 1.1),
        )
        for other in near[:200]:
            if other.latitude is None or other.longitude is None:
                continue  # the range filter above already excludes these; this tells the type checker
            d = distance_m(report.latitude, report.longitude, other.latitude, other.longitude)
            if d <= radius_m:
                found[other.pk] = (other, f"{int(d)} m")
    mine = _words(report.description)
    if mine:
        pool = base.filter(Q(ward_id=report.ward_id) if report.ward_id else Q(unit_id=report.unit_id))
        if report.category_id:
            pool = pool.filter(category_id=report.category_id)
        for other in pool[:300]:
            if other.pk in found:
                continue
            theirs = _words(other.description)
            if not theirs:
                continue
            sim = len(mine & theirs) / len(mine | theirs)
            if sim >= min_similarity:
                found[other.pk] = (other, f"{int(sim * 100)}%")
    return list(found.values())[:limit]


def api_key_valid(raw: str, *, touch: bool = True) -> ApiKey | None:
    """The active Open311 key `raw` is, else None. `touch` records its use (on writes; a GET writes nothing)."""
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=hash_key(raw), active=True).first()
    if key is not None and touch:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def _figure_aggregates(today: dt.date) -> dict:
    return dict(
        received=Count("pk"),
        on_time=Count("pk", filter=Q(answered_late=False)),
        late=Count("pk", filter=Q(answered_late=True)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        rated=Count("pk", filter=Q(satisfaction__isnull=False)),
        satisfied=Count("pk", filter=Q(satisfaction__gte=4)),
    )


def _with_satisfaction(row: dict) -> dict:
    row["satisfaction_pct"] = round(100 * row["satisfied"] / row["rated"], 1) if row["rated"] else None
    return row


def figures(user: Any, *, since: dt.date | None = None, until: dt.date | None = None) -> dict:
    """Per unit and per category: received, answered on time, late, open overdue, reopened, satisfaction."""
    qs = Report.objects.visible_to(user)
    # compare moments, not DATE(received_at): the index on received_at stays usable
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(received_at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until:
        qs = qs.filter(
            received_at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    aggregates = _figure_aggregates(timezone.localdate())
    # one grouped query (unit x category), summed here: a third of the work of three GROUP BYs
    keys = list(aggregates)
    cells = list(
        qs.values("unit__id", "unit__name", "category__code", "category__name").annotate(**aggregates)
    )

    def add(target: dict, cell: Mapping[str, Any]) -> None:
        for k in keys:
            target[k] = target.get(k, 0) + cell[k]

    units: dict = {}
    cats: dict = {}
    total: dict = dict.fromkeys(keys, 0)
    for cell in cells:
        unit_row = {"unit__id": cell["unit__id"], "unit__name": cell["unit__name"]}
        add(units.setdefault(cell["unit__id"], unit_row), cell)
        cat_row = {"category__code": cell["category__code"], "category__name": cell["category__name"]}
        add(cats.setdefault(cell["category__code"], cat_row), cell)
        add(total, cell)
    by_unit = sorted(units.values(), key=lambda r: (-r["received"], r["unit__name"] or ""))
    by_category = sorted(cats.values(), key=lambda r: (-r["received"], r["category__name"] or ""))
    return {
        "total": _with_satisfaction(total),
        "by_unit": [_with_satisfaction(r) for r in by_unit],
        "by_category": [_with_satisfaction(r) for r in by_category],
    }


# --- the dashboard's reads (roll-ups, drill-downs): unscoped sources, the dashboard applies the scope ---
ROLLUP_FIELDS = (
    "id",
    "status",
    "unit_id",
    "ward_id",
    "category_id",
    "received_at",
    "answered_at",
    "closed_at",
    "answered_late",
    "deadline",
    "reopen_count",
)


def rollup_rows() -> QuerySet[Report, dict[str, Any]]:
    """Every report's columns the dashboard's roll-ups are computed from (walked with `.iterator()`)."""
    rows: QuerySet[Report, dict[str, Any]] = Report.objects.order_by().values(*ROLLUP_FIELDS)
    return rows


def all_reports() -> ReportQuerySet:
    """Every report, unscoped: the dashboard filters it by its own scoped unit list (drill-downs)."""
    return Report.objects.all()


def categories_by_id() -> dict[int, str]:
    return dict(Category.objects.values_list("id", "name"))


def public_answer_counts(unit_ids: Any, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
    """(reports finished in [start, end), those with a published answer) for the handling units."""
    done = Report.objects.filter(unit_id__in=unit_ids).filter(
        Q(answered_at__gte=start, answered_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end)
    )
    return done.count(), done.filter(status__in=PUBLISHED_STATUSES).count()
