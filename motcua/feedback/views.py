"""Public pages (/phan-anh/...), the hotline console and the leaders' monitoring (/staff/feedback/...)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.core.calendar import calendar_for
from motcua.feedback import events, selectors, services, workflow
from motcua.feedback.errors import FeedbackError
from motcua.feedback.forms import ClassifyForm, ReportForm
from motcua.feedback.models import OPEN_STATUSES, Answer, Classification, Report, ReportStatus
from motcua.feedback.workflow import Action
from motcua.org.gates import staff_required
from motcua.org.selectors import unit_by_code

# --- public ---------------------------------------------------------------------------------------


def _submit_form(data: dict, *, channel: str, actor):
    """File a report from the web form or the hotline console (the same ReportForm)."""
    return services.submit_report(
        channel=channel,
        description=data["description"],
        category_code=data["category"] or None,
        address=data["address"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        photo=data["photo"],
        contact_name=data["contact_name"],
        phone=data["phone"],
        email=data["email"],
        actor=actor,
        ward_code=data["ward"] or None,
    )


@require_http_methods(["GET", "POST"])
def public_form(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and ratelimit.limited(request, "feedback-web"):
        form.add_error(None, _("Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn, vui lòng thử lại sau."))
        return render(request, "feedback/public_form.html", {"form": form, "recent": []}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = _submit_form(data, channel="web", actor=request.user)
        except FeedbackError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận phản ánh %(code)s. Hãy lưu mã này để tra cứu.") % {"code": report.code},
            )
            return redirect(f"{reverse('feedback:public-report', args=[report.code])}?t={report.token}")
    recent = selectors.published_answers()[:5]
    return render(request, "feedback/public_form.html", {"form": form, "recent": recent})


def public_list(request):
    query = request.GET.get("q", "").strip()[:100]
    page = selectors.CappedPaginator(selectors.published_answers(query), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public_list.html", {"page": page, "q": query})


def public_report(request, code):
    """Published reports only (public category, answered and published); the reporter's own link (with
    the report's secret token) shows theirs before that. Anything else is the same 404 as an unknown code."""
    report = selectors.public_report(code, token=request.GET.get("t", ""))
    if report is None:
        raise Http404
    answers = report.answers.filter(status=Answer.Status.PUBLISHED).order_by("round")
    return render(
        request,
        "feedback/public_report.html",
        {
            "report": report,
            "answers": answers,
            "description": services.redact(report.description, [report.contact_name]),
            "master": report.duplicate_of
            if report.duplicate_of_id and selectors.is_published(report.duplicate_of)
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def rate_page(request, code, token):
    """The reporter's rating link. A wrong token is the same 404 as an unknown code (GET and POST)."""
    report = selectors.report_for_rating(code, token)
    if report is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reopen":
                services.reopen(report, token=token, reason=request.POST.get("reason", ""))
                messages.success(request, _("Phản ánh đã được chuyển lại đơn vị xử lý."))
            else:
                services.rate(
                    report,
                    token=token,
                    score=request.POST.get("score"),
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Cảm ơn bạn đã đánh giá."))
            return redirect(f"{reverse('feedback:public-report', args=[report.code])}?t={report.token}")
        except FeedbackError as exc:
            messages.error(request, exc.message)
    return render(request, "feedback/rate.html", {"report": report, "token": token})


# --- staff ----------------------------------------------------------------------------------------
@staff_required()
def dashboard(request):
    user = request.user
    qs = selectors.reports_for(user)
    params = request.GET
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("category"):
        qs = qs.filter(category__code=params["category"])
    if params.get("late") == "1":
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
    q = params.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(selectors.search_filter(q))
    page = selectors.CappedPaginator(
        qs.select_related("category", "unit").order_by("-received_at"), 30
    ).get_page(params.get("page"))
    today = timezone.localdate()
    try:
        days = max(1, min(int(params.get("days", 30)), 3660))
    except ValueError:
        days = 30
    calendar = calendar_for()
    rows = [(r, r.deadline_state(today, calendar)) for r in page]
    return render(
        request,
        "feedback/dashboard.html",
        {
            "page": page,
            "rows": rows,
            "figures": selectors.figures(user, since=today - dt.timedelta(days=days)),
            "days": days,
            "statuses": ReportStatus.choices,
            "categories": selectors.public_categories(),
            "awaiting": selectors.answers_awaiting_approval(user),
            "params": params,
            "q": q,
        },
    )


INTAKE_ROLES = workflow.TRANSITIONS[Action.SUBMIT].roles


@staff_required(*INTAKE_ROLES)
@require_http_methods(["GET", "POST"])
def hotline(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = _submit_form(data, channel="hotline", actor=request.user)
        except FeedbackError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Đã tạo phản ánh %(code)s, giao %(unit)s, hạn %(deadline)s.")
                % {"code": report.code, "unit": report.unit.name, "deadline": f"{report.deadline:%d/%m/%Y}"},
            )
            return redirect("feedback:hotline")
    return render(request, "feedback/hotline.html", {"form": form})


LOOKUP_PURPOSE = "hotline_intake"


@staff_required(*INTAKE_ROLES)
def hotline_lookup(request):
    """What the operator sees while typing: the caller's earlier reports, categories, the place."""
    phone = request.GET.get("phone", "")
    text = request.GET.get("text", "")
    address = request.GET.get("address", "")
    # Per operator, not per address: the operators of one call centre share an address.
    if phone and ratelimit.limited_for("hotline-lookup", str(request.user.pk)):
        return JsonResponse({"error": str(FeedbackError("too_many").message)}, status=429)
    found = services.lookup_caller(phone, actor=request.user, purpose=LOOKUP_PURPOSE) if phone else []
    earlier = [
        {
            "code": r.code,
            "status": r.get_status_display(),
            "category": r.category.name if r.category_id else "",
            "received": f"{timezone.localtime(r.received_at):%d/%m/%Y}",
            "unit": r.unit.name,
            "url": reverse("feedback:staff-report", args=[r.code]),
        }
        for r in found
    ]
    cats = [{"code": c.code, "name": c.name} for c in selectors.suggest_categories(text)] if text else []
    ward = services.resolve_ward(address) if address else None
    chosen = (request.GET.get("category") or "").strip()[:60] or (cats[0]["code"] if cats else "")
    unit = None
    if ward is not None or chosen:
        # the routing preview: the same function intake routes with, for the category chosen on the form
        category = selectors.public_categories().filter(code=chosen).first() if chosen else None
        unit, _reason = services.route(category, ward)
    return JsonResponse(
        {
            "earlier": earlier,
            "categories": cats,
            "ward": {"code": ward.code, "name": ward.name} if ward else None,
            "unit": unit.name if unit else None,
        }
    )


def _staff_report(request, code) -> Report:
    report = selectors.reports_for(request.user).filter(code=code.upper()).first()
    if report is None:
        raise Http404
    return report


@staff_required()
def staff_report(request, code, *, classify_form: ClassifyForm | None = None):
    report = _staff_report(request, code)
    user = request.user
    draft = report.answers.filter(status=Answer.Status.DRAFT).last()
    trace = report.events.select_related("actor", "from_unit", "to_unit")
    return render(
        request,
        "feedback/staff_report.html",
        {
            "report": report,
            "trace": trace,
            "labels": events.LABELS,
            "answers": report.answers.all(),
            "draft": draft,
            "can_handle": workflow.may_act(report, Action.CLASSIFY, user),
            "can_note": workflow.may_act(report, Action.NOTE, user),
            "can_draft": workflow.may_act(report, Action.DRAFT_ANSWER, user),
            "can_approve": workflow.may_act(report, Action.APPROVE_ANSWER, user) and draft is not None,
            "classify_form": classify_form or ClassifyForm(report=report),
            "duplicates": selectors.duplicate_candidates(report) if report.is_open else [],
            "merged": report.duplicates.all(),
            "transfer_targets": selectors.transfer_targets(report) if report.is_open else None,
            "deadline_state": report.deadline_state(),
            "ratings": report.ratings.all(),
        },
    )


def _unit_param(code: str):
    unit = unit_by_code((code or "").strip()) if (code or "").strip() else None
    if unit is None:
        raise FeedbackError("bad_unit")
    return unit


def _classify_params(report: Report, post) -> tuple[str, dict]:
    """The classification card: the officer's choice is its own action (not accepted, transferred as
    outside competence, or classified here); the card opened on the report's own values."""
    form = ClassifyForm(post, report=report)
    if not form.is_valid():
        raise FeedbackError("bad_classification")
    data = form.cleaned_data
    reason = data["reason"]
    status_changing = (Classification.NOT_ACCEPTED, Classification.OUTSIDE_COMPETENCE)
    if data["classification"] in status_changing and data["classification"] != report.classification:
        if not data["confirm_status"]:
            raise FeedbackError("confirm_status")
    if data["classification"] == Classification.NOT_ACCEPTED:
        return Action.NOT_ACCEPT, {"reason": reason}
    if data["classification"] == Classification.OUTSIDE_COMPETENCE:
        return Action.TRANSFER, {
            "to_unit": _unit_param(data["to_unit"]),
            "reason": reason,
            "outside_competence": True,
        }
    params = {
        "classification": data["classification"],
        "reason": reason,
        "multi_agency": data["multi_agency"],
    }
    return Action.CLASSIFY, {**params, "category_code": data["category"] or None}


def _draft_of(report: Report) -> Answer:
    answer = report.answers.filter(status=Answer.Status.DRAFT).last()
    if answer is None:
        raise FeedbackError("bad_state")
    return answer


def _action_params(report: Report, action: str, post, user) -> tuple[str, dict]:
    """Screen button -> (table action, its parameters). Every button is one action of the table."""
    if action == "classify":
        return _classify_params(report, post)
    if action == "transfer":
        return Action.TRANSFER, {
            "to_unit": _unit_param(post.get("to_unit", "")),
            "reason": post.get("reason", ""),
        }
    if action == "note":
        return Action.NOTE, {"text": post.get("text", "")}
    if action == "draft":
        return Action.DRAFT_ANSWER, {"body": post.get("body", "")}
    if action == "approve":
        return Action.APPROVE_ANSWER, {"answer": _draft_of(report)}
    if action == "return":
        return Action.RETURN_ANSWER, {"answer": _draft_of(report), "note": post.get("note", "")}
    if action == "merge":
        target = selectors.reports_for(user).filter(code=post.get("into", "").strip().upper()).first()
        if target is None:
            raise FeedbackError("bad_merge")
        return Action.MERGE, {"into": target}
    raise Http404


@staff_required()
def staff_action(request, code, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    report = _staff_report(request, code)
    try:
        table_action, params = _action_params(report, action, request.POST, request.user)
        workflow.perform(report, table_action, request.user, **params)
    except FeedbackError as exc:
        messages.error(request, exc.message)
        form = ClassifyForm(request.POST, report=report) if action == "classify" else None
        response = staff_report(request, code, classify_form=form)
        response.status_code = 403 if exc.code == "forbidden" else 400
        return response
    messages.success(request, _("Đã cập nhật phản ánh %(code)s.") % {"code": report.code})
    return redirect("feedback:staff-report", code=report.code)
