"""Rating pages (from the receipt QR, the portal, an SMS link) and the staff figures/export."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.scoping import scope_for
from motcua.surveys import selectors, services
from motcua.surveys.errors import SurveyError
from motcua.surveys.models import Channel

SESSION_KEY = "surveys_rated"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit_limit(scope: str, key: str, limit: int, seconds: int = 60) -> bool:
    """Cache-based fixed-window counter: True when `key` has exceeded `limit` hits in the window."""
    cache_key = f"motcua:rl:{scope}:{key}"
    if cache.add(cache_key, 1, seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, seconds)
        return False
    return count > limit


def remember_rated(request, code: str) -> None:
    rated = list(request.session.get(SESSION_KEY, []))
    if code not in rated:
        rated.append(code)
        request.session[SESSION_KEY] = rated[-20:]


def may_edit(request, code: str, token: str, facts) -> bool:
    if token and services.check_token(token, code):
        return True
    user = request.user
    if user.is_authenticated and facts is not None and facts.citizen_id == user.pk:
        return True
    return code in request.session.get(SESSION_KEY, [])


def rating_context(request, code: str, *, channel: str, token: str = ""):
    """Shared by the portal and the kiosk: facts, questions, the existing rating, whether it may be edited."""
    facts = selectors.dossier_facts(code)
    if facts is None:
        return None
    questions = services.ensure_default_questions()
    rating = selectors.rating_for(facts.code)
    editable = may_edit(request, facts.code, token, facts)
    values = {a.question.code: a.value for a in rating.answers.all()} if rating else {}
    return {
        "facts": facts,
        "code": facts.code,
        "questions": questions,
        "rating": rating,
        "may_edit": editable,
        "values": values,
        "channel": channel,
        "token": token,
        "can_rate": facts.status in selectors.RATEABLE_STATUSES,
        "scale": [
            (5, _("Rất hài lòng")),
            (4, _("Hài lòng")),
            (3, _("Bình thường")),
            (2, _("Không hài lòng")),
            (1, _("Rất không hài lòng")),
        ],
    }


def handle_rating_post(request, ctx) -> tuple[bool, str]:
    """Validate and save a posted rating; (ok, message)."""
    if hit_limit("rate", client_ip(request), 20):
        return False, str(SurveyError("rate_limited").message)
    answers = {q.code: request.POST.get(f"q_{q.code}", "") for q in ctx["questions"]}
    try:
        services.submit_rating(
            dossier_code=ctx["code"],
            answers=answers,
            comment=request.POST.get("comment", ""),
            channel=ctx["channel"],
            citizen=request.user,
            may_edit=ctx["may_edit"],
        )
    except SurveyError as exc:
        return False, exc.message
    remember_rated(request, ctx["code"])
    return True, _("Cảm ơn ông/bà đã đánh giá.")


@require_http_methods(["GET", "POST"])
def rate(request, code: str):
    token = request.POST.get("t") or request.GET.get("t") or ""
    requested = request.GET.get("kenh") or request.POST.get("kenh") or ""
    if token:
        channel = Channel.SMS
    elif request.user.is_authenticated and getattr(request.user, "kind", "") == "citizen":
        channel = Channel.PORTAL
    else:
        channel = requested if requested in (Channel.QR, Channel.KIOSK, Channel.PORTAL) else Channel.QR
    if token and not services.check_token(token, code):
        return render(
            request, "surveys/rate.html", {"error": SurveyError("token_invalid").message}, status=400
        )
    ctx = rating_context(request, code, channel=channel, token=token)
    if ctx is None:
        raise Http404
    status = 200
    if request.method == "POST":
        ok, message = handle_rating_post(request, ctx)
        if ok:
            return render(request, "surveys/thanks.html", {"code": ctx["code"], "message": message})
        ctx["error"] = message
        ctx["values"] = {q.code: _int(request.POST.get(f"q_{q.code}")) for q in ctx["questions"]}
        ctx["comment"] = request.POST.get("comment", "")
        status = 400
    elif ctx["rating"]:
        ctx["comment"] = ctx["rating"].comment
    return render(request, "surveys/rate.html", ctx, status=status)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _staff(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if scope_for(request.user) == ():
        raise PermissionDenied
    return None


def _dates(request):
    def parse(name):
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return parse("tu"), parse("den")


def staff_index(request):
    denied = _staff(request)
    if denied:
        return denied
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


def staff_export(request, fmt: str):
    denied = _staff(request)
    if denied:
        return denied
    since, until = _dates(request)
    header, rows = selectors.export_rows(request.user, since=since, until=until)
    stamp = dt.date.today().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Vietnamese correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("danh-gia")
        ws.append(header)
        for row in rows:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="danh-gia-hai-long-{stamp}.{fmt}"'
    return response
