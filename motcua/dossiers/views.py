"""Officer screens under /staff/dossiers/: intake, queues, dossier detail and actions, forms and reports.

Views are thin: they parse input, call one service and show its Vietnamese error when a rule says no.
Every dossier is fetched through `selectors` (scoped in the query), so another unit's dossier is a 404.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseForbidden,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from motcua.catalog import selectors as catalog
from motcua.catalog.selectors import FormField, Requirement
from motcua.citizens import services as citizens
from motcua.citizens.errors import CitizensError
from motcua.citizens.services import LookupResult
from motcua.core.dates import parse_date
from motcua.dossiers import documents, selectors, services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import (
    Channel,
    Dossier,
    DossierPaper,
    DossierStatus,
    ResultPaper,
    Task,
    TaskStatus,
)
from motcua.dossiers.services import dispatch
from motcua.dossiers.workflow import Action, allowed_actions, may_act
from motcua.org import selectors as org_selectors
from motcua.org.gates import caller, staff_required
from motcua.org.models import Role, Unit, UnitKind, User

logger = logging.getLogger(__name__)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails  # set by django_htmx's middleware


# Applicant fields of the intake form and the population-registry field that fills each.
APPLICANT_INPUTS = [
    ("applicant_name", _("Họ và tên"), "full_name"),
    ("applicant_personal_id", _("Số định danh cá nhân"), "personal_id"),
    ("applicant_phone", _("Số điện thoại"), "phone"),
    ("applicant_email", _("Thư điện tử"), "email"),
    ("applicant_address", _("Địa chỉ"), "permanent_address"),
]


def _dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    dossier = selectors.get_dossier_for_staff(code, request.user)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


# --- home: queues and search --------------------------------------------------------------------
@staff_required()
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = caller(request)
    qs = selectors.staff_dossiers(user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(applicant_personal_id=q))
    if status == "overdue":
        qs = qs.filter(overdue=True)
    elif status in DossierStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-submitted_at", "-id"), 25).get_page(request.GET.get("page"))
    context = {
        "my_tasks": selectors.my_tasks(user)[:50],
        "queue": selectors.unit_queue(user).filter(status=TaskStatus.OPEN)[:50],
        "awaiting": selectors.awaiting_receipt(user)[:50],
        "ready": selectors.ready_to_return(user)[:50],
        "incoming": selectors.incoming_transfers(user)[:50],
        "overdue_count": selectors.staff_dossiers(user).filter(overdue=True).count(),
        "page": page,
        "q": q,
        "status": status,
        "statuses": DossierStatus.choices,
        "is_leader": user.has_role(Role.UNIT_LEADER),
        "can_intake": user.has_role(Role.DESK_OFFICER, Role.UNIT_LEADER),
        # the hall's queue runs at a commune-level counter: a city leader has none to call numbers to
        "can_call": org_selectors.counter_unit(user) is not None,
    }
    return render(request, "dossiers/home.html", context)


# --- intake at the counter ---------------------------------------------------------------------
def _desk_units(user: User) -> list[Unit]:
    return [r.unit for r in user._active_roles() if r.role in (Role.DESK_OFFICER, Role.UNIT_LEADER)]


@staff_required()
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    units = _desk_units(caller(request))
    if not units:
        return HttpResponseForbidden(_("Chỉ cán bộ một cửa mới được tiếp nhận hồ sơ."))
    code = request.POST.get("procedure") or request.GET.get("procedure", "")
    procedure = catalog.get_procedure(code) if code else None
    if procedure is None:
        q = request.GET.get("q", "")
        found = catalog.search(q, limit=30) if q else list(catalog.active_procedures().order_by("code")[:200])
        return render(request, "dossiers/intake_pick.html", {"procedures": found, "q": q})
    papers = [p for p in catalog.papers(procedure) if p.kind != "registry"]
    conditions = catalog.paper_conditions(papers)
    fields = list(catalog.form_fields(procedure))
    values = {k: request.POST.get(k, "") for k, _label, _reg in APPLICANT_INPUTS}
    context = {
        "procedure": procedure,
        "papers": papers,
        "conditions": [{**c, "answer": request.POST.get(f"cond_{c['key']}", "")} for c in conditions],
        "registry_papers": [p for p in catalog.papers(procedure) if p.kind == "registry"],
        "sighted": set(request.POST.getlist("sighted")),
        "fields": fields,
        "units": units,
        "applicant_inputs": [(k, label, values[k]) for k, label, _reg in APPLICANT_INPUTS],
        "field_values": [(f, request.POST.get(f"f_{f.key}", "")) for f in fields],
        "registry": {k: request.POST.get(f"reg_{k}", "") for k, _l, _r in APPLICANT_INPUTS},
        "competent_units": _competent_choices(units[0]),
        "checked": set(request.POST.getlist("present")),
    }
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("receiving_unit")), units[0])
        competent = None
        if request.POST.get("competent_unit"):
            competent = Unit.objects.filter(pk=request.POST["competent_unit"], valid_to__isnull=True).first()
        files, sources, form_data = _intake_input(request, papers, fields, values)
        try:
            dossier = services.receive_at_counter(
                procedure=procedure,
                receiving_unit=unit,
                actor=request.user,
                applicant={k.removeprefix("applicant_"): v for k, v in values.items()},
                form_data=form_data,
                files=files,
                outcome=request.POST.get("outcome", "accept"),
                missing=[m for m in request.POST.get("missing", "").splitlines() if m.strip()],
                reason=request.POST.get("reason", ""),
                field_sources=sources,
                channel=request.POST.get("channel", Channel.COUNTER),
                competent_unit=competent,
                idempotency_key=request.POST.get("idempotency_key") or None,
                notify_zalo=bool(request.POST.get("notify_zalo")),
                intake_session=request.POST.get("intake_session", ""),
                paper_answers=catalog.answers_from(request.POST, conditions),
                sighted=request.POST.getlist("sighted"),
            )
        except DossierError as exc:
            messages.error(request, exc.message)
            context["idempotency_key"] = request.POST.get("idempotency_key", "")
            context["intake_session"] = request.POST.get("intake_session", "")
            return render(request, "dossiers/intake.html", context, status=400)
        messages.success(
            request,
            _("Đã lưu hồ sơ %(code)s: %(status)s.")
            % {"code": dossier.code, "status": dossier.get_status_display()},
        )
        return redirect("dossiers:detail", code=dossier.code)
    context["idempotency_key"] = uuid.uuid4().hex
    return render(request, "dossiers/intake.html", context)


def _intake_input(
    request: HttpRequest, papers: Iterable[Requirement], fields: list[FormField], values: Mapping[str, str]
) -> tuple[dict[str | int, Any], dict[str, str], dict[str, Any]]:
    """The counter form's scans, the source of each applicant and declaration value (the registry when
    it equals what the registry answered, else typed) and the declaration."""
    files: dict[str | int, Any] = {
        p.pk: request.FILES[f"paper_{p.pk}"] for p in papers if request.FILES.get(f"paper_{p.pk}")
    }
    sources = {}
    for key, _label, _reg in APPLICANT_INPUTS:
        registry_value = request.POST.get(f"reg_{key}", "")
        if values[key]:
            sources[key] = "registry" if registry_value and registry_value == values[key] else "typed"
    form_data: dict[str, Any] = {f.key: request.POST.get(f"f_{f.key}", "") for f in fields}
    for f in fields:
        reg = request.POST.get(f"regf_{f.key}", "")
        if form_data.get(f.key):
            sources[f"form.{f.key}"] = "registry" if reg and reg == form_data[f.key] else "typed"
    return files, sources, form_data


def _competent_choices(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(
        province_code=unit.province_code,
        valid_to__isnull=True,
        kind__in=[UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE, UnitKind.AGENCY, UnitKind.PROVINCE],
    ).order_by("kind", "name")


@staff_required()
@require_POST
def registry_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: fill the applicant from the population registry; manual entry keeps working if it fails."""
    personal_id = request.POST.get("applicant_personal_id", "").strip()
    procedure_code = request.POST.get("procedure", "")
    values = {k: request.POST.get(k, "") for k, _l, _r in APPLICANT_INPUTS}
    registry = {}
    form_fill: list[tuple[FormField, str]] = []
    error = ""
    session, error = _intake_session(request, personal_id, procedure_code)
    result: LookupResult | None = None
    if session:
        try:
            result = citizens.lookup_person(
                personal_id,
                actor=request.user,
                procedure_code=procedure_code,
                dossier_code=None,
                intake_session=session,
            )
        except Exception as exc:  # noqa: BLE001 - timeouts, outages: keep manual entry working
            logger.warning("population registry look-up failed: %s", exc)
            result = None
            error = _("CSDL dân cư không phản hồi (%(why)s); vui lòng nhập tay.") % {
                "why": type(exc).__name__
            }
        if result is not None and not result.ok:
            error = result.error or _("Không lấy được thông tin từ CSDL dân cư; vui lòng nhập tay.")
        elif result is not None:
            fields = result.fields or {}
            for key, _label, reg in APPLICANT_INPUTS:
                value = fields.get(reg) or (
                    fields.get("current_address") if reg == "permanent_address" else ""
                )
                if value:
                    values[key] = str(value)
                    registry[key] = str(value)
            values["applicant_personal_id"] = personal_id
            registry["applicant_personal_id"] = personal_id
            form_fill = _registry_form_fill(procedure_code, fields)
    context = {
        "form_fill": form_fill,
        "applicant_inputs": [(k, label, values[k]) for k, label, _reg in APPLICANT_INPUTS],
        "registry": registry,
        "lookup_error": error,
        "lookup_done": not error,
        "intake_session": session,
    }
    return render(request, "dossiers/_applicant.html", context)


def _intake_session(request: HttpRequest, personal_id: str, procedure_code: str) -> tuple[str, str]:
    """(the public id of the officer's intake session for this applicant and procedure, error).

    The session the form carries is kept while it is the officer's, open and for the same person and
    procedure; otherwise (first look-up, another applicant) that one is closed and a new one opened at the
    receiving unit: the look-up is then bound to "receiving procedure P for applicant X", audited."""
    user = caller(request)
    carried = request.POST.get("intake_session", "").strip()
    if citizens.usable_intake_session(user, carried, personal_id=personal_id, procedure_code=procedure_code):
        return carried, ""
    if carried:
        citizens.close_intake_session(carried, actor=user)  # only the officer's own open session closes
    units = _desk_units(user)
    unit = next(
        (u for u in units if str(u.pk) == request.POST.get("receiving_unit")), units[0] if units else None
    )
    if unit is None:
        return "", _("Chỉ cán bộ một cửa mới được tiếp nhận hồ sơ.")
    try:
        opened = citizens.open_intake_session(
            user,
            unit=unit,
            procedure_code=procedure_code,
            personal_id=personal_id,
            applicant_name=request.POST.get("applicant_name", ""),
        )
    except CitizensError as exc:
        return "", exc.message
    return str(opened.public_id), ""


def _registry_form_fill(procedure_code: str, fields: Mapping[str, Any]) -> list[tuple[FormField, str]]:
    """(form field, value) pairs of the declaration that the registry answer fills for the applicant."""
    procedure = catalog.get_procedure(procedure_code) if procedure_code else None
    if procedure is None:
        return []
    fill = []
    for f in catalog.form_fields(procedure):
        if not f.registry_field or (f.registry_subject or "applicant") != "applicant":
            continue
        value = fields.get(f.registry_field)
        if value in (None, "", []):
            continue
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
        fill.append((f, value))
    return fill


# --- detail and actions --------------------------------------------------------------------------
@staff_required()
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _detail_page(request, _dossier_or_404(request, code))


def _detail_page(request: HttpRequest, d: Dossier, status: int = 200) -> HttpResponse:
    user = caller(request)
    tasks = list(d.tasks.select_related("unit", "assignee").order_by("order", "id"))
    active = next((t for t in tasks if t.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)), None)
    context = {
        "d": d,
        "tasks": tasks,
        "active": active,
        "events": selectors.timeline(d, public=False),
        "papers": d.papers.all(),
        "declaration": selectors.declaration_rows(d),
        "checklist": services.checklist(d),
        "results": d.results.all(),
        "transfers": d.transfers.select_related("to_unit").all(),
        "open_transfer": d.transfers.filter(returned_at__isnull=True).select_related("to_unit").first(),
        "forms": documents.available_forms(d),
        "actions": set(allowed_actions(d)),
        "can": _permissions(d, user, active),
        "officers": selectors.officers_for(active) if active else [],
        "agencies": Unit.objects.filter(kind=UnitKind.AGENCY, valid_to__isnull=True).exclude(pk=d.unit_id),
        "apology_allowed": services.apology_allowed(d),
        "tracking_url": documents.qr_payload(d),
        "channels": Channel.choices,
        "today": timezone.localdate(),
    }
    return render(request, "dossiers/detail.html", context, status=status)


def _permissions(d: Dossier, user: User, active: Task | None) -> dict[str, bool]:
    can: dict[str, bool] = {
        a: may_act(d, a, user)
        for a in (
            Action.RECEIVE,
            Action.INTAKE_SUPPLEMENT,
            Action.REFUSE_RECEIPT,
            Action.REQUEST_SUPPLEMENT,
            Action.SUPPLEMENT,
            Action.TRANSFER_OUT,
            Action.APOLOGISE,
            Action.ATTACH_RESULT,
            Action.RETURN_RESULT,
            Action.STOP,
            Action.REQUEST_FEE,
            Action.FEE_PAID,
        )
    }
    if active is not None:
        mine = active.assignee_id == user.pk
        role_ok = user.can_act_in(active.unit, active.role)
        leader = user.can_act_in(active.unit, Role.UNIT_LEADER)
        can["claim"] = (
            active.status == TaskStatus.OPEN and role_ok and may_act(d, Action.CLAIM, user, unit=active.unit)
        )
        can["complete"] = active.status == TaskStatus.IN_PROGRESS and (mine or leader)
        can["assign"] = leader
        can["leader_step"] = active.is_leader_approval
    transfer = d.transfers.filter(returned_at__isnull=True).select_related("to_unit").first()
    can["transfer_back"] = transfer is not None and may_act(
        d, Action.TRANSFER_BACK, user, unit=transfer.to_unit
    )
    return can


# The values a screen form may post: the API's transition body names (services/dispatch.py).
_FORM_VALUES = (
    *("version", "task", "assignee", "to_unit", "items", "reason", "note", "decision"),
    *("new_due_date", "hours", "channel", "name"),
)


@staff_required()
@require_POST
def act(request: HtmxHttpRequest, code: str, action: str) -> HttpResponse:
    """One POST per action through the same dispatcher as the API; the hidden `version` makes a stale
    form fail instead of overwriting. A refusal shows the page again with the reason (403/409)."""
    d = _dossier_or_404(request, code)
    values = {k: request.POST[k] for k in _FORM_VALUES if k in request.POST}
    files = {"files": request.FILES.getlist("files"), "file": request.FILES.get("file")}
    try:
        dispatch.run(d, action, request.user, values, files)
    except DossierError as exc:
        status = dispatch.http_status(exc)
        if status == 404 and exc.code == "unknown_action":
            raise Http404 from exc
        if request.htmx:
            return HttpResponse(exc.message, status=status)
        messages.error(request, exc.message)
        return _detail_page(request, d, status=status)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": _label(action)})
    return redirect("dossiers:detail", code=d.code)


def _label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action


# --- files and documents -----------------------------------------------------------------------
@staff_required()
@require_GET
def paper_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    d = _dossier_or_404(request, code)
    paper = get_object_or_404(DossierPaper, pk=pk, dossier=d)
    return FileResponse(paper.file.open("rb"), content_type=paper.content_type)


@staff_required()
@require_GET
def result_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    d = _dossier_or_404(request, code)
    paper = get_object_or_404(ResultPaper, pk=pk, dossier=d)
    return FileResponse(paper.file.open("rb"), content_type=paper.content_type)


@staff_required()
@require_GET
def form_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    d = _dossier_or_404(request, code)
    if number not in documents.FORMS:
        raise Http404
    response = HttpResponse(documents.form_pdf(d, number), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{d.code}-mau-{number}.pdf"'
    return response


@staff_required()
@require_GET
def control_sheet_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    d = _dossier_or_404(request, code)
    response = HttpResponse(
        documents.control_sheet_xlsx(d),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{d.code}-mau-06.xlsx"'
    return response


@staff_required()
@require_GET
def log_book(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        start = parse_date(request.GET["start"]) if request.GET.get("start") else today.replace(day=1)
        end = parse_date(request.GET["end"]) if request.GET.get("end") else today
    except ValueError:
        messages.error(request, _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 07/03/2026."))
        start, end = today.replace(day=1), today
    unit = caller(request).primary_unit
    dossiers = selectors.log_book(request.user, start, end).select_related("procedure")
    fmt = request.GET.get("format", "")
    if fmt == "pdf":
        body = documents.log_book_pdf(
            dossiers[:2000], unit_name=unit.name if unit else "", start=start, end=end
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="so-theo-doi-{start}-{end}.pdf"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            documents.log_book_xlsx(dossiers[:20000]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start}-{end}.xlsx"'
        return response
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/log_book.html",
        {"page": page, "start": start, "end": end, "base": reverse("dossiers:log-book")},
    )
