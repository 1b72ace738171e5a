"""Public catalog pages (/thu-tuc/) and staff catalog pages (/staff/catalog/)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.catalog import selectors
from motcua.catalog.errors import CatalogError
from motcua.catalog.excel import MAX_BYTES, export_workbook, import_workbook
from motcua.catalog.models import (
    Channel,
    CompetentLevel,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureStatus,
    RequirementKind,
)
from motcua.catalog.report import reengineering_report, report_rows
from motcua.core import exports
from motcua.core.calendar import LegalTimeUnit
from motcua.org import selectors as org_selectors
from motcua.org.gates import is_officer, staff_required
from motcua.org.models import Role, Unit

REPORT_ROLES = (Role.UNIT_LEADER, Role.PROVINCE_ADMIN, Role.UNIT_ADMIN, Role.AUDITOR)
IMPORT_ROLES = (Role.PROVINCE_ADMIN,)


def time_label(value, unit: str) -> str:
    if unit == LegalTimeUnit.SAME_DAY or (unit != LegalTimeUnit.HOURS and Decimal(value) == 0):
        return _("Trong ngày (nhận sau 15 giờ trả trong ngày làm việc tiếp theo)")
    number = Decimal(value).normalize()
    number_text = f"{number:f}"
    return f"{number_text} {str(LegalTimeUnit(unit).label).lower()}"


def _decorate(procedure: Procedure) -> Procedure:
    value, unit = selectors.legal_time(procedure)
    procedure.time_label = time_label(value, unit)
    return procedure


def procedure_list(request):
    q = (request.GET.get("q") or "").strip()[:200]
    qs = selectors.active_procedures().prefetch_related("times")
    field = request.GET.get("field") or ""
    level = request.GET.get("level") or ""
    online = request.GET.get("online") or ""
    if field:
        qs = qs.filter(field__slug=field)
    if level in CompetentLevel.values:
        qs = qs.filter(competent_level=level)
    if online in OnlineLevel.values:
        qs = qs.filter(online_level=online)
    elif online == "any":
        qs = qs.exclude(online_level=OnlineLevel.NONE)
    if q:
        results = selectors.search(q, limit=50, queryset=qs)
        page = None
    else:
        page = Paginator(qs.order_by("field__name", "code"), 30).get_page(request.GET.get("page"))
        results = list(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "catalog/procedure_list.html",
        {
            "q": q,
            "results": [_decorate(p) for p in results],
            "page": page,
            "fields": Field.objects.filter(procedures__status=ProcedureStatus.ACTIVE).distinct(),
            "levels": CompetentLevel.choices,
            "online_levels": OnlineLevel.choices,
            "selected": {"field": field, "level": level, "online": online},
            "querystring": params.urlencode(),
            "total": qs.count(),
        },
    )


def procedure_detail(request, code: str):
    procedure = selectors.get_procedure(code)
    if procedure is None:
        raise Http404
    if procedure.code != code:
        return redirect(selectors.procedure_url(procedure), permanent=True)
    times = [
        (str(Channel(t.channel).label), time_label(t.value, t.unit))
        for t in procedure.times.order_by("channel")
    ]
    value, unit = selectors.legal_time(procedure)
    papers = list(selectors.papers(procedure))
    process = selectors.current_process(procedure)
    blocked = None
    try:
        selectors.ensure_can_receive(procedure)
    except CatalogError as exc:
        blocked = exc.message
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "p": procedure,
            "times": times,
            "default_time": time_label(value, unit),
            "submit_papers": [r for r in papers if r.kind == RequirementKind.SUBMIT],
            "show_papers": [r for r in papers if r.kind == RequirementKind.SHOW],
            "notes": [r for r in papers if r.kind == RequirementKind.NOTE],
            "fees": procedure.fees.all(),
            "form_fields": selectors.form_fields(procedure),
            "history": selectors.history(procedure),
            "process": process,
            "steps": process.steps.order_by("order") if process else [],
            "blocked": blocked,
            "submit_url": selectors.submit_url(procedure) if procedure.is_online and not blocked else None,
            "predecessors": procedure.predecessors.all(),
        },
    )


# --- staff pages -------------------------------------------------------------------------------------
@staff_required()
def staff_index(request):
    procedures = Procedure.objects.all()
    return render(
        request,
        "catalog/staff_index.html",
        {
            "total": procedures.count(),
            "active": procedures.filter(status=ProcedureStatus.ACTIVE).count(),
            "inactive": procedures.exclude(status=ProcedureStatus.ACTIVE).select_related("successor"),
            "review": procedures.filter(needs_review=True).order_by("code"),
            "online": procedures.exclude(online_level=OnlineLevel.NONE).count(),
            "can_import": is_officer(request.user, IMPORT_ROLES),
            "can_report": is_officer(request.user, REPORT_ROLES),
        },
    )


def _scope(request) -> Unit | None:
    code = (request.GET.get("scope") or "").strip()
    if code == "all":
        return None
    unit = org_selectors.unit_by_code(code) if code else org_selectors.province()
    if (
        not code
        and unit is not None
        and not request.user.is_superuser
        and not request.user.can_see_unit(unit)
    ):
        unit = request.user.primary_unit  # a ward's leader: the report of their own ward by default
    if unit is None:
        raise Http404
    if not request.user.is_superuser and not request.user.can_see_unit(unit):
        raise PermissionDenied
    return unit


@staff_required(*REPORT_ROLES)
def reengineering(request):
    try:
        year = int(request.GET.get("year") or dt.date.today().year)
    except ValueError:
        year = dt.date.today().year
    year = min(max(year, 2000), 2100)
    scope = _scope(request)
    report = reengineering_report(year, scope)
    fmt = request.GET.get("format")
    filename = f"tai-cau-truc-{year}-{scope.code if scope else 'all'}"
    if fmt == "csv":
        return exports.csv_response(f"{filename}.csv", [], report_rows(report))
    if fmt == "xlsx":
        sheet = ("Tái cấu trúc quy trình", [], report_rows(report))
        return exports.xlsx_response(f"{filename}.xlsx", exports.xlsx_bytes([sheet]))
    return render(
        request,
        "catalog/reengineering.html",
        {
            "report": report,
            "year": year,
            "scope": scope,
            "years": range(dt.date.today().year + 1, 2022, -1),
            "querystring": request.GET.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required()
def excel(request):
    if request.method == "GET" and request.GET.get("download"):
        return exports.xlsx_response(f"danh-muc-thu-tuc-{dt.date.today():%Y%m%d}.xlsx", export_workbook())
    can_import = is_officer(request.user, IMPORT_ROLES)
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Chưa chọn tệp Excel."))
        elif upload.size > MAX_BYTES:
            messages.error(request, CatalogError("excel_file", detail=_("tệp lớn hơn 20 MB")).message)
        else:
            try:
                counts = import_workbook(upload.read(), actor=request.user)
            except CatalogError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Đã nhập: %(updated)s thủ tục thay đổi, %(created)s thủ tục mới, %(processes)s quy trình thay đổi."
                    )
                    % {
                        "updated": counts.get("procedures_updated", 0),
                        "created": counts.get("procedures_created", 0),
                        "processes": counts.get("processes_updated", 0) + counts.get("processes_created", 0),
                    },
                )
        return redirect("catalog:staff-excel")
    return render(request, "catalog/excel.html", {"can_import": can_import})
