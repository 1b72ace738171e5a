"""Published figures (the city's and the ward's reports, "1,328 / 1,331" style) and open data.

- satisfaction: ratings "satisfied" / ratings in the period (surveys), and the same for QR ratings;
- online services offered: active procedures offered fully or partly online / active procedures (catalog);
- publishing decisions, procedures standardised / abolished / replaced, processes re-engineered and hours
  saved: the catalog's own yearly report (`catalog.report.reengineering_report`);
- open data: dossiers and feedback per unit and month from the roll-ups, no personal data, described by a
  Frictionless data package (`datapackage`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.catalog import report as catalog_report
from motcua.catalog import selectors as catalog_selectors
from motcua.dashboard.models import DossierDay, FeedbackDay
from motcua.dashboard.scope import Scope
from motcua.org.models import Unit
from motcua.surveys import selectors as survey_selectors

OPEN_DATA_MONTHS = 24


def satisfaction(seen: Scope, start: dt.date, end: dt.date) -> dict[str, Any]:
    return survey_selectors.unit_ids_summary(seen.unit_ids, since=start, until=end)


def procedure_names(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = catalog_selectors.procedure_names([r["procedure_id"] for r in rows])
    return [{**r, "name": names.get(r["procedure_id"], f"#{r['procedure_id']}")} for r in rows]


def figures(seen: Scope, year: int) -> dict[str, Any]:
    """The yearly published figures for the scope's unit (catalog figures are the province's)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rated = satisfaction(seen, start, end)
    procedures = catalog_selectors.active_procedures()
    online = procedures.filter(online_level__in=("full", "partial")).count()
    yearly = catalog_report.reengineering_report(year)
    return {
        "year": year,
        "rated": rated,
        "online_offered": online,
        "procedures": procedures.count(),
        "catalog": yearly,
    }


OPEN_DATA_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "unit_code", "type": "string", "title": "Mã đơn vị"},
        {"name": "unit_name", "type": "string", "title": "Tên đơn vị"},
        {"name": "month", "type": "yearmonth", "title": "Tháng"},
        {"name": "received", "type": "integer", "title": "Hồ sơ tiếp nhận", "constraints": {"minimum": 0}},
        {
            "name": "received_online",
            "type": "integer",
            "title": "Tiếp nhận trực tuyến",
            "constraints": {"minimum": 0},
        },
        {
            "name": "returned_early",
            "type": "integer",
            "title": "Trả trước hạn",
            "constraints": {"minimum": 0},
        },
        {
            "name": "returned_on_time",
            "type": "integer",
            "title": "Trả đúng hạn",
            "constraints": {"minimum": 0},
        },
        {"name": "returned_late", "type": "integer", "title": "Trả quá hạn", "constraints": {"minimum": 0}},
        {
            "name": "feedback_received",
            "type": "integer",
            "title": "Phản ánh tiếp nhận",
            "constraints": {"minimum": 0},
        },
        {
            "name": "feedback_answered",
            "type": "integer",
            "title": "Phản ánh đã trả lời",
            "constraints": {"minimum": 0},
        },
        {
            "name": "feedback_answered_late",
            "type": "integer",
            "title": "Trả lời trễ hạn",
            "constraints": {"minimum": 0},
        },
    ],
    "primaryKey": ["unit_code", "month"],
}


def _put(table: dict[tuple[int, dt.date], dict[str, int]], row: dict[str, Any]) -> None:
    table[(row["unit_id"], row["m"])].update({k: v for k, v in row.items() if k not in ("unit_id", "m")})


def open_data_rows() -> list[dict[str, Any]]:
    """Per unit and month (last 24 months): counts only, no personal data."""
    today = timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=31 * (OPEN_DATA_MONTHS - 1))).replace(day=1)
    table: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(dict)
    for r in (
        DossierDay.objects.filter(day__gte=since)
        .annotate(m=TruncMonth("day"))
        .values("unit_id", "m")
        .annotate(
            received=Sum("received"),
            received_online=Sum("received_online"),
            returned_early=Sum("returned_early"),
            returned_on_time=Sum("returned_on_time"),
            returned_late=Sum("returned_late"),
        )
    ):
        _put(table, dict(r))
    for f in (
        FeedbackDay.objects.filter(day__gte=since)
        .annotate(m=TruncMonth("day"))
        .values("unit_id", "m")
        .annotate(
            feedback_received=Sum("received"),
            feedback_answered=Sum("answered"),
            feedback_answered_late=Sum(F("answered_late")),
        )
    ):
        _put(table, dict(f))
    units = {u.pk: u for u in Unit.objects.filter(pk__in={k[0] for k in table})}
    names = [f["name"] for f in OPEN_DATA_SCHEMA["fields"]][3:]
    rows = []
    for (unit_id, month), values in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        unit = units.get(unit_id)
        if unit is None:
            continue
        rows.append(
            {
                "unit_code": unit.code,
                "unit_name": unit.name,
                "month": month.strftime("%Y-%m"),
                **{n: int(values.get(n) or 0) for n in names},
            }
        )
    return rows


def datapackage(base_url: str) -> dict[str, Any]:
    """The Frictionless data package descriptor (https://specs.frictionlessdata.io/data-package/)."""
    return {
        "name": "motcua-ket-qua-giai-quyet",
        "title": "Kết quả giải quyết thủ tục hành chính và phản ánh, kiến nghị theo đơn vị và tháng",
        "description": "Số liệu tổng hợp, không chứa dữ liệu cá nhân. Định nghĩa chỉ tiêu: docs/dashboard.md.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "created": timezone.now().isoformat(timespec="seconds"),
        "resources": [
            {
                "name": "ho-so-theo-thang",
                "path": f"{base_url}ho-so-theo-thang.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": OPEN_DATA_SCHEMA,
            }
        ],
    }
