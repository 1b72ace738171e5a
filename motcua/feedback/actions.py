"""The body of each feedback action after intake. Each one runs inside `workflow.perform` on the locked,
already authorised row, changes the row's fields other than `status`, and returns a `Step` naming the
target status (checked against the table by `perform`, which also saves and audits)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from motcua.core import links
from motcua.core.calendar import calendar_for
from motcua.feedback import events
from motcua.feedback.errors import FeedbackError
from motcua.feedback.intake import reply_deadline
from motcua.feedback.models import Answer, Category, Classification, Rating, Report, ReportStatus
from motcua.feedback.notifications import notify, tell_reporters
from motcua.feedback.redaction import redact
from motcua.feedback.trace import Step, now_or, record_event, today_or
from motcua.org.models import Unit

TRANSFER_DAYS = 5  # NĐ 20/2008: a report outside our competence is transferred within 5 working days
TRIAGE_CLASSES = (Classification.WITHIN_COMPETENCE, Classification.OFFICER_CONDUCT)


def _snapshot(report: Report) -> dict:
    return {"classification": report.classification, "category": report.category_id, "status": report.status}


def _received_day(report: Report) -> dt.date:
    return timezone.localtime(report.received_at).date()


# --- classification, refusal, transfer ----------------------------------------------------------------
def classify(
    row: Report,
    actor: Any,
    *,
    classification: str,
    category_code: str | None = None,
    reason: str = "",
    multi_agency: bool = False,
    now: dt.datetime | None = None,
) -> Step:
    """Within competence or officer conduct; a report still at the city's triage becomes assigned."""
    if classification not in TRIAGE_CLASSES:
        raise FeedbackError("bad_classification")
    before = _snapshot(row)
    if category_code and category_code != (row.category.code if row.category_id else None):
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            raise FeedbackError("unknown_category")
        row.category = category
        row.deadline = reply_deadline(_received_day(row), category)
    if multi_agency and row.category:
        row.deadline = calendar_for().add_working_days(
            _received_day(row), row.category.multi_agency_deadline_days
        )
    row.classification = classification

    def effects(saved: Report) -> None:
        data = {"classification": classification}
        record_event(saved, events.CLASSIFIED, actor=actor, note=reason, at=now, data=data)

    target = ReportStatus.ASSIGNED if row.status == ReportStatus.RECEIVED else None
    return Step(target=target, audit="feedback.report_classified", before=before, effects=effects)


def not_accept(row: Report, actor: Any, *, reason: str = "", now: dt.datetime | None = None) -> Step:
    """NĐ 20/2008 Art 9: not accepted, with the reasons (public) and the reporter told."""
    reason = (reason or "").strip()
    if not reason:
        raise FeedbackError("reason_required")
    before = _snapshot(row)
    row.classification = Classification.NOT_ACCEPTED
    row.status_note = reason[:500]
    row.closed_at = now_or(now)

    def effects(saved: Report) -> None:
        record_event(saved, events.NOT_ACCEPTED, actor=actor, note=reason, at=now)
        notify(saved, "not_accepted", f"Phản ánh {saved.code} không được tiếp nhận. Lý do: {reason}")

    return Step(
        target=ReportStatus.NOT_ACCEPTED, audit="feedback.report_classified", before=before, effects=effects
    )


def transfer(
    row: Report,
    actor: Any,
    *,
    to_unit: Unit | None,
    reason: str = "",
    outside_competence: bool = False,
    now: dt.datetime | None = None,
) -> Step:
    """Hand a report to another unit or agency with written reasons; 'outside competence' also sets the
    5-working-day transfer deadline."""
    reason = (reason or "").strip() or ("Không thuộc thẩm quyền" if outside_competence else "")
    if not reason:
        raise FeedbackError("reason_required")
    if to_unit is None or to_unit.kind == "district":
        raise FeedbackError("bad_unit")
    if to_unit.valid_to is not None:
        to_unit = to_unit.resolve()
    if to_unit.pk == row.unit_id:
        raise FeedbackError("same_unit")
    from_unit = row.unit
    if outside_competence:
        row.classification = Classification.OUTSIDE_COMPETENCE
        row.transfer_deadline = calendar_for().add_working_days(_received_day(row), TRANSFER_DAYS)
    row.unit = to_unit
    row.escalation_level = 0

    def effects(saved: Report) -> None:
        if outside_competence:
            data = {"classification": Classification.OUTSIDE_COMPETENCE}
            record_event(saved, events.CLASSIFIED, actor=actor, note=reason, at=now, data=data)
        record_event(
            saved, events.TRANSFERRED, actor=actor, from_unit=from_unit, to_unit=to_unit, note=reason, at=now
        )

    return Step(
        target=ReportStatus.ASSIGNED if row.status == ReportStatus.RECEIVED else None,
        audit="feedback.report_transferred",
        before={"unit": from_unit.code, "unit_id": from_unit.pk},
        after={"unit": to_unit.code, "reason": reason},
        effects=effects,
    )


def note(row: Report, actor: Any, *, text: str = "", now: dt.datetime | None = None) -> Step:
    """An officer's note in the trace. Never a status, a class, a unit or a message to the reporter."""
    text = (text or "").strip()
    if not text:
        raise FeedbackError("note_required")

    def effects(saved: Report) -> None:
        record_event(saved, events.NOTED, actor=actor, note=text[:2000], at=now)

    return Step(audit="feedback.note_added", after={"note": text[:500]}, effects=effects)


# --- answers -----------------------------------------------------------------------------------------
def reporter_names(report: Report) -> list[str]:
    names = [report.contact_name]
    if report.reporter_id:
        names.append(report.reporter.full_name)
    names += list(report.duplicates.values_list("contact_name", flat=True))
    return [n for n in names if n]


def draft_answer(row: Report, actor: Any, *, body: str = "", now: dt.datetime | None = None) -> Step:
    """The unit's answer, waiting for its leader's approval (an earlier draft is set aside)."""
    body = (body or "").strip()
    if len(body) < 5:
        raise FeedbackError("answer_required")
    Answer.objects.filter(report=row, status=Answer.Status.DRAFT).update(status=Answer.Status.RETURNED)
    answer = Answer.objects.create(
        report=row, round=row.reopen_count + 1, body=body, drafted_by=actor, drafted_at=now_or(now)
    )
    if not row.classification:
        row.classification = Classification.WITHIN_COMPETENCE

    def effects(saved: Report) -> None:
        data = {"answer": answer.pk, "round": answer.round}
        record_event(saved, events.ANSWER_DRAFTED, actor=actor, at=now, data=data)

    return Step(
        target=ReportStatus.AWAITING_APPROVAL,
        result=answer,
        audit="feedback.answer_drafted",
        after={"answer": answer.pk},
        effects=effects,
    )


def _draft(row: Report, answer: Answer | None) -> Answer:
    locked = Answer.objects.select_for_update().filter(pk=getattr(answer, "pk", None), report=row).first()
    if locked is None or locked.status != Answer.Status.DRAFT:
        raise FeedbackError("bad_state")
    return locked


def return_answer(
    row: Report, actor: Any, *, answer: Answer | None = None, note: str = "", now: dt.datetime | None = None
) -> Step:
    answer = _draft(row, answer)
    note = (note or "").strip()
    if not note:
        raise FeedbackError("reason_required")
    answer.status = Answer.Status.RETURNED
    answer.leader_note = note
    answer.save()

    def effects(saved: Report) -> None:
        record_event(saved, events.ANSWER_RETURNED, actor=actor, note=note, at=now)

    return Step(
        target=ReportStatus.REOPENED if row.reopen_count else ReportStatus.ASSIGNED,
        result=answer,
        audit="feedback.answer_returned",
        after={"answer": answer.pk, "note": note},
        effects=effects,
    )


def approve_answer(
    row: Report, actor: Any, *, answer: Answer | None = None, now: dt.datetime | None = None
) -> Step:
    """The leader approves: the answer is published without personal data and every reporter is told."""
    answer = _draft(row, answer)
    moment = now_or(now)
    answer.status = Answer.Status.PUBLISHED
    answer.approved_by = actor
    answer.published_at = moment
    answer.public_body = redact(answer.body, reporter_names(row))
    answer.save()
    row.public_answer = answer.public_body
    row.answered_at = moment
    row.answered_late = bool(row.deadline and timezone.localtime(moment).date() > row.deadline)
    row.rating_token = secrets.token_urlsafe(24)
    payload = {"answer": answer.pk, "round": answer.round, "late": row.answered_late}

    def effects(saved: Report) -> None:
        record_event(saved, events.ANSWER_PUBLISHED, actor=actor, at=moment, data=payload)
        tell_reporters(saved, f"answer{answer.round}")

    return Step(
        target=ReportStatus.ANSWERED,
        result=answer,
        audit="feedback.answer_published",
        after=payload,
        effects=effects,
    )


# --- the reporter's rating and reopening (authorised by the rating token) ------------------------------
def rate(
    row: Report, actor: Any, *, score: Any = None, comment: str = "", now: dt.datetime | None = None
) -> Step:
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise FeedbackError("bad_score") from None
    if not 1 <= score <= 5:
        raise FeedbackError("bad_score")
    answer = row.answers.filter(status=Answer.Status.PUBLISHED).order_by("-round", "-pk").first()
    rating, _created = Rating.objects.update_or_create(
        report=row,
        answer=answer,
        defaults={"score": score, "comment": comment.strip()[:2000], "at": now_or(now)},
    )
    row.satisfaction = score
    if score >= 4:
        row.closed_at = now_or(now)

    def effects(saved: Report) -> None:
        record_event(saved, events.RATED, actor="reporter", at=now, data={"score": score}, note=comment[:500])

    return Step(
        target=ReportStatus.CLOSED if score >= 4 else None,
        result=rating,
        audit="feedback.answer_rated",
        after={"score": score},
        effects=effects,
    )


def reopen(row: Report, actor: Any, *, reason: str = "", now: dt.datetime | None = None) -> Step:
    """'Chưa được giải quyết': back to the same unit with the history and a new reply deadline."""
    reason = (reason or "").strip()
    if not reason:
        raise FeedbackError("reason_required")
    before = {"status": row.status, "deadline": row.deadline}
    row.reopen_count += 1
    row.escalation_level = 0
    row.closed_at = None
    row.deadline = reply_deadline(today_or(now), row.category)

    def effects(saved: Report) -> None:
        data = {"round": saved.reopen_count + 1, "deadline": saved.deadline.isoformat()}
        record_event(saved, events.REOPENED, actor="reporter", note=reason, at=now, data=data)

    return Step(
        target=ReportStatus.REOPENED,
        audit="feedback.report_reopened",
        before=before,
        after={"deadline": row.deadline},
        effects=effects,
    )


# --- duplicates ------------------------------------------------------------------------------------
def merge(row: Report, actor: Any, *, into: Report | None = None, now: dt.datetime | None = None) -> Step:
    """Mark `row` as a duplicate of `into`; its reporter is told when `into` is answered."""
    target = None
    if into is not None:
        target = Report.objects.visible_to(actor).select_for_update().filter(pk=into.pk).first()
    if (
        target is None
        or target.pk == row.pk
        or target.status == ReportStatus.MERGED
        or row.duplicates.exists()
    ):
        raise FeedbackError("bad_merge")
    row.duplicate_of = target
    row.closed_at = now_or(now)

    def effects(saved: Report) -> None:
        record_event(saved, events.MERGED_INTO, actor=actor, at=now, data={"into": target.code})
        record_event(target, events.MERGED, actor=actor, at=now, data={"duplicate": saved.code})
        link = links.report_tracking_url(target.code)
        if target.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED):
            body = f"Phản ánh {saved.code} trùng với {target.code}, đã có trả lời: {link}"
            notify(saved, f"merged-answered:{target.pk}", body)
        else:
            body = f"Phản ánh {saved.code} được gộp với {target.code}; bạn sẽ nhận trả lời khi có kết quả."
            notify(saved, f"merged:{target.pk}", body)

    return Step(
        target=ReportStatus.MERGED,
        audit="feedback.report_merged",
        after={"into": target.code},
        effects=effects,
    )
