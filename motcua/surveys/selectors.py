"""Reads of satisfaction ratings: questions, a dossier's rating, figures per officer and per unit, export.

Figures are unit-scoped through `Rating.objects.visible_to(user)`; the dashboard calls `unit_figures`
and `officer_figures` with the signed-in user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet

from motcua.dossiers import selectors as dossier_selectors
from motcua.surveys.models import Answer, Question, Rating

# Dossier statuses after which a rating is possible (a result exists: ready, refused, returned).
RATEABLE_STATUSES = {"result_ready", "refused", "returned"}


def satisfied_min() -> int:
    """Average score from which a rating counts as satisfied (4 = 'hài lòng' on the 1-5 scale)."""
    return settings.SURVEYS_SATISFIED_MIN


def edit_hours() -> int:
    return settings.SURVEYS_EDIT_HOURS


def active_questions() -> list[Question]:
    return list(Question.objects.filter(active=True).order_by("order", "id"))


def rating_for(dossier_code: str) -> Rating | None:
    return Rating.objects.filter(dossier_code=dossier_code).prefetch_related("answers__question").first()


@dataclass
class DossierFacts:
    id: int
    code: str
    status: str
    unit_id: int
    officer_id: int | None
    procedure_code: str
    citizen_id: int | None
    applicant_phone: str


def dossier_facts(code: str) -> DossierFacts | None:
    """What a rating needs to know about a dossier, through the dossier app's selectors."""
    code = (code or "").strip()
    if not code:
        return None
    dossier = dossier_selectors.get_by_code(code)
    if dossier is None:
        return None
    return DossierFacts(
        id=dossier.pk,
        code=dossier.code,
        status=dossier.status,
        unit_id=dossier.unit_id,
        officer_id=getattr(dossier, "received_by_id", None),
        procedure_code=getattr(dossier.procedure, "code", ""),
        citizen_id=dossier.citizen_id,
        applicant_phone=dossier.applicant_phone or "",
    )


def _period(qs: QuerySet, since: dt.date | None, until: dt.date | None) -> QuerySet:
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs


def _figures(qs: QuerySet, group: list[str]) -> list[dict]:
    rows = (
        qs.values(*group)
        .annotate(count=Count("id"), satisfied=Count("id", filter=Q(satisfied=True)), average=Avg("score"))
        .order_by(*group)
    )
    out = []
    for row in rows:
        row = dict(row)
        row["satisfied_pct"] = round(100 * row["satisfied"] / row["count"], 2) if row["count"] else None
        row["average"] = round(float(row["average"]), 2) if row["average"] is not None else None
        out.append(row)
    return out


def ratings_visible_to(
    user, *, since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[Rating]:
    return _period(Rating.objects.visible_to(user), since, until)


def unit_figures(user, *, since: dt.date | None = None, until: dt.date | None = None) -> list[dict]:
    """Per unit: count, satisfied, satisfied_pct, average (1-5), unit__code, unit__name."""
    return _figures(
        ratings_visible_to(user, since=since, until=until), ["unit_id", "unit__code", "unit__name"]
    )


def officer_figures(user, *, since: dt.date | None = None, until: dt.date | None = None) -> list[dict]:
    """Per officer (attitude questions only in `attitude`): count, satisfied, satisfied_pct, average."""
    qs = ratings_visible_to(user, since=since, until=until).filter(officer__isnull=False)
    rows = _figures(qs, ["officer_id", "officer__full_name", "officer__username", "unit__name"])
    attitude = dict(
        Answer.objects.filter(rating__in=qs, question__subject="officer")
        .values_list("rating__officer_id")
        .annotate(a=Avg("value"))
        .values_list("rating__officer_id", "a")
    )
    for row in rows:
        value = attitude.get(row["officer_id"])
        row["attitude"] = round(float(value), 2) if value is not None else None
    return rows


def summary(user, *, since: dt.date | None = None, until: dt.date | None = None) -> dict:
    qs = ratings_visible_to(user, since=since, until=until)
    agg = qs.aggregate(
        count=Count("id"), satisfied=Count("id", filter=Q(satisfied=True)), average=Avg("score")
    )
    agg["satisfied_pct"] = round(100 * agg["satisfied"] / agg["count"], 2) if agg["count"] else None
    by_channel = dict(qs.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    agg["by_channel"] = by_channel
    return agg


def export_rows(user, *, since: dt.date | None = None, until: dt.date | None = None):
    """(header, rows) with one column per question (every question ever asked, in order)."""
    questions = list(Question.objects.order_by("order", "id"))
    header = [
        "dossier_code",
        "procedure_code",
        "unit",
        "officer",
        "channel",
        "created_at",
        "score",
        "satisfied",
    ]
    header += [q.code for q in questions] + ["comment"]
    qs = (
        ratings_visible_to(user, since=since, until=until)
        .select_related("unit", "officer")
        .prefetch_related("answers")
        .order_by("created_at", "id")
    )
    rows = []
    for r in qs.iterator(chunk_size=500):
        values = {a.question_id: a.value for a in r.answers.all()}
        rows.append(
            [
                r.dossier_code,
                r.procedure_code,
                r.unit.name,
                (r.officer.full_name or r.officer.username) if r.officer else "",
                r.channel,
                r.created_at.isoformat(timespec="seconds"),
                float(r.score),
                int(r.satisfied),
            ]
            + [values.get(q.pk, "") for q in questions]
            + [r.comment]
        )
    return header, rows


def unit_ids_summary(unit_ids: Any, *, since: dt.date | None = None, until: dt.date | None = None) -> dict:
    """Ratings of the given units (None: every unit) in [since, until]: count, satisfied, and those by QR
    (the published "1,328 / 1,331" and "756 / 756" figures). The dashboard passes its scoped unit ids."""
    rows: QuerySet[Rating] = Rating.objects.all()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    qs = _period(rows, since, until)
    agg = qs.aggregate(
        n_count=Count("id"),
        n_satisfied=Count("id", filter=Q(satisfied=True)),
        n_qr=Count("id", filter=Q(channel="qr")),
        n_qr_satisfied=Count("id", filter=Q(channel="qr", satisfied=True)),
    )
    return {k.removeprefix("n_"): v for k, v in agg.items()}
