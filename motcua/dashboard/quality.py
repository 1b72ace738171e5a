"""The QĐ 766/QĐ-TTg (2022) service-quality index per unit and month, from the platform's own data.

The decision names six groups and their points (domain.md): transparency 18, timeliness 20, online
service 12, online payment 10, satisfaction 18, digitisation 22. Its sub-formulas were not found, so each
group is one documented share (0..1) computed here; the points are `QualityWeight` rows (admin), the
defaults below when none is set. A group without data in the month (no dossier handed over, no rating...)
is left out and the index is scaled to the points of the groups that have data, so a unit is never marked
down for what it did not do.

- transparency: feedback reports finished in the month whose answer was published / finished reports.
- timeliness: results handed over early or on time / results handed over (TT 01/2018 outcome classes).
- online: dossiers received online through the portal / dossiers received.
- payment: not measured yet (fees are not paid through the platform): always left out.
- satisfaction: ratings "satisfied" / ratings (surveys).
- digitisation: results handed over with an electronic result paper / results handed over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from motcua.dashboard import selectors
from motcua.dashboard.models import QualityGroup, QualityWeight
from motcua.dashboard.scope import Scope
from motcua.dossiers import selectors as dossier_selectors
from motcua.feedback import selectors as feedback_selectors
from motcua.surveys import selectors as survey_selectors

DEFAULT_POINTS = {
    QualityGroup.TRANSPARENCY: Decimal(18),
    QualityGroup.TIMELINESS: Decimal(20),
    QualityGroup.ONLINE: Decimal(12),
    QualityGroup.PAYMENT: Decimal(10),
    QualityGroup.SATISFACTION: Decimal(18),
    QualityGroup.DIGITISATION: Decimal(22),
}


@dataclass(frozen=True)
class GroupScore:
    group: str
    label: str
    points: Decimal
    numerator: int
    denominator: int

    @property
    def share(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def score(self) -> float | None:
        return None if self.share is None else float(self.points) * self.share


@dataclass(frozen=True)
class QualityIndex:
    month: dt.date
    groups: list[GroupScore]

    @property
    def value(self) -> float | None:
        """0-100, scaled to the points of the groups that have data."""
        measured = [g for g in self.groups if g.score is not None]
        possible = sum(float(g.points) for g in measured)
        if not possible:
            return None
        return round(100 * sum(g.score or 0 for g in measured) / possible, 1)


def points() -> dict[str, Decimal]:
    configured = dict(QualityWeight.objects.values_list("group", "points"))
    return {g: configured.get(g, default) for g, default in DEFAULT_POINTS.items()}


def _bounds(month: dt.date) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    aware = (timezone.make_aware(dt.datetime.combine(d, dt.time.min)) for d in (first, nxt))
    return first, nxt - dt.timedelta(days=1), next(aware), next(aware)


def index(scope: Scope, month: dt.date) -> QualityIndex:
    first, last, start, end = _bounds(month)
    ids = scope.unit_ids
    stats = selectors.dossier_stats(scope, first, last)
    returned = stats["returned_early"] + stats["returned_on_time"] + stats["returned_late"]
    finished, published = feedback_selectors.public_answer_counts(ids, start, end)
    rated = survey_selectors.unit_ids_summary(ids, since=first, until=last)
    handed, digitised = dossier_selectors.digitised_counts(ids, start, end)
    p = points()
    raw = {
        QualityGroup.TRANSPARENCY: (published, finished),
        QualityGroup.TIMELINESS: (stats["returned_early"] + stats["returned_on_time"], returned),
        QualityGroup.ONLINE: (stats["received_online"], stats["received"]),
        QualityGroup.PAYMENT: (0, 0),
        QualityGroup.SATISFACTION: (rated["satisfied"], rated["count"]),
        QualityGroup.DIGITISATION: (digitised, handed),
    }
    groups = [GroupScore(g.value, str(g.label), p[g], *raw[g]) for g in QualityGroup]
    return QualityIndex(first, groups)
