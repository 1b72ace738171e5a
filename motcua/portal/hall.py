"""The one-stop hall: setting a kiosk's ward (staff), taking a number at the kiosk, calling the next number
at the counter (staff), and the hall display (public, polled by static/portal/hall.js)."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.org.gates import staff_required
from motcua.org.models import Unit, User
from motcua.portal import queue
from motcua.portal.kiosk import kiosk_render
from motcua.portal.models import QueueField


@staff_required(*queue.SETUP_ROLES)
@require_http_methods(["GET", "POST"])
def kiosk_setup(request: HttpRequest) -> HttpResponse:
    """An officer sets this device's ward once; the kiosk then issues that ward's numbers."""
    user = cast(User, request.user)  # the staff gate let only an officer through
    units = queue.setup_units(user)
    error = ""
    if request.method == "POST":
        chosen = next((u for u in units if u.code == request.POST.get("unit", "")), None)
        if chosen is not None:
            response = redirect("kiosk-queue")
            queue.set_kiosk_unit(response, request, chosen, actor=user)
            return response
        error = _("Chỉ được thiết lập ki-ốt cho phường, xã nơi bạn làm việc.")
    return render(
        request,
        "portal/hall/setup.html",
        {"units": units, "current": queue.kiosk_unit(request), "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def take_number(request: HttpRequest) -> HttpResponse:
    """Kiosk: a citizen takes a number for a counter; the slip prints with the number."""
    unit = queue.kiosk_unit(request)
    if unit is None:  # the page says so (a GET is answered); taking a number is refused
        return kiosk_render(request, "portal/hall/not_set_up.html", status=409 if request.method == "POST" else 200)
    if request.method == "POST":
        field = request.POST.get("field", "")
        if field not in QueueField.values:
            return kiosk_render(
                request, "portal/hall/take.html", {"unit": unit, "fields": QueueField.choices}, status=400
            )
        ticket = queue.take_ticket(unit, field)
        return kiosk_render(request, "portal/hall/slip.html", {"ticket": ticket, "unit": unit})
    return kiosk_render(
        request,
        "portal/hall/take.html",
        {"unit": unit, "fields": QueueField.choices, "waiting": queue.waiting_counts(unit)},
    )


@staff_required(*queue.CALLER_ROLES)
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """The counter officer calls the next number of a field to their desk."""
    user = cast(User, request.user)  # the staff gate let only an officer through
    unit = queue.caller_unit(user)
    if unit is None:
        raise Http404
    called = None
    message = ""
    field = request.POST.get("field") or request.GET.get("field") or QueueField.GENERAL
    desk = (request.POST.get("desk") or request.COOKIES.get("counter_desk") or "1").strip()[:10]
    if request.method == "POST":
        if field not in QueueField.values:
            field = QueueField.GENERAL
        called = queue.call_next(unit, field, actor=user, desk=desk)
        if called is None:
            message = _("Không còn ai chờ ở quầy này.")
    response = render(
        request,
        "portal/hall/counter.html",
        {
            "unit": unit,
            "fields": QueueField.choices,
            "field": field,
            "desk": desk,
            "called": called,
            "message": message,
            "waiting": queue.waiting_counts(unit),
            "board": queue.board(unit),
        },
    )
    response.set_cookie("counter_desk", desk, httponly=True, samesite="Lax", secure=request.is_secure())
    return response


def _hall_unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise Http404
    return unit


def hall_display(request: HttpRequest, code: str) -> HttpResponse:
    """The hall's screen: the numbers called, refreshed by hall.js from `hall_board` every few seconds."""
    unit = _hall_unit(code)
    return render(request, "portal/hall/display.html", {"unit": unit, "board": queue.board(unit)})


def hall_board(request: HttpRequest, code: str) -> JsonResponse:
    unit = _hall_unit(code)
    return JsonResponse({"unit": unit.name, "called": queue.board(unit)})
