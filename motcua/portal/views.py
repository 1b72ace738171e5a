"""Citizen pages: home, sign-in, online submission wizard, my dossiers, tracking."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import ratelimit
from motcua.core.clientip import client_ip
from motcua.core.codes import lookup_code, qr_svg
from motcua.core.links import dossier_tracking_url
from motcua.core.notify import demo_number_labels
from motcua.core.uploads import sniff_file
from motcua.dossiers.errors import DossierError
from motcua.portal import integration, services
from motcua.portal.errors import PortalError
from motcua.portal.forms import ApplicantForm, CodeForm, PhoneForm
from motcua.surveys.selectors import RATEABLE_STATUSES, rating_for

logger = logging.getLogger(__name__)
ONLINE_LEVELS = ("full", "partial")


def _is_citizen(user) -> bool:
    return user.is_authenticated and getattr(user, "kind", "") == "citizen"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _signin_redirect(request):
    return redirect(f"{reverse('portal-login')}?{urlencode({'next': request.get_full_path()})}")


def home(request):
    procedures = list(
        integration.catalog()
        .active_procedures()
        .filter(online_level__in=ONLINE_LEVELS)
        .order_by("online_level", "name")[:6]
    )
    return render(request, "portal/home.html", {"online_procedures": procedures})


# --- sign-in ----------------------------------------------------------------------------------------------
def demo_outbox_hint() -> bool:
    return settings.MOTCUA_DEMO_PHONE


# The sign-in form's own request-forgery guard. Django's CSRF token is rotated at every sign-in, so a staff
# sign-in in another tab of the same browser made the citizen's open code form fail. This guard is the same
# double-submit pattern on a cookie that no sign-in rotates: the form carries an HMAC of the browser's
# random `motcua_signin` cookie (SameSite=Lax, HttpOnly), and a cross-site Origin is refused.
SIGNIN_COOKIE = "motcua_signin"


def _signin_token(nonce: str) -> str:
    return salted_hmac("motcua.portal.sign_in", nonce).hexdigest()


def _signin_guard_ok(request) -> bool:
    if getattr(request, "_dont_enforce_csrf_checks", False):  # Django's own test-client switch
        return True
    origin = request.headers.get("Origin")
    if origin and origin != f"{request.scheme}://{request.get_host()}":
        return False
    nonce = request.COOKIES.get(SIGNIN_COOKIE, "")
    return bool(nonce) and constant_time_compare(request.POST.get("signin_token", ""), _signin_token(nonce))


@csrf_exempt  # guarded by `_signin_guard_ok` instead (see above)
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Phone number -> one-time code by SMS -> signed in (citizen account created on first sign-in)."""
    nonce = request.COOKIES.get(SIGNIN_COOKIE) or secrets.token_urlsafe(32)
    if request.method == "POST" and not _signin_guard_ok(request):
        response = _sign_in(request, nonce, expired=True)
    else:
        response = _sign_in(request, nonce)
    if request.COOKIES.get(SIGNIN_COOKIE) != nonce:
        response.set_cookie(
            SIGNIN_COOKIE,
            nonce,
            max_age=settings.SESSION_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _sign_in(request, nonce: str, *, expired: bool = False):
    next_url = _safe_next(request, settings.LOGIN_REDIRECT_URL_CITIZEN)
    if request.method == "GET" and _is_citizen(request.user):
        return HttpResponseRedirect(next_url)
    phone = request.session.get("portal_otp_phone", "")
    step = (
        "code" if phone and request.GET.get("buoc") == "ma" or request.POST.get("step") == "code" else "phone"
    )
    phone_form, code_form, error = PhoneForm(), CodeForm(), ""
    status = 200
    if expired:
        error, status = _("Trang đăng nhập đã hết hiệu lực. Vui lòng nhập lại và gửi lần nữa."), 403
    elif request.method == "POST" and request.POST.get("step") == "phone":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            try:
                services.request_otp(phone_form.cleaned_data["phone"], ip=client_ip(request))
            except PortalError as exc:
                error, status = exc.message, 429 if exc.code == "otp_rate_limited" else 400
            else:
                request.session["portal_otp_phone"] = phone_form.cleaned_data["phone"]
                return redirect(f"{reverse('portal-login')}?{urlencode({'buoc': 'ma', 'next': next_url})}")
        else:
            status = 400
        step = "phone"
    elif request.method == "POST" and request.POST.get("step") == "code":
        code_form = CodeForm(request.POST)
        if not phone:
            step, error, status = "phone", _("Vui lòng nhập số điện thoại trước."), 400
        elif code_form.is_valid():
            if ratelimit.limited(request, "otp-verify"):
                error, status = str(PortalError("otp_rate_limited").message), 429
            else:
                user = authenticate(request, username=phone, phone=phone, code=code_form.cleaned_data["code"])
                if user is not None:
                    request.session.pop("portal_otp_phone", None)
                    login(request, user, backend="motcua.portal.auth.PhoneOTPBackend")
                    return HttpResponseRedirect(next_url)
                failure = getattr(request, "portal_otp_error", "otp_invalid")
                error, status = str(PortalError(failure).message), 400
        else:
            status = 400
    return render(
        request,
        "portal/sign_in.html",
        {
            "step": step,
            "phone": phone,
            "phone_form": phone_form,
            "code_form": code_form,
            "error": error,
            "next": next_url,
            "vneid": settings.VNEID_ENABLED,
            "outbox_hint": demo_outbox_hint(),
            "demo_phone_url": f"{reverse('demo-phone')}?{urlencode({'so': phone})}",
            "demo_numbers": demo_number_labels(),
            "signin_token": _signin_token(nonce),
            "ttl_minutes": int(services.otp_ttl().total_seconds() // 60),
        },
        status=status,
    )


# --- online submission --------------------------------------------------------------------------------------
def _procedure_or_404(code: str):
    procedure = integration.catalog().get_procedure(code)
    if procedure is None:
        raise Http404
    return procedure


def _draft_key(request) -> str:
    return f"portal_draft:{request.user.pk}"


def _prefill(request, procedure) -> tuple[dict, dict, dict]:
    """(applicant initial, declaration initial, sources) from the account and the population registry."""
    user = request.user
    cache_key = f"portal_prefill:{procedure.code}"
    cached = request.session.get(cache_key)
    if cached is None:
        registry, registry_error = integration.registry_prefill(user, procedure.code)
        if user.personal_id:  # a look-up is logged each time: once per form, not once per page view
            request.session[cache_key] = {"fields": registry, "error": registry_error}
    else:
        registry, registry_error = cached["fields"], cached["error"]
    request.portal_registry_error = registry_error
    applicant = {
        "applicant_name": user.full_name,
        "applicant_personal_id": user.personal_id,
        "applicant_phone": user.phone,
        "applicant_email": user.email,
        "applicant_address": "",
    }
    sources = {k: "account" for k, v in applicant.items() if v}
    for key, reg in (
        ("applicant_name", "full_name"),
        ("applicant_personal_id", "personal_id"),
        ("applicant_address", "permanent_address"),
        ("applicant_address", "current_address"),
        ("applicant_email", "email"),
        ("applicant_phone", "phone"),
    ):
        if not applicant.get(key) and registry.get(reg):
            applicant[key] = str(registry[reg])
            sources[key] = "registry"
    account = {
        "full_name": user.full_name,
        "personal_id": user.personal_id,
        "phone": user.phone,
        "email": user.email,
    }
    declaration = {}
    for field in integration.catalog().form_fields(procedure):
        if getattr(field, "registry_subject", "applicant") not in ("", "applicant"):
            continue  # the child's, the mother's... data: not the signed-in citizen's
        value = integration.registry_value(registry, field.registry_field)
        source = "registry"
        if value in (None, "") and account.get(field.registry_field):
            value, source = account[field.registry_field], "account"
        if value in (None, "") or isinstance(value, dict | list):
            continue
        if field.field_type == "choice" and field.choices:
            value = {"male": "Nam", "female": "Nữ"}.get(str(value), str(value))
        if field.field_type == "date" and hasattr(value, "isoformat"):
            value = value.isoformat()
        declaration[field.key] = str(value)
        sources[field.key] = source
    return applicant, declaration, sources


DELIVERY_CHOICES = {
    "counter": gettext_lazy("Nhận tại Bộ phận Một cửa"),
    "post": gettext_lazy("Gửi qua dịch vụ bưu chính (trả phí bưu chính khi nhận)"),
    "online": gettext_lazy("Nhận bản điện tử trên cổng (và bản giấy tại Bộ phận Một cửa khi cần)"),
}


def _vn_value(field: Any, value: Any) -> str:
    """A declaration value as the citizen reads it: dates as dd/mm/yyyy."""
    if getattr(field, "field_type", "") == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


def _desk_choice(value: Any, wards: list) -> Any:
    return next((u for u in wards if str(u.pk) == str(value or "")), None)


def _papers(procedure) -> list:
    """Papers a citizen uploads online: handed-in papers (shown ones are sighted at the counter, and
    the registry's own papers are never asked for)."""
    return [r for r in integration.catalog().papers(procedure) if r.kind == "submit"]


def _shown_papers(procedure) -> list:
    return [r for r in integration.catalog().papers(procedure) if r.kind == "show"]


@require_http_methods(["GET", "POST"])
def submit_start(request, code: str):
    """Step 1: the declaration and the papers (pre-filled), validated, kept as a draft for review."""
    procedure = _procedure_or_404(code)
    if procedure.online_level not in ONLINE_LEVELS:
        return render(request, "portal/not_online.html", {"procedure": procedure}, status=409)
    if not _is_citizen(request.user):
        return _signin_redirect(request)
    cat = integration.catalog()
    fields = [f for f in cat.form_fields(procedure) if f.field_type != "attachment"]
    papers = _papers(procedure)
    conditions = cat.paper_conditions(papers)
    applicant_initial, declaration, sources = _prefill(request, procedure)
    draft = request.session.get(_draft_key(request))
    same_draft = bool(draft) and draft.get("procedure") == procedure.code
    answers: dict[str, bool] = dict((draft or {}).get("paper_answers", {})) if same_draft else {}
    if same_draft and request.method == "GET":
        applicant_initial.update(draft.get("applicant") or {})
        declaration.update(draft.get("form_data") or {})
    wards = integration.receiving_units()
    address = str(applicant_initial.get("applicant_address") or "")
    default_desk = (draft or {}).get("receiving_unit") if same_draft else None
    if default_desk is None:
        found = integration.unit_in_text(address) if address else None
        default_desk = found.pk if found is not None else None
    errors: dict[str, str] = {}
    file_errors: dict[int, str] = {}
    form = ApplicantForm(request.POST or None, initial=applicant_initial)
    values = declaration
    if request.method == "POST":
        values = {f.key: request.POST.get(f"f_{f.key}", "").strip() for f in fields}
        answers = cat.answers_from(request.POST, conditions)
        errors = {
            **cat.declaration_registry_problems(fields, values),
            **cat.validate_declaration(procedure, values),
        }
        uploads: dict[int, list] = {}
        max_bytes = settings.MOTCUA_MAX_UPLOAD_BYTES
        kept = (draft or {}).get("files", {}) if same_draft else {}
        for paper in papers:
            files = request.FILES.getlist(f"paper_{paper.pk}")
            for upload in files:
                if upload.size > max_bytes:
                    file_errors[paper.pk] = _("Tệp %(name)s quá lớn (tối đa %(mb)s MB).") % {
                        "name": upload.name,
                        "mb": max_bytes // (1024 * 1024),
                    }
                elif sniff_file(upload) is None:
                    file_errors[paper.pk] = _("Tệp %(name)s không phải PDF, JPG hoặc PNG.") % {
                        "name": upload.name
                    }
            if files and paper.pk not in file_errors:
                uploads[paper.pk] = files
            elif (
                paper.required
                and paper.applies(answers)
                and paper.pk not in file_errors
                and not kept.get(str(paper.pk))
            ):
                file_errors[paper.pk] = _("Vui lòng tải lên %(name)s (%(quantity)s).") % {
                    "name": paper.short_name,
                    "quantity": paper.quantity_label,
                }
        # Valid scans are kept in the draft even when something else on the page is wrong, so the
        # citizen never has to choose the same files again after correcting a field.
        key = (draft or {}).get("key") if same_draft else None
        key = key or uuid.uuid4().hex
        stored = dict(kept)
        for pk, files in uploads.items():
            stored[str(pk)] = []
            for n, upload in enumerate(files):
                content_type, ext = sniff_file(upload)
                upload.seek(0)
                path = default_storage.save(f"portal-drafts/{key}/{pk}-{n}.{ext}", ContentFile(upload.read()))
                stored[str(pk)].append({"path": path, "name": upload.name[:200], "type": content_type})
        desk = _desk_choice(request.POST.get("receiving_unit"), wards)
        delivery = request.POST.get("delivery", "") or "counter"  # the pre-selected choice
        if delivery not in DELIVERY_CHOICES:
            errors["delivery"] = _("Vui lòng chọn cách nhận kết quả.")
        base = dict(draft) if same_draft else {"procedure": procedure.code}
        base.update({"procedure": procedure.code, "key": key, "files": stored})
        request.session[_draft_key(request)] = base
        if form.is_valid() and not errors and not file_errors:
            typed_sources = {
                k: v
                for k, v in sources.items()
                if (form.cleaned_data.get(k) if k.startswith("applicant_") else values.get(k))
                == (applicant_initial.get(k) if k.startswith("applicant_") else declaration.get(k))
            }
            request.session[_draft_key(request)] = {
                "procedure": procedure.code,
                "key": key,
                "applicant": form.cleaned_data,
                "form_data": values,
                "files": stored,
                "sources": typed_sources,
                "paper_answers": answers,
                "receiving_unit": desk.pk if desk is not None else None,
                "delivery": delivery,
            }
            return redirect("portal-submit-review", code=procedure.code)
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-err"}
                )
    current = request.session.get(_draft_key(request)) or {}
    kept_files = current.get("files", {}) if current.get("procedure") == procedure.code else {}
    rows = [
        {
            "field": f,
            "value": values.get(f.key, ""),
            "error": errors.get(f.key, ""),
            "source": sources.get(f.key, ""),
        }
        for f in fields
    ]
    paper_rows = [
        {"paper": p, "error": file_errors.get(p.pk, ""), "kept": kept_files.get(str(p.pk), [])}
        for p in papers
    ]
    condition_rows = [{**c, "yes": answers.get(str(c["key"]), False)} for c in conditions]
    return render(
        request,
        "portal/submit_form.html",
        {
            "procedure": procedure,
            "form": form,
            "rows": rows,
            "papers": paper_rows,
            "conditions": condition_rows,
            "shown_papers": _shown_papers(procedure),
            "sources": sources,
            "has_errors": bool(errors or file_errors or form.errors),
            "registry_error": getattr(request, "portal_registry_error", ""),
            "wards": wards,
            "desk": getattr(_desk_choice(request.POST.get("receiving_unit"), wards), "pk", None)
            if request.method == "POST"
            else default_desk,
            "deliveries": list(DELIVERY_CHOICES.items()),
            "delivery": request.POST.get("delivery", "") or (draft or {}).get("delivery", "counter"),
            "delivery_error": errors.get("delivery", ""),
            "fee": integration.catalog().fee_for(procedure, "online"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
def submit_review(request, code: str):
    """Step 2: everything on one page; the submit button carries the idempotency key."""
    procedure = _procedure_or_404(code)
    if not _is_citizen(request.user):
        return _signin_redirect(request)
    draft = request.session.get(_draft_key(request))
    if not draft or draft.get("procedure") != procedure.code:
        return redirect("portal-submit", code=procedure.code)
    fields = {f.key: f for f in integration.catalog().form_fields(procedure)}
    papers = {str(p.pk): p for p in _papers(procedure)}
    answers = draft.get("paper_answers", {})
    conditions = [
        (c["text"], answers.get(str(c["key"]), False))
        for c in integration.catalog().paper_conditions(papers.values())
    ]
    return render(
        request,
        "portal/submit_review.html",
        {
            "procedure": procedure,
            "draft": draft,
            "applicant": draft["applicant"],
            "declaration": [
                (fields[k].label, _vn_value(fields[k], v))
                for k, v in draft["form_data"].items()
                if k in fields and v
            ],
            "desk": _desk_choice(draft.get("receiving_unit"), integration.receiving_units()),
            "delivery": DELIVERY_CHOICES.get(draft.get("delivery") or "counter"),
            "fee": integration.catalog().fee_for(procedure, "online"),
            "files": [
                (papers[k].short_name if k in papers else k, items) for k, items in draft["files"].items()
            ],
            "conditions": conditions,
            "shown_papers": _shown_papers(procedure),
            "key": draft["key"],
            "sources": draft.get("sources", {}),
        },
    )


def _open_draft_files(draft: dict) -> dict[int, list]:
    files: dict[int, list] = {}
    for pk, items in draft["files"].items():
        for item in items:
            try:
                with default_storage.open(item["path"], "rb") as fh:
                    content = fh.read()
            except FileNotFoundError:  # already filed by a concurrent click (the key returns that dossier)
                continue
            files.setdefault(int(pk), []).append(
                SimpleUploadedFile(item["name"], content, content_type=item["type"])
            )
    return files


@require_POST
def submit_send(request, code: str):
    """Step 3: file the dossier once (a double click or a retry returns the same dossier)."""
    procedure = _procedure_or_404(code)
    if not _is_citizen(request.user):
        return _signin_redirect(request)
    key = request.POST.get("k", "")
    done = request.session.get("portal_done", {})
    if key in done:
        return redirect("portal-submitted", code=done[key])
    draft = request.session.get(_draft_key(request))
    if not draft or draft.get("procedure") != procedure.code or draft.get("key") != key:
        messages.error(request, _("Phiên nộp hồ sơ đã hết hạn, vui lòng kiểm tra lại thông tin."))
        return redirect("portal-submit", code=procedure.code)

    svc = integration.dossier_services()
    kwargs: dict[str, Any] = dict(
        procedure=procedure,
        citizen_user=request.user,
        applicant=draft["applicant"],
        form_data=draft["form_data"],
        files=_open_draft_files(draft),
        channel="online",
        idempotency_key=f"portal-{request.user.pk}-{key}",
        field_sources=draft.get("sources", {}),
        paper_answers=draft.get("paper_answers", {}),
        receiving_unit=_desk_choice(draft.get("receiving_unit"), integration.receiving_units()),
        result_delivery=draft.get("delivery") or "counter",
    )
    try:
        try:
            dossier = svc.submit_online(**kwargs)
        except IntegrityError:  # the other click won the race: the same key returns its dossier
            kwargs["files"] = _open_draft_files(draft)
            dossier = svc.submit_online(**kwargs)
    except DossierError as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
        return redirect("portal-submit", code=procedure.code)
    done[key] = dossier.code
    request.session["portal_done"] = dict(list(done.items())[-10:])
    request.session.pop(_draft_key(request), None)
    for items in draft["files"].values():
        for item in items:
            try:
                default_storage.delete(item["path"])
            except OSError:
                pass
    return redirect("portal-submitted", code=dossier.code)


def _own_dossier(request, code: str):
    dossier = integration.dossier_selectors().dossiers_of_citizen(request.user).filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier


def _expected_due(dossier):
    """The appointment: the dossier's due time, or (before the desk's check) the legal time from now."""
    if dossier.due_at:
        return dossier.due_at, False
    try:
        return integration.catalog().due_at(dossier.procedure, "online", dossier.unit, timezone.now()), True
    except Exception as exc:  # noqa: BLE001 - an estimate only
        logger.info("no expected due time for %s: %s", dossier.code, exc)
        return None, True


def submitted(request, code: str):
    if not _is_citizen(request.user):
        return _signin_redirect(request)
    dossier = _own_dossier(request, code)
    due, estimated = _expected_due(dossier)
    track_url = dossier_tracking_url(dossier.code)
    return render(
        request,
        "portal/submitted.html",
        {
            "dossier": dossier,
            "due": due,
            "estimated": estimated,
            "qr": qr_svg(track_url, scale=3),
            "track_url": track_url,
        },
    )


# --- my dossiers --------------------------------------------------------------------------------------------
def my_dossiers(request):
    if not _is_citizen(request.user):
        return _signin_redirect(request)
    qs = integration.dossier_selectors().dossiers_of_citizen(request.user)
    state = request.GET.get("tinh-trang", "")
    q = request.GET.get("q", "").strip()[:100]
    if state in MY_FILTERS:
        qs = qs.filter(status__in=MY_FILTERS[state][1])
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(procedure__name__icontains=q))
    page = Paginator(qs.order_by("-submitted_at", "-id"), MY_PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [
        {
            "d": d,
            "mine": d.citizen_id == request.user.pk,
            "fee": _fee_due(d) if d.status == "fee_requested" else None,
        }
        for d in page.object_list
    ]
    return render(
        request,
        "portal/my_dossiers.html",
        {
            "page": page,
            "rows": rows,
            "filters": [(key, label) for key, (label, _statuses) in MY_FILTERS.items()],
            "state": state,
            "q": q,
            "verified_id": bool(request.user.personal_id),
        },
    )


MY_PAGE_SIZE = 10
# The citizen's words for the status groups (the ten national-portal statuses are too many for a phone).
MY_FILTERS = {
    "dang-xu-ly": (gettext_lazy("Đang giải quyết"), ["submitted", "received", "processing", "linked"]),
    "can-bo-sung": (gettext_lazy("Cần bổ sung hoặc nộp phí"), ["supplement_requested", "fee_requested"]),
    "co-ket-qua": (gettext_lazy("Có kết quả, chờ nhận"), ["result_ready"]),
    "da-tra": (gettext_lazy("Đã trả kết quả"), ["returned"]),
    "tu-choi": (
        gettext_lazy("Bị từ chối, dừng hoặc rút"),
        ["not_received", "refused", "stopped", "withdrawn"],
    ),
}


def _fee_due(dossier) -> dict[str, Any] | None:
    """What the citizen owes and how to pay it: the catalog's fee for the dossier's channel."""
    fee = integration.catalog().fee_for(dossier.procedure, dossier.channel)
    return {
        "amount": f"{fee.amount:,}".replace(",", ".") if fee is not None else "",
        "description": fee.description if fee is not None else "",
        "desk": dossier.receiving_unit.name,
    }


def results_online(dossier) -> bool:
    """Result papers are downloadable when the procedure returns results online or this dossier's was."""
    return dossier.procedure.online_level == "full" or dossier.return_channel == "online"


def _result_files(dossier) -> list:
    if not results_online(dossier):
        return []
    try:
        return list(integration.dossier_selectors().result_files(dossier))
    except Exception as exc:  # noqa: BLE001
        logger.info("result files unavailable: %s", exc)
        return []


def _rating(dossier):
    return rating_for(dossier.code), dossier.status in RATEABLE_STATUSES


@require_http_methods(["GET", "POST"])
def my_dossier(request, code: str):
    if not _is_citizen(request.user):
        return _signin_redirect(request)
    dossier = _own_dossier(request, code)
    sel = integration.dossier_selectors()
    supplement_error = ""
    if request.method == "POST":
        files = {}
        for key in request.FILES:
            if key.startswith("paper_"):
                for upload in request.FILES.getlist(key):
                    if upload.size > settings.MOTCUA_MAX_UPLOAD_BYTES or sniff_file(upload) is None:
                        supplement_error = _(
                            "Tệp %(name)s không hợp lệ (PDF, JPG hoặc PNG, tối đa %(mb)s MB)."
                        ) % {"name": upload.name, "mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024)}
                files.setdefault(key.removeprefix("paper_") or "0", []).extend(request.FILES.getlist(key))
        if not files and not supplement_error:
            supplement_error = _("Vui lòng chọn ít nhất một tệp giấy tờ bổ sung.")
        if not supplement_error:
            try:
                integration.dossier_services().supplement_online(
                    dossier, citizen_user=request.user, files=files, note=request.POST.get("note", "")[:1000]
                )
            except DossierError as exc:
                supplement_error = str(getattr(exc, "message", exc))
            else:
                messages.success(
                    request, _("Đã gửi giấy tờ bổ sung. Thời hạn giải quyết được tính lại từ hôm nay.")
                )
                return redirect("portal-my-dossier", code=dossier.code)
    rating, can_rate = _rating(dossier)
    papers = _papers(dossier.procedure)
    return render(
        request,
        "portal/my_dossier.html",
        {
            "dossier": dossier,
            "timeline": integration.present_timeline(sel.timeline(dossier, public=True)),
            "results": _result_files(dossier),
            "supplement_error": supplement_error,
            "supplement_open": dossier.status == "supplement_requested",
            "papers": papers,
            "rating": rating,
            "can_rate": can_rate,
            "status": integration.public_status(dossier.code),
        },
        status=400 if supplement_error else 200,
    )


def result_download(request, code: str, file_id: int):
    if not _is_citizen(request.user):
        return _signin_redirect(request)
    dossier = _own_dossier(request, code)
    for item in _result_files(dossier):
        if item.pk == file_id:
            response = FileResponse(
                item.file.open("rb"),
                as_attachment=True,
                filename=f"{dossier.code}-{item.pk}.{item.file.name.rsplit('.', 1)[-1]}",
            )
            return response
    raise Http404


# --- tracking -----------------------------------------------------------------------------------------------
def _lookup_limited(request) -> bool:
    return ratelimit.limited(request, "track")


def track(request):
    code = lookup_code(request.GET.get("ma", ""))
    if code:
        return redirect("portal-track-code", code=code)
    return render(request, "portal/track.html", {})


def track_code(request, code: str):
    if _lookup_limited(request):
        return render(
            request,
            "portal/track.html",
            {"code": code, "limited": True, "error": PortalError("lookup_rate_limited").message},
            status=429,
        )
    status = integration.public_status(code.strip())
    if status is None:
        return render(
            request,
            "portal/track.html",
            {"code": code, "error": PortalError("not_found").message},
            status=404,
        )

    return render(
        request,
        "portal/track.html",
        {
            "code": code,
            "status": status,
            "can_rate": status.get("status") in RATEABLE_STATUSES,
        },
    )
