"""Civil status screens (/staff/civil/...) and the public verification page (/xac-minh/<code>/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.citizens.selectors import dossier_for_staff
from motcua.civil import selectors, services
from motcua.civil.errors import CivilError
from motcua.civil.forms import DossierCodeForm, ExtractForm, MaritalForm, SearchForm, registration_form
from motcua.civil.models import RECORD_MODELS, RecordKind, Source
from motcua.org.models import Role

CIVIL_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER)


def _staff(request):
    user = request.user
    if getattr(user, "kind", "") != "staff" or not user.has_role(*CIVIL_ROLES, Role.AUDITOR):
        raise PermissionDenied
    return user


def _acting_unit(user, roles=CIVIL_ROLES):
    for assignment in user._active_roles():
        if assignment.role in roles:
            return assignment.unit
    raise PermissionDenied


@login_required
@require_GET
def index(request):
    """Province-wide search (to issue an extract of any record) and the way to every civil screen."""
    user = _staff(request)
    form = SearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        try:
            results = selectors.search_records(
                user,
                query=form.cleaned_data["q"],
                kind=form.cleaned_data["kind"],
                purpose=form.cleaned_data["purpose"],
            )
        except CivilError as exc:
            messages.error(request, exc.message)
    return render(
        request, "civil/index.html", {"form": form, "results": results, "kinds": RecordKind.choices}
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request, kind: str):
    """Direct registration (or from a dossier with ?dossier=CODE), with the duplicate check."""
    user = _staff(request)
    if kind not in RECORD_MODELS:
        raise Http404
    unit = _acting_unit(user, services.REGISTRARS)
    form_class = registration_form(kind)
    dossier_code = (request.GET.get("dossier") or request.POST.get("dossier") or "").strip()
    dossier = None
    initial = {}
    if dossier_code:
        try:
            dossier, dossier_kind = services.dossier_for_registration(dossier_code, user)
        except CivilError as exc:
            messages.error(request, exc.message)
            return redirect("civil:from_dossier")
        if dossier_kind != kind:
            return redirect(reverse("civil:register", args=[dossier_kind]) + f"?dossier={dossier_code}")
        initial = services.initial_from_dossier(dossier, kind)
    form = form_class(request.POST or None, initial=initial)
    duplicate = False
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "override_reason" and v not in (None,)}
        try:
            record = services.register(
                kind,
                unit=unit,
                actor=user,
                data=data,
                override_reason=form.cleaned_data.get("override_reason", ""),
                dossier_code=dossier_code,
                source=Source.DOSSIER if dossier else Source.DIRECT,
            )
        except CivilError as exc:
            form.add_error(None, exc.message)
            duplicate = exc.code == "duplicate"
        else:
            messages.success(
                request,
                _("Đã đăng ký: mã %(code)s, quyển %(book)s, trang %(page)s.")
                % {"code": record.code, "book": record.register_book, "page": record.register_page},
            )
            if dossier is not None:
                _attach_result(request, dossier, record, user, unit)
            return redirect("civil:record", kind=kind, public_id=record.public_id)
    return render(
        request,
        "civil/register.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": RecordKind(kind).label,
            "unit": unit,
            "dossier": dossier,
            "dossier_code": dossier_code,
            "duplicate": duplicate,
            "is_leader": user.can_act_in(unit, Role.UNIT_LEADER),
        },
    )


def _attach_result(request, dossier, record, user, unit) -> None:
    """The registration's extract becomes the dossier's result paper (through the dossiers app)."""
    name = getattr(dossier, "applicant_name", "") or record.title
    pid = getattr(dossier, "applicant_personal_id", "") or ""
    try:
        copy = services.issue_extract(
            record.kind,
            record.pk,
            actor=user,
            unit=unit,
            collector_name=name,
            collector_personal_id=pid,
            purpose=f"Kết quả hồ sơ {dossier.code}",
            fee=0,
        )
        with copy.pdf.open("rb") as fh:
            attached = services.attach_to_dossier(
                dossier,
                actor=user,
                content=fh.read(),
                name=f"Trích lục {RecordKind(record.kind).label.lower()}",
            )
    except Exception as exc:  # noqa: BLE001 - the registration stands; the officer attaches by hand
        messages.warning(request, _("Đã đăng ký nhưng chưa gắn được kết quả vào hồ sơ: %s") % exc)
        return
    if attached:
        messages.success(request, _("Đã gắn trích lục vào hồ sơ %s.") % dossier.code)


@login_required
@require_http_methods(["GET", "POST"])
def from_dossier(request):
    user = _staff(request)
    form = DossierCodeForm(request.POST or request.GET or None)
    if (request.POST or request.GET) and form.is_valid():
        try:
            _dossier, kind = services.dossier_for_registration(form.cleaned_data["code"].strip(), user)
        except CivilError as exc:
            form.add_error("code", exc.message)
        else:
            return redirect(
                reverse("civil:register", args=[kind]) + f"?dossier={form.cleaned_data['code'].strip()}"
            )
    return render(request, "civil/from_dossier.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def record(request, kind: str, public_id):
    """One record of the province (audited read) and the issue of a certified extract copy at this unit."""
    user = _staff(request)
    try:
        purpose = request.GET.get("purpose") or request.POST.get("purpose") or ""
        rec = selectors.record_for_extract(user, kind, public_id, purpose=purpose)
    except CivilError as exc:
        if exc.code == "not_allowed":
            raise PermissionDenied from exc
        if exc.code in ("purpose_required", "cross_unit_limit"):
            status = 400 if exc.code == "purpose_required" else 429
            return HttpResponse(escape(exc.message), status=status, content_type="text/plain; charset=utf-8")
        raise Http404 from exc
    form = ExtractForm(request.POST or None)
    if request.method == "POST":
        if user.has_role(Role.AUDITOR) and not user.has_role(*CIVIL_ROLES):
            raise PermissionDenied
        if form.is_valid():
            try:
                copy = services.issue_extract(
                    kind,
                    rec.pk,
                    actor=user,
                    unit=_acting_unit(user, services.EXTRACT_ISSUERS),
                    collector_name=form.cleaned_data["collector_name"],
                    collector_personal_id=form.cleaned_data["collector_personal_id"],
                    purpose=form.cleaned_data["purpose"],
                )
            except CivilError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Đã cấp bản sao trích lục số %(n)s (lệ phí %(fee)s đồng).")
                    % {"n": copy.copy_number, "fee": f"{copy.fee:,.0f}".replace(",", ".")},
                )
                return redirect("civil:extract", public_id=copy.public_id)
    return render(
        request,
        "civil/record.html",
        {
            "record": rec,
            "rows": services.record_rows(rec),
            "kind_label": RecordKind(kind).label,
            "form": form,
            "extracts": selectors.extracts_of(rec)[:20],
            "fee": services.extract_fee(),
        },
    )


@login_required
@require_GET
def extract(request, public_id):
    user = _staff(request)
    copy = selectors.extracts_visible_to(user).filter(public_id=public_id).first()
    if copy is None:
        raise Http404
    return render(
        request,
        "civil/extract.html",
        {
            "copy": copy,
            "verify_url": services.pdf.verification_url(copy.verification_code),
        },
    )


@login_required
@require_GET
def extract_pdf(request, public_id):
    user = _staff(request)
    copy = selectors.extracts_visible_to(user).filter(public_id=public_id).first()
    if copy is None or not copy.pdf:
        raise Http404
    return FileResponse(
        copy.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"ban-sao-trich-luc-{copy.verification_code}.pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def marital_status(request):
    user = _staff(request)
    initial = {}
    code = (request.GET.get("dossier") or "").strip()
    if code:  # a 1.004873 dossier: the applicant and the purpose come from its declaration
        dossier = dossier_for_staff(code, user)
        if dossier is None:
            messages.error(request, CivilError("dossier_unavailable", code=code).message)
        else:
            form_data = getattr(dossier, "form_data", None) or {}
            initial = {
                "dossier_code": code,
                "purpose": form_data.get("purpose", ""),
                "personal_id": form_data.get("applicant_id") or getattr(dossier, "applicant_personal_id", ""),
            }
    form = MaritalForm(request.POST or None, initial=initial)
    cert = None
    if request.method == "POST" and form.is_valid():
        try:
            cert = services.issue_marital_status(
                form.cleaned_data["personal_id"],
                actor=user,
                unit=_acting_unit(user, services.MARITAL_ISSUERS),
                purpose=form.cleaned_data["purpose"],
                dossier_code=form.cleaned_data["dossier_code"],
            )
        except CivilError as exc:
            form.add_error(None, exc.message)
    recent = selectors.marital_certificates_visible_to(user)[:10]
    return render(
        request,
        "civil/marital.html",
        {"form": form, "cert": cert, "recent": recent, "months": services.marital_validity_months()},
    )


@login_required
@require_GET
def marital_pdf(request, public_id):
    user = _staff(request)
    cert = selectors.marital_certificates_visible_to(user).filter(public_id=public_id).first()
    if cert is None or not cert.pdf:
        raise Http404
    return FileResponse(
        cert.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"xac-nhan-tinh-trang-hon-nhan-{cert.verification_code}.pdf",
    )


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@require_GET
def verify(request, code: str):
    """Public: is this extract copy or certificate genuine? Issue data only, never personal details."""
    limit = settings.MOTCUA_VERIFY_RATE_PER_MINUTE
    key = f"civil-verify:{_client_ip(request)}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, 70)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > limit:
        response = render(request, "civil/verify.html", {"limited": True, "code": code}, status=429)
        response["Retry-After"] = "60"
        return response
    result = services.verify_code(code)
    return render(
        request,
        "civil/verify.html",
        {"result": result, "code": code},
        status=200 if result["genuine"] else 404,
    )
