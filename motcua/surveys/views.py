"""Rating pages (from the receipt QR, the portal, an SMS link) and the staff figures/export."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from motcua.core import exports
from motcua.core.dates import parse_date_or_none
from motcua.org.gates import staff_required
from motcua.surveys import selectors
from motcua.surveys.models import Channel
from motcua.surveys.services import handle_rating_post, rating_context


@require_http_methods(["GET", "POST"])
def rate(request, code: str):
    requested = request.GET.get("kenh") or request.POST.get("kenh") or ""
    if request.GET.get("t") or request.POST.get("t"):
        channel = Channel.SMS
    elif request.user.is_authenticated and getattr(request.user, "kind", "") == "citizen":
        channel = Channel.PORTAL
    else:
        channel = requested if requested in (Channel.QR, Channel.KIOSK, Channel.PORTAL) else Channel.QR
    ctx = rating_context(request, code, channel=channel)
    if request.method == "POST" and not ctx["need_proof"]:
        ok, message = handle_rating_post(request, ctx)
        if ok:
            return render(request, "surveys/thanks.html", {"code": ctx["code"], "message": message})
        ctx["error"], ctx["http_status"] = message, 400
    return render(request, "surveys/rate.html", ctx, status=ctx["http_status"])


def _dates(request):
    def parse(name):
        return parse_date_or_none(request.GET.get(name, ""))

    return parse("tu"), parse("den")


@staff_required()
def staff_index(request):
    since, until = _dates(request)
    user = request.user
    return render(
        request,
        "surveys/staff.html",
        {
            "summary": selectors.summary(user, since=since, until=until),
            "units": selectors.unit_figures(user, since=since, until=until),
            "officers": selectors.officer_figures(user, since=since, until=until),
            "since": since,
            "until": until,
            "query": request.GET.urlencode(),
        },
    )


@staff_required()
def staff_export(request, fmt: str):
    since, until = _dates(request)
    header, rows = selectors.export_rows(request.user, since=since, until=until)
    stamp = dt.date.today().isoformat()
    filename = f"danh-gia-hai-long-{stamp}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(filename, header, rows)
    if fmt == "xlsx":
        return exports.xlsx_response(filename, exports.xlsx_bytes([("danh-gia", header, rows)]))
    raise Http404
