"""Bring a report to any status through the real actions, and snapshot everything an action may touch."""

from __future__ import annotations

from django.forms.models import model_to_dict

from motcua.core.models import AuditEntry, OutboundMessage
from motcua.feedback import services
from motcua.feedback.models import Answer, Rating, Report, ReportEvent
from motcua.feedback.models import ReportStatus as S
from motcua.feedback.tests.conftest import at
from motcua.feedback.workflow import Action


def new_report(**extra) -> Report:
    fields = {
        "channel": "web",
        "description": "Rác thải tồn đọng trước chợ",
        "category_code": "rac-thai",
        "address": "phường Cầu Ông Lãnh",
        "phone": "0901000001",
        "now": at(2026, 3, 2),
    }
    return services.submit_report(**{**fields, **extra})


def bring_to(status: str, *, drafter, leader) -> Report:
    """A report of ward A in `status` (RECEIVED ones wait at the city's triage)."""
    if status == S.RECEIVED:
        return new_report(category_code=None, address="")
    report = new_report()
    if status == S.ASSIGNED:
        return report
    if status == S.MERGED:
        return services.merge(
            report, into=new_report(description="Rác thải tồn đọng trước chợ B"), actor=drafter
        )
    if status == S.NOT_ACCEPTED:
        return services.classify(
            report, actor=drafter, classification="not_accepted", reason="Trùng nội dung"
        )
    answer = services.draft_answer(report, actor=drafter, body="Đã thu gom rác")
    if status == S.AWAITING_APPROVAL:
        return Report.objects.get(pk=report.pk)
    services.approve_answer(answer, actor=leader)
    report = Report.objects.get(pk=report.pk)
    if status == S.CLOSED:
        services.rate(report, token=report.rating_token, score=5)
    elif status == S.REOPENED:
        services.reopen(report, token=report.rating_token, reason="Vẫn còn rác")
    return Report.objects.get(pk=report.pk)


def publish(report: Report, make_staff) -> None:
    """Answer and publish `report` as its unit would (public pages and Open311 GET show only these)."""
    from motcua.org.models import Role

    drafter = make_staff(Role.SPECIALIST, report.unit)
    leader = make_staff(Role.UNIT_LEADER, report.unit)
    services.approve_answer(services.draft_answer(report, actor=drafter, body="Đã xử lý xong"), actor=leader)


def params_for(action: str, report: Report, *, agency, other: Report | None = None) -> dict:
    """Well-formed parameters of `action` on `report` (what a screen or an API would send)."""
    draft = report.answers.filter(status=Answer.Status.DRAFT).last()
    return {
        Action.CLASSIFY: {"classification": "officer_conduct"},
        Action.NOT_ACCEPT: {"reason": "Không đủ thông tin để xác minh"},
        Action.TRANSFER: {"to_unit": agency, "reason": "Thuộc thẩm quyền Sở"},
        Action.NOTE: {"text": "Đã gọi lại cho người phản ánh"},
        Action.DRAFT_ANSWER: {"body": "Đã thu gom rác tồn đọng"},
        Action.RETURN_ANSWER: {"answer": draft, "note": "Bổ sung thời gian xử lý"},
        Action.APPROVE_ANSWER: {"answer": draft},
        Action.RATE: {"score": 5, "token": report.rating_token},
        Action.REOPEN: {"reason": "Vẫn còn rác", "token": report.rating_token},
        Action.MERGE: {"into": other},
    }[action]


def snapshot(report: Report) -> dict:
    """Everything an action could change: the row, its trace, answers, ratings, the audit log, the outbox."""
    row = model_to_dict(Report.objects.get(pk=report.pk))
    row.pop("photo", None)
    return {
        "row": row,
        "events": ReportEvent.objects.count(),
        "answers": list(Answer.objects.order_by("pk").values_list("pk", "status")),
        "ratings": Rating.objects.count(),
        "audit": AuditEntry.objects.count(),
        "outbox": OutboundMessage.objects.count(),
        "reports": Report.objects.count(),
    }
