"""Kiosk mode (/kiosk/): touch-first pages that forget everything after an idle minute.

The idle timeout comes from settings.PORTAL_KIOSK_IDLE_SECONDS (default 60). `?idle=N` may shorten it
(1..60 s, for tests and demos) and is kept in a cookie, which survives the reset; nothing else does:
the reset flushes the session and static/portal/kiosk.js clears every form before leaving.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import ratelimit
from motcua.core.codes import lookup_code, qr_svg
from motcua.core.links import dossier_code_from_scan, dossier_tracking_url
from motcua.feedback.errors import FeedbackError
from motcua.feedback.selectors import public_categories
from motcua.feedback.services import submit_report
from motcua.portal import integration
from motcua.portal.errors import PortalError
from motcua.portal.forms import KioskFeedbackForm
from motcua.portal.queue import kiosk_unit
from motcua.surveys.selectors import RATEABLE_STATUSES
from motcua.surveys.services import handle_rating_post, rating_context

IDLE_COOKIE = "kiosk_idle"


def default_idle() -> int:
    return settings.PORTAL_KIOSK_IDLE_SECONDS


def idle_seconds(request) -> int:
    raw = request.GET.get("idle") or request.COOKIES.get(IDLE_COOKIE) or ""
    try:
        value = int(raw)
    except ValueError:
        return default_idle()
    return value if 1 <= value <= default_idle() else default_idle()


def kiosk_render(request, template: str, context: dict | None = None, status: int = 200):
    ctx = {"idle": idle_seconds(request), **(context or {})}
    response = render(request, template, ctx, status=status)
    if "idle" in request.GET:
        if ctx["idle"] != default_idle():
            response.set_cookie(IDLE_COOKIE, str(ctx["idle"]), samesite="Lax", httponly=True)
        else:
            response.delete_cookie(IDLE_COOKIE)
    return response


def home(request):
    return kiosk_render(request, "portal/kiosk/home.html")


@require_POST
def reset(request):
    """Forget everything: session (and with it any sign-in, drafts, ratings made here).

    POST with the CSRF token only: a link or image on another site must not sign a kiosk user out."""
    request.session.flush()
    return redirect("kiosk-home")


def lookup(request):
    # typed on the keypad, or scanned from the receipt's QR code (camera or keyboard-wedge scanner)
    code = lookup_code(dossier_code_from_scan(request.GET.get("ma", "")))
    if code:
        return redirect("kiosk-lookup-result", code=code)
    return kiosk_render(
        request, "portal/kiosk/lookup.html", {"action": "/kiosk/tra-cuu/", "title": _("Tra cứu hồ sơ")}
    )


def lookup_result(request, code: str):
    code = lookup_code(code)
    if ratelimit.limited(request, "kiosk-track"):
        return kiosk_render(
            request,
            "portal/kiosk/lookup.html",
            {
                "action": "/kiosk/tra-cuu/",
                "title": _("Tra cứu hồ sơ"),
                "code": code,
                "error": PortalError("lookup_rate_limited").message,
            },
            status=429,
        )
    status = integration.public_status(code)
    if status is None:
        return kiosk_render(
            request,
            "portal/kiosk/lookup.html",
            {
                "action": "/kiosk/tra-cuu/",
                "title": _("Tra cứu hồ sơ"),
                "code": code,
                "error": PortalError("not_found").message,
            },
            status=404,
        )

    track_url = dossier_tracking_url(code)
    return kiosk_render(
        request,
        "portal/kiosk/lookup_result.html",
        {
            "code": code,
            "status": status,
            "qr": qr_svg(track_url, scale=3),
            "track_url": track_url,
            "can_rate": status.get("status") in RATEABLE_STATUSES,
        },
    )


def procedures(request):
    cat = integration.catalog()
    q = (request.GET.get("q") or "").strip()[:200]
    if q:
        items = cat.search(q, limit=12)
    else:
        items = list(cat.active_procedures().order_by("field__name", "name")[:24])
    return kiosk_render(request, "portal/kiosk/procedures.html", {"q": q, "items": items})


def procedure(request, code: str):
    cat = integration.catalog()
    p = cat.get_procedure(code)
    if p is None:
        raise Http404
    return kiosk_render(
        request,
        "portal/kiosk/procedure.html",
        {
            "p": p,
            "papers": list(cat.papers(p)),
            "fees": list(p.fees.all()),
            "time": cat.legal_time(p, "counter"),
        },
    )


def rate_lookup(request):
    code = lookup_code(dossier_code_from_scan(request.GET.get("ma", "")))
    if code:
        return redirect("kiosk-rate-code", code=code)
    return kiosk_render(
        request,
        "portal/kiosk/lookup.html",
        {"action": "/kiosk/danh-gia/", "title": _("Đánh giá sự hài lòng")},
    )


@require_http_methods(["GET", "POST"])
def rate(request, code: str):
    ctx = rating_context(request, lookup_code(code), channel="kiosk")
    if request.method == "POST" and not ctx["need_proof"]:
        ok, message = handle_rating_post(request, ctx)
        if ok:
            return kiosk_render(request, "portal/kiosk/done.html", {"message": message})
        ctx["error"], ctx["http_status"] = message, 400
    return kiosk_render(request, "portal/kiosk/rate.html", ctx, status=ctx["http_status"])


@require_http_methods(["GET", "POST"])
def feedback(request):
    categories = [(c.code, c.name) for c in public_categories()]
    form = KioskFeedbackForm(request.POST or None, request.FILES or None, categories=categories)
    error, limited = "", False
    if request.method == "POST" and form.is_valid():
        if ratelimit.limited(request, "kiosk-feedback"):
            error = str(PortalError("lookup_rate_limited").message)
            limited = True
        else:
            data = form.cleaned_data
            # no place given: the report is about the ward this kiosk stands in (set once per device)
            hall = kiosk_unit(request) if not data["address"].strip() else None
            try:
                report = submit_report(
                    channel="kiosk",
                    description=data["description"],
                    category_code=data["category"] or None,
                    address=data["address"],
                    ward_code=hall.code if hall is not None else None,
                    photo=data.get("photo") or None,
                    contact_name=data["contact_name"],
                    phone=data["phone"],
                )
            except FeedbackError as exc:
                error = exc.detail or FeedbackError.template(exc.code)
            else:
                return kiosk_render(
                    request,
                    "portal/kiosk/done.html",
                    {
                        "message": _("Đã gửi phản ánh. Mã số phản ánh của ông/bà là %(code)s.")
                        % {"code": report.code},
                        "code": report.code,
                    },
                )
    return kiosk_render(
        request,
        "portal/kiosk/feedback.html",
        {"form": form, "error": error},
        status=429 if limited else 400 if request.method == "POST" else 200,
    )
