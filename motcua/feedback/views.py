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
from motcua.feedback import events, selectors, services
from motcua.feedback.errors import FeedbackError
from motcua.feedback.forms import ClassifyForm, ReportForm
from motcua.feedback.models import OPEN_STATUSES, Answer, Report, ReportStatus
from motcua.org.gates import staff_required
from motcua.org.models import Role

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
            return redirect("feedback:public-report", code=report.code)
    recent = selectors.published_answers()[:5]
    return render(request, "feedback/public_form.html", {"form": form, "recent": recent})


def public_list(request):
    query = request.GET.get("q", "").strip()[:100]
    page = selectors.CappedPaginator(selectors.published_answers(query), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public_list.html", {"page": page, "q": query})


def public_report(request, code):
    report = selectors.report_by_code(code)
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
            "master": report.duplicate_of,
        },
    )


@require_http_methods(["GET", "POST"])
def rate_page(request, code, token):
    report = selectors.report_by_code(code)
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
            return redirect("feedback:public-report", code=report.code)
        except FeedbackError as exc:
            messages.error(request, exc.message)
    elif token != report.rating_token:
        raise Http404
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
    page = selectors.CappedPaginator(qs.order_by("-received_at"), 30).get_page(params.get("page"))
    today = timezone.localdate()
    try:
        days = max(1, min(int(params.get("days", 30)), 3660))
    except ValueError:
        days = 30
    rows = [(r, r.deadline_state(today)) for r in page]
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
            "params": params,
            "q": q,
        },
    )


@staff_required(*services.INTAKE_ROLES)
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


@staff_required(*services.INTAKE_ROLES)
def hotline_lookup(request):
    """What the operator sees while typing: the caller's earlier reports, categories, the place."""
    phone = request.GET.get("phone", "")
    text = request.GET.get("text", "")
    address = request.GET.get("address", "")
    earlier = (
        [
            {
                "code": r.code,
                "status": r.get_status_display(),
                "category": r.category.name if r.category_id else "",
                "received": f"{timezone.localtime(r.received_at):%d/%m/%Y}",
                "unit": r.unit.name,
                "url": reverse("feedback:staff-report", args=[r.code]),
            }
            for r in selectors.reports_by_phone(phone, request.user)
        ]
        if phone
        else []
    )
    cats = [{"code": c.code, "name": c.name} for c in selectors.suggest_categories(text)] if text else []
    ward = services.resolve_ward(address) if address else None
    unit = None
    if ward is not None or cats:
        from motcua.feedback.models import Category

        category = Category.objects.filter(code=cats[0]["code"]).first() if cats else None
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
def staff_report(request, code):
    report = _staff_report(request, code)
    user = request.user
    can_handle = user.can_act_in(report.unit, *services.HANDLER_ROLES)
    can_draft = user.can_act_in(report.unit, *services.DRAFTER_ROLES)
    can_approve = user.can_act_in(report.unit, Role.UNIT_LEADER)
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
            "can_handle": can_handle and report.is_open,
            "can_draft": can_draft,
            "can_approve": can_approve and draft is not None,
            "classify_form": ClassifyForm(),
            "duplicates": selectors.duplicate_candidates(report) if report.is_open else [],
            "merged": report.duplicates.all(),
            "deadline_state": report.deadline_state(),
            "ratings": report.ratings.all(),
        },
    )


@staff_required()
def staff_action(request, code, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    report = _staff_report(request, code)
    user, post = request.user, request.POST
    try:
        if action == "classify":
            to_unit = None
            if post.get("to_unit"):
                from motcua.org.selectors import unit_by_code

                to_unit = unit_by_code(post["to_unit"].strip())
                if to_unit is None:
                    raise FeedbackError("bad_unit")
            services.classify(
                report,
                actor=user,
                classification=post.get("classification", ""),
                category_code=post.get("category") or None,
                to_unit=to_unit,
                reason=post.get("reason", ""),
                multi_agency=bool(post.get("multi_agency")),
            )
        elif action == "transfer":
            from motcua.org.selectors import unit_by_code

            to_unit = unit_by_code(post.get("to_unit", "").strip())
            if to_unit is None:
                raise FeedbackError("bad_unit")
            services.transfer(report, actor=user, to_unit=to_unit, reason=post.get("reason", ""))
        elif action == "draft":
            services.draft_answer(report, actor=user, body=post.get("body", ""))
        elif action in ("approve", "return"):
            answer = report.answers.filter(status=Answer.Status.DRAFT).last()
            if answer is None:
                raise FeedbackError("bad_state")
            if action == "approve":
                services.approve_answer(answer, actor=user)
            else:
                services.return_answer(answer, actor=user, note=post.get("note", ""))
        elif action == "merge":
            target = selectors.reports_for(user).filter(code=post.get("into", "").strip().upper()).first()
            if target is None:
                raise FeedbackError("bad_merge")
            services.merge(report, into=target, actor=user)
        else:
            raise Http404
    except FeedbackError as exc:
        messages.error(request, exc.message)
        status = 403 if exc.code == "forbidden" else 400
        response = staff_report(request, code)
        response.status_code = status
        return response
    messages.success(request, _("Đã cập nhật phản ánh %(code)s.") % {"code": report.code})
    return redirect("feedback:staff-report", code=report.code)
