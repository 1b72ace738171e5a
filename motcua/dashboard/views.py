"""Dashboard pages: the leaders' dashboard (scoped), its drill-downs and exports; public transparency pages
and open data (anyone, published figures only). Every staff page resolves the scope first
(`scope.resolve`), so no parameter can widen it: a unit outside it answers 403 and shows nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import exports
from motcua.dashboard import charts, hotspots, published, quality, scope, selectors
from motcua.dashboard.errors import DashboardError
from motcua.dashboard.scope import Scope
from motcua.dossiers.services import clock
from motcua.org.gates import staff_required
from motcua.org.models import Unit


def _label(figure: str) -> str:
    return {
        "received": _("Tiếp nhận"),
        "returned_early": _("Trả trước hạn"),
        "returned_on_time": _("Trả đúng hạn"),
        "returned_late": _("Trả quá hạn"),
        "in_progress": _("Đang giải quyết"),
        "overdue": _("Trong đó quá hạn"),
    }.get(figure, figure)


def _refused(request: HttpRequest, exc: DashboardError) -> HttpResponse:
    return render(request, "dashboard/refused.html", {"error": exc}, status=exc.status)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%".replace(".", ",") if whole else "–"


def _request_scope(request: HttpRequest) -> tuple[Scope, dt.date, dt.date]:
    seen = scope.resolve(request.user, request.GET.get("unit", ""))  # the scope first: 403 whatever else
    start, end = scope.period(request.GET.get("from"), request.GET.get("to"))
    return seen, start, end


def _query(seen: Scope, start: dt.date, end: dt.date, **more: str) -> str:
    return urlencode({"unit": seen.unit.code, "from": start.isoformat(), "to": end.isoformat(), **more})


def _trend_start(end: dt.date) -> dt.date:
    return (end.replace(day=1) - dt.timedelta(days=330)).replace(day=1)


def figures_context(seen: Scope, start: dt.date, end: dt.date) -> dict[str, Any]:
    stats = selectors.dossier_stats(seen, start, end)
    feedback = selectors.feedback_stats(seen, start, end)
    returned = stats["returned_early"] + stats["returned_on_time"] + stats["returned_late"]
    trend = selectors.monthly_trend(seen, _trend_start(end), end)
    ranked = selectors.ranked_units(seen, start, end)
    months = [r["month"].strftime("%m/%Y") for r in trend]
    rated = published.satisfaction(seen, start, end)
    return {
        "stats": stats,
        "feedback": feedback,
        "returned": returned,
        "on_time_pct": _pct(stats["returned_early"] + stats["returned_on_time"], returned),
        "online_pct": _pct(stats["received_online"], stats["received"]),
        "avg_days": round(stats["processing_seconds"] / stats["processed"] / 86400, 1)
        if stats["processed"]
        else None,
        "allowed_days": round(stats["allowed_seconds"] / stats["processed"] / 86400, 1)
        if stats["processed"]
        else None,
        "rated": rated,
        "trend": trend,
        "trend_chart": charts.columns(
            _("Hồ sơ theo tháng"),
            months,
            [
                (_("Tiếp nhận"), [r["received"] or 0 for r in trend]),
                (_("Trả đúng/trước hạn"), [r["on_time"] or 0 for r in trend]),
                (_("Trả quá hạn"), [r["late"] or 0 for r in trend]),
            ],
        ),
        "ranked": ranked,
        "ranked_chart": charts.bars(
            _("Tỷ lệ trả đúng hạn theo đơn vị"),
            [
                (r["unit"].name, (r["on_time_rate"] or 0) * 100, f"{(r['on_time_rate'] or 0) * 100:.1f}%")
                for r in ranked[:25]
            ],
        ),
    }


def _stamp(request: HttpRequest, seen: Scope, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """What every export carries: the filters, the scope, who made it and when."""
    user = request.user
    return [
        (
            _("Bộ lọc"),
            _("đơn vị %(code)s, từ %(a)s đến %(b)s")
            % {"code": seen.unit.code, "a": start.strftime("%d/%m/%Y"), "b": end.strftime("%d/%m/%Y")},
        ),
        (_("Phạm vi"), seen.label),
        (_("Người xuất"), f"{getattr(user, 'full_name', '') or user.get_username()} ({user.get_username()})"),
        (_("Thời điểm xuất"), timezone.localtime().strftime("%H:%M %d/%m/%Y")),
    ]


@staff_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        seen, start, end = _request_scope(request)
    except DashboardError as exc:
        return _refused(request, exc)
    context = figures_context(seen, start, end)
    units = Unit.objects.filter(pk__in=seen.unit_ids, valid_to__isnull=True).order_by("path")[:400]
    context.update(
        {
            "scope": seen,
            "start": start,
            "end": end,
            "query": _query(seen, start, end),
            "units": units,
            "figures": [(f, _label(f), context["stats"][f]) for f in selectors.DOSSIER_FIGURES],
            "procedures": published.procedure_names(selectors.by_procedure(seen, start, end)),
        }
    )
    return render(request, "dashboard/dashboard.html", context)


@staff_required()
def drill(request: HttpRequest) -> HttpResponse:
    """Number -> the list behind it -> one dossier (the dossiers app's own page)."""
    try:
        seen, start, end = _request_scope(request)
        figure = request.GET.get("figure", "")
        if figure not in selectors.DOSSIER_FIGURES:
            raise DashboardError("bad_value", value=figure[:30])
    except DashboardError as exc:
        return _refused(request, exc)
    qs = selectors.dossiers_behind(request.user, seen, figure, start, end).order_by("-received_at", "-id")
    if request.GET.get("format") == "csv":
        rows = [
            (
                d.code,
                d.procedure.name,
                d.receiving_unit.name,
                d.channel,
                _fmt(d.received_at),
                _fmt(d.due_at),
                _fmt(d.returned_at),
                d.get_outcome_display(),
                d.get_status_display(),
            )
            for d in qs[:50000]
        ]
        header = [
            _("Mã hồ sơ"),
            _("Thủ tục"),
            _("Đơn vị tiếp nhận"),
            _("Kênh"),
            _("Tiếp nhận"),
            _("Hẹn trả"),
            _("Trả kết quả"),
            _("Kết quả"),
            _("Trạng thái"),
        ]
        stamp = [list(s) for s in _stamp(request, seen, start, end)] + [[_("Số liệu"), _label(figure)], []]
        return exports.csv_response(f"ho-so-{figure}-{end.isoformat()}.csv", [], [*stamp, header, *rows])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/drill.html",
        {
            "scope": seen,
            "start": start,
            "end": end,
            "figure": figure,
            "label": _label(figure),
            "page": page,
            "query": _query(seen, start, end, figure=figure),
        },
    )


def _fmt(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def export_rows(
    request: HttpRequest, seen: Scope, start: dt.date, end: dt.date
) -> list[tuple[str, list, list]]:
    ctx = figures_context(seen, start, end)
    stats, feedback = ctx["stats"], ctx["feedback"]
    stamp = [list(s) for s in _stamp(request, seen, start, end)]
    figures = [[_label(f), stats[f]] for f in selectors.DOSSIER_FIGURES]
    figures += [[_("Tỷ lệ nộp trực tuyến"), round(stats["online_share"], 4)]]
    figures += [[_("Phản ánh: %(f)s") % {"f": f}, feedback[f]] for f in selectors.FEEDBACK_FIGURES]
    units = [
        [
            r["unit"].code,
            r["unit"].name,
            r["received"],
            r["returned"],
            round(r["on_time_rate"], 4) if r["on_time_rate"] is not None else "",
        ]
        for r in ctx["ranked"]
    ]
    return [
        (_("Thông tin"), [_("Mục"), _("Giá trị")], stamp),
        (_("Số liệu"), [_("Chỉ tiêu"), _("Giá trị")], figures),
        (_("Theo đơn vị"), [_("Mã"), _("Đơn vị"), _("Tiếp nhận"), _("Đã trả"), _("Tỷ lệ đúng hạn")], units),
    ]


@staff_required()
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        seen, start, end = _request_scope(request)
    except DashboardError as exc:
        return _refused(request, exc)
    sheets = export_rows(request, seen, start, end)
    name = f"bang-dieu-hanh-{seen.unit.code}-{start.isoformat()}-{end.isoformat()}"
    if fmt == "csv":
        rows: list[list] = []
        for title, header, body in sheets:
            rows += [[title], header, *body, []]
        return exports.csv_response(f"{name}.csv", [], rows)
    if fmt == "xlsx":
        return exports.xlsx_response(f"{name}.xlsx", exports.xlsx_bytes(sheets, fit_columns=True))
    from weasyprint import HTML  # noqa: PLC0415  (heavy import, only for PDF; as civil.pdf does)

    html = render_to_string(
        "dashboard/export_pdf.html",
        {"sheets": sheets, "scope": seen, **figures_context(seen, start, end)},
    )
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@staff_required()
def hot_spots(request: HttpRequest) -> HttpResponse:
    try:
        seen = scope.resolve(request.user, request.GET.get("unit", ""))
        day = scope.parse_day(
            request.GET.get("day"), clock.now().astimezone(timezone.get_current_timezone()).date()
        )
    except DashboardError as exc:
        return _refused(request, exc)
    spots = []
    for h in hotspots.hotspots(seen, day):
        low, high = h.band
        chart = charts.band(h.label, h.labels, h.values, [low] * len(h.values), [high] * len(h.values))
        spots.append({"spot": h, "chart": chart})
    return render(request, "dashboard/hotspots.html", {"scope": seen, "day": day, "spots": spots})


@staff_required()
def quality_page(request: HttpRequest) -> HttpResponse:
    try:
        seen = scope.resolve(request.user, request.GET.get("unit", ""))
        month = scope.parse_day(request.GET.get("month"), timezone.localdate()).replace(day=1)
    except DashboardError as exc:
        return _refused(request, exc)
    return render(
        request,
        "dashboard/quality.html",
        {"scope": seen, "index": quality.index(seen, month), "report": published.figures(seen, month.year)},
    )


# --- public: published figures only, no personal data ---
def public_index(request: HttpRequest) -> HttpResponse:
    province = scope.default_public_unit()
    rows = []
    if province is not None:
        seen = scope.public_scope(province.code)
        end = timezone.localdate()
        rows = selectors.ranked_units(seen, end.replace(month=1, day=1), end)
    return render(request, "dashboard/public_index.html", {"rows": rows, "province": province})


def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    try:
        seen = scope.public_scope(code)
    except DashboardError as exc:
        return _refused(request, exc)
    end = timezone.localdate()
    start = end.replace(month=1, day=1)
    context = figures_context(seen, start, end)
    context.update(
        {"scope": seen, "start": start, "end": end, "index": quality.index(seen, end.replace(day=1))}
    )
    return render(request, "dashboard/public_unit.html", context)


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = published.open_data_rows()
    fields = [f["name"] for f in published.OPEN_DATA_SCHEMA["fields"]]
    if fmt == "json":
        return JsonResponse(
            {"schema": published.OPEN_DATA_SCHEMA, "data": rows}, json_dumps_params={"ensure_ascii": False}
        )
    text = exports.csv_text(fields, [[r[f] for f in fields] for r in rows]).lstrip("\ufeff")  # plain UTF-8
    response = HttpResponse(text, content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = 'inline; filename="ho-so-theo-thang.csv"'
    return response


def datapackage(request: HttpRequest) -> HttpResponse:
    body = json.dumps(
        published.datapackage(request.build_absolute_uri("/du-lieu-mo/")), ensure_ascii=False, indent=2
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")
