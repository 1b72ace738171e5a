"""Rating pages (from the receipt QR, the portal, an SMS link) and the staff figures/export."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.core import exports, ratelimit
from motcua.core.dates import parse_date_or_none
from motcua.org.gates import staff_required
from motcua.surveys import selectors, services
from motcua.surveys.errors import SurveyError
from motcua.surveys.models import Channel

PROOF_SESSION_KEY = "surveys_proof"
SCALE = [
    (5, gettext_lazy("Rất hài lòng")),
    (4, gettext_lazy("Hài lòng")),
    (3, gettext_lazy("Bình thường")),
    (2, gettext_lazy("Không hài lòng")),
    (1, gettext_lazy("Rất không hài lòng")),
]


def _offered_proof(request) -> dict[str, str]:
    """The SMS link's token (`t`) or the receipt key (`k`) sent with this request."""
    data = request.POST if request.method == "POST" else request.GET
    return {"token": (data.get("t") or "").strip(), "receipt_key": (data.get("k") or "").strip()}


def _proof(request, code: str, offered: dict[str, str]) -> dict[str, str]:
    remembered = request.session.get(PROOF_SESSION_KEY, {}).get(code, {})
    return {name: offered[name] or remembered.get(name, "") for name in offered}


def _remember_proof(request, code: str, proof: dict[str, str]) -> None:
    """Keep a proof that worked for this session (the kiosk's reset forgets it), so the form can post."""
    remembered = dict(request.session.get(PROOF_SESSION_KEY, {}))
    remembered.pop(code, None)
    remembered[code] = {name: value for name, value in proof.items() if value}
    request.session[PROOF_SESSION_KEY] = dict(list(remembered.items())[-20:])


def rating_context(request, code: str, *, channel: str):
    """Shared by /danh-gia/ and the kiosk: the form for the applicant, else the same prompt for any code.

    A caller who is not the dossier's applicant gets one answer whether the code exists or not, and every
    secret offered counts against the client address and the dossier code (core.ratelimit).
    """
    code = (code or "").strip()
    offered = _offered_proof(request)
    base = {"code": code, "channel": channel, "need_proof": True, "scale": SCALE}
    guessing = any(offered.values())
    if ratelimit.limited(request, "rate", target=code if guessing else None):
        return {**base, "error": str(ratelimit.MESSAGE), "http_status": 429}
    proof = _proof(request, code, offered)
    facts = services.applicant_facts(code, user=request.user, **proof)
    if facts is None:
        error = SurveyError("receipt_key_invalid" if guessing else "not_applicant").message
        return {**base, "error": error, "http_status": 400 if guessing else 200}
    if any(proof.values()):
        _remember_proof(request, facts.code, proof)
    rating = selectors.rating_for(facts.code)
    return {
        **base,
        "need_proof": False,
        "http_status": 200,
        "proof": proof,
        "facts": facts,
        "code": facts.code,
        "questions": services.ensure_default_questions(),
        "rating": rating,
        "values": {a.question.code: a.value for a in rating.answers.all()} if rating else {},
        "comment": rating.comment if rating else "",
        "can_rate": facts.status in selectors.RATEABLE_STATUSES,
    }


def handle_rating_post(request, ctx) -> tuple[bool, str]:
    """Validate and save a posted rating; (ok, message). `ctx` comes from `rating_context`."""
    answers = {q.code: request.POST.get(f"q_{q.code}", "") for q in ctx["questions"]}
    try:
        services.submit_rating(
            dossier_code=ctx["code"],
            answers=answers,
            comment=request.POST.get("comment", ""),
            channel=ctx["channel"],
            citizen=request.user,
            **ctx["proof"],
        )
    except SurveyError as exc:
        ctx["values"] = {q.code: _int(request.POST.get(f"q_{q.code}")) for q in ctx["questions"]}
        ctx["comment"] = request.POST.get("comment", "")
        return False, exc.message
    return True, _("Cảm ơn ông/bà đã đánh giá.")


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


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
