"""Every write on feedback: one function per business action, atomic, audited."""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from motcua.core import audit
from motcua.core.calendar import calendar_for
from motcua.core.codes import next_sequence
from motcua.core.notify import queue_message
from motcua.feedback import events
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import (
    OPEN_STATUSES,
    Answer,
    ApiKey,
    Category,
    Channel,
    Classification,
    Rating,
    Report,
    ReportEvent,
    ReportStatus,
    RoutingRule,
    hash_key,
)
from motcua.org.models import COMMUNE_LEVEL, Role, Unit

HANDLER_ROLES = (
    Role.SPECIALIST,
    Role.DESK_OFFICER,
    Role.UNIT_LEADER,
    Role.HOTLINE_OPERATOR,
    Role.PROVINCE_ADMIN,
)
DRAFTER_ROLES = (Role.SPECIALIST, Role.DESK_OFFICER, Role.UNIT_LEADER)
INTAKE_ROLES = (
    Role.HOTLINE_OPERATOR,
    Role.DESK_OFFICER,
    Role.SPECIALIST,
    Role.UNIT_LEADER,
    Role.PROVINCE_ADMIN,
)
TRANSFER_DAYS = 5  # NĐ 20/2008: a report outside our competence is transferred within 5 working days
ESCALATE_BEFORE_DAYS = 2
PHONE_RE = re.compile(r"^(?:\+?84|0)\d{9,10}$")
PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


# --- helpers ---------------------------------------------------------------------------------------
def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localtime(_now(now)).date()


def _label(actor: Any) -> str:
    if actor is None:
        return ""
    if isinstance(actor, str):
        return actor
    if not getattr(actor, "is_authenticated", False):
        return ""
    return getattr(actor, "full_name", "") or getattr(actor, "username", "") or str(actor)


def _actor_obj(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def record_event(
    report: Report,
    kind: str,
    *,
    actor: Any = None,
    note: str = "",
    from_unit=None,
    to_unit=None,
    data: dict | None = None,
    at: dt.datetime | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=_actor_obj(actor),
        actor_label=_label(actor),
        note=note,
        from_unit=from_unit,
        to_unit=to_unit,
        data=data or {},
        at=_now(at),
    )


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", phone or "")
    if not digits:
        return ""
    if not PHONE_RE.match(digits):
        raise FeedbackError("bad_phone")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def fold_text(text: str) -> str:
    from motcua.org.selectors import fold

    return fold(text)


def _check_photo(photo: UploadedFile | None):
    if not photo:
        return None
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if photo.size and photo.size > limit:
        raise FeedbackError("photo_too_large")
    head = photo.read(12)
    photo.seek(0)
    ok = (
        head.startswith(PHOTO_MAGIC[0])
        or head.startswith(PHOTO_MAGIC[1])
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
    )
    if not ok:
        raise FeedbackError("bad_photo")
    return photo


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# --- location and routing --------------------------------------------------------------------------
def resolve_ward(
    address: str = "", latitude: float | None = None, longitude: float | None = None
) -> Unit | None:
    """Today's ward for an address (old names included), else the nearest ward centre to the point."""
    from motcua.org.selectors import current_communes, find_unit_in_text

    if address:
        unit = find_unit_in_text(address)
        if unit is not None:
            return unit
    if latitude is not None and longitude is not None:
        best = None
        for unit in (
            current_communes().exclude(latitude__isnull=True).only("id", "latitude", "longitude", "name")
        ):
            d = distance_m(latitude, longitude, unit.latitude, unit.longitude)
            if best is None or d < best[0]:
                best = (d, unit)
        if best is not None and best[0] < 30000:
            return best[1]
    return None


def city_unit() -> Unit:
    from motcua.org.selectors import province

    unit = province()
    if unit is None:
        raise FeedbackError("bad_unit", "province not loaded")
    return unit


def route(category: Category | None, ward: Unit | None) -> tuple[Unit, str]:
    """The responsible unit for a category at a place, and why (for the trace)."""
    if category is not None:
        rules = RoutingRule.objects.filter(active=True).filter(
            category__in=[category.pk]
        ) | RoutingRule.objects.filter(active=True, category__isnull=True)
        for rule in rules.select_related("target").order_by("priority", "pk"):
            if rule.ward_id and (ward is None or rule.ward_id != ward.pk):
                continue
            if rule.target_id:
                return rule.target, f"rule:{rule.pk}"
            if ward is not None:
                return ward, f"rule:{rule.pk}:ward"
        if category.route_to_ward and ward is not None:
            return ward, "category:ward"
        if category.default_unit_id:
            return category.default_unit, "category:default_unit"
    return city_unit(), "city:triage"


def reply_deadline(start: dt.date, category: Category | None) -> dt.date:
    days = category.reply_days if category else 10
    return calendar_for().add_working_days(start, days)


def _notify(report: Report, key: str, body: str, subject: str = "") -> None:
    """SMS to the reporter's phone, else e-mail. Idempotent per key."""
    if report.phone:
        queue_message(
            key=f"feedback:{report.pk}:{key}:sms",
            channel="sms",
            recipient=report.phone,
            body=body,
            unit_id=report.unit_id,
            obj=report,
        )
    elif report.email:
        queue_message(
            key=f"feedback:{report.pk}:{key}:email",
            channel="email",
            recipient=report.email,
            body=body,
            subject=subject or f"Phản ánh {report.code}",
            unit_id=report.unit_id,
            obj=report,
        )


def public_url(path: str) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path


def rating_url(report: Report) -> str:
    return public_url(f"/phan-anh/{report.code}/danh-gia/{report.rating_token}/")


# --- intake ----------------------------------------------------------------------------------------
def _validate_attributes(category: Category | None, attributes: dict | None, *, require: bool = True) -> dict:
    """Types are checked on every channel; required attributes only where the caller is told the contract
    (Open311 service definitions). A hotline call or an e-mail is never refused for a missing detail."""
    attributes = dict(attributes or {})
    if category is None:
        return attributes
    for attr in category.attributes or []:
        if not attr.get("variable", True):
            continue
        value = attributes.get(attr["code"])
        if require and attr.get("required") and (value is None or value == "" or value == []):
            raise FeedbackError("bad_attribute", str(attr["code"]))
        keys = {str(v["key"]) for v in attr.get("values", [])}
        if (
            value not in (None, "", [])
            and attr.get("datatype") == "singlevaluelist"
            and str(value) not in keys
        ):
            raise FeedbackError("bad_attribute", str(attr["code"]))
        if value not in (None, "", []) and attr.get("datatype") == "multivaluelist":
            values = value if isinstance(value, list) else [value]
            if any(str(v) not in keys for v in values):
                raise FeedbackError("bad_attribute", str(attr["code"]))
        if value not in (None, "") and attr.get("datatype") == "number":
            try:
                float(value)
            except (TypeError, ValueError):
                raise FeedbackError("bad_attribute", str(attr["code"])) from None
    return attributes


@transaction.atomic
def submit_report(
    *,
    channel: str,
    description: str,
    category_code: str | None = None,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    photo=None,
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    actor=None,
    now: dt.datetime | None = None,
    ward_code: str | None = None,
    external_id: str = "",
    attributes: dict | None = None,
    media_url: str = "",
    device_id: str = "",
    account_id: str = "",
) -> Report:
    """Register one report from any channel, route it, and queue the SMS receipt with its code."""
    description = (description or "").strip()
    if len(description) < 10:
        raise FeedbackError("description_required")
    if len(description) > 5000:
        raise FeedbackError("description_too_long")
    if channel not in Channel.values:
        raise FeedbackError("bad_channel")
    category = None
    if category_code:
        category = Category.objects.filter(code=category_code, active=True).first()
        if category is None:
            raise FeedbackError("unknown_category")
    phone = normalise_phone(phone)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise FeedbackError("bad_email") from None
    if latitude is not None or longitude is not None:
        try:
            latitude, longitude = float(latitude), float(longitude)
        except (TypeError, ValueError):
            raise FeedbackError("bad_location") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise FeedbackError("bad_location")
    photo = _check_photo(photo)
    attributes = _validate_attributes(category, attributes, require=channel in (Channel.OPEN311, Channel.API))

    ward = None
    if ward_code:
        from motcua.org.selectors import unit_by_code

        ward = unit_by_code(ward_code)
        if ward is None or ward.kind not in COMMUNE_LEVEL:
            raise FeedbackError("bad_unit")
    if ward is None:
        ward = resolve_ward(address, latitude, longitude)
    unit, reason = route(category, ward)

    moment = _now(now)
    day = timezone.localtime(moment).date()
    code = f"PA-{day:%y%m%d}-{next_sequence('PA', day):04d}"
    reporter = (
        actor
        if getattr(actor, "is_authenticated", False) and getattr(actor, "kind", "") == "citizen"
        else None
    )
    assigned = unit.kind != "province"
    report = Report(
        code=code,
        channel=channel,
        external_id=external_id[:255],
        contact_name=contact_name.strip()[:200],
        phone=phone,
        email=email,
        reporter=reporter,
        device_id=device_id[:100],
        account_id=account_id[:100],
        description=description,
        search_text=fold_text(description + " " + address)[:5000],
        address=address.strip()[:300],
        latitude=latitude,
        longitude=longitude,
        ward=ward,
        media_url=media_url[:500],
        attributes=attributes,
        category=category,
        classification=Classification.WITHIN_COMPETENCE if assigned and category else Classification.PENDING,
        status=ReportStatus.ASSIGNED if assigned else ReportStatus.RECEIVED,
        unit=unit,
        received_at=moment,
        deadline=reply_deadline(day, category),
    )
    if photo:
        report.photo = photo
    report.save()
    staff_actor = actor if getattr(actor, "is_authenticated", False) and reporter is None else None
    record_event(
        report,
        events.RECEIVED,
        actor=staff_actor or _label(actor) or channel,
        at=moment,
        data={"channel": channel},
    )
    record_event(
        report,
        events.ROUTED,
        actor="system",
        to_unit=unit,
        note=reason,
        at=moment,
        data={"ward": ward.code if ward else None},
    )
    audit.record(
        "feedback.report_received",
        actor=actor,
        obj=report,
        after={
            "code": code,
            "channel": channel,
            "unit": unit.code,
            "category": category_code,
            "route": reason,
        },
    )
    _notify(
        report,
        "receipt",
        f"Đã tiếp nhận phản ánh {code}. Tra cứu: {public_url('/phan-anh/' + code + '/')}. "
        f"Hạn trả lời: {report.deadline:%d/%m/%Y}.",
    )
    return report


# --- access --------------------------------------------------------------------------------------
def _locked(report: Report, actor: Any, roles: tuple) -> Report:
    """Lock the row for a change, after checking the actor may act on it with one of `roles`."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise FeedbackError("forbidden")
    row = Report.objects.editable_by(actor).select_for_update().filter(pk=report.pk).first()
    if row is None or not actor.can_act_in(row.unit, *roles):
        raise FeedbackError("forbidden")
    return row


# --- classification, transfer ---------------------------------------------------------------------
@transaction.atomic
def classify(
    report: Report,
    *,
    actor,
    classification: str,
    category_code: str | None = None,
    to_unit: Unit | None = None,
    reason: str = "",
    multi_agency: bool = False,
    now: dt.datetime | None = None,
) -> Report:
    """Apply an NĐ 20/2008 class; 'outside' transfers to `to_unit`; 'not_accepted' closes with reasons."""
    report = _locked(report, actor, HANDLER_ROLES)
    if report.status not in OPEN_STATUSES:
        raise FeedbackError("bad_state")
    if classification not in Classification.values or not classification:
        raise FeedbackError("bad_classification")
    before = {
        "classification": report.classification,
        "category": report.category_id,
        "status": report.status,
    }
    if category_code:
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            raise FeedbackError("unknown_category")
        report.category = category
        report.deadline = reply_deadline(timezone.localtime(report.received_at).date(), category)
    if multi_agency and report.category:
        report.deadline = calendar_for().add_working_days(
            timezone.localtime(report.received_at).date(), report.category.multi_agency_deadline_days
        )
    report.classification = classification
    if classification == Classification.NOT_ACCEPTED:
        if not reason.strip():
            raise FeedbackError("reason_required")
        report.status = ReportStatus.NOT_ACCEPTED
        report.status_note = reason.strip()[:500]
        report.closed_at = _now(now)
        report.save()
        record_event(report, events.NOT_ACCEPTED, actor=actor, note=reason, at=now)
        _notify(report, "not_accepted", f"Phản ánh {report.code} không được tiếp nhận. Lý do: {reason}")
    elif classification == Classification.OUTSIDE_COMPETENCE:
        if to_unit is None:
            raise FeedbackError("bad_unit")
        report.transfer_deadline = calendar_for().add_working_days(
            timezone.localtime(report.received_at).date(), TRANSFER_DAYS
        )
        report.save()
        record_event(
            report,
            events.CLASSIFIED,
            actor=actor,
            note=reason,
            at=now,
            data={"classification": classification},
        )
        _transfer(report, actor=actor, to_unit=to_unit, reason=reason or "Không thuộc thẩm quyền", now=now)
    else:
        if report.status == ReportStatus.RECEIVED:
            report.status = ReportStatus.ASSIGNED
        report.save()
        record_event(
            report,
            events.CLASSIFIED,
            actor=actor,
            note=reason,
            at=now,
            data={"classification": classification},
        )
    audit.record(
        "feedback.report_classified",
        actor=actor,
        obj=report,
        before=before,
        after={
            "classification": report.classification,
            "category": report.category_id,
            "status": report.status,
        },
    )
    return report


def _transfer(report: Report, *, actor, to_unit: Unit, reason: str, now=None) -> None:
    if to_unit.valid_to is not None:
        to_unit = to_unit.resolve()
    if to_unit.pk == report.unit_id:
        raise FeedbackError("same_unit")
    from_unit = report.unit
    report.unit = to_unit
    report.escalation_level = 0
    if report.status == ReportStatus.RECEIVED:
        report.status = ReportStatus.ASSIGNED
    report.save()
    record_event(
        report, events.TRANSFERRED, actor=actor, from_unit=from_unit, to_unit=to_unit, note=reason, at=now
    )
    audit.record(
        "feedback.report_transferred",
        actor=actor,
        obj=report,
        unit_id=from_unit.pk,
        before={"unit": from_unit.code},
        after={"unit": to_unit.code, "reason": reason},
    )


@transaction.atomic
def transfer(report: Report, *, actor, to_unit: Unit, reason: str, now: dt.datetime | None = None) -> Report:
    """Hand a report to another unit or agency, with written reasons (kept in the trace)."""
    report = _locked(report, actor, HANDLER_ROLES)
    if report.status not in OPEN_STATUSES:
        raise FeedbackError("bad_state")
    if not (reason or "").strip():
        raise FeedbackError("reason_required")
    if to_unit is None or to_unit.kind == "district":
        raise FeedbackError("bad_unit")
    _transfer(report, actor=actor, to_unit=to_unit, reason=reason.strip(), now=now)
    return report


# --- answers -----------------------------------------------------------------------------------------
_ID_RE = re.compile(r"(?<!\d)\d{12}(?!\d)|(?<!\d)\d{9}(?!\d)")
_PHONE_RE = re.compile(r"(?<![\d])(?:\+84|84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str, names: list[str] | tuple[str, ...] = ()) -> str:
    """Remove personal data before publishing: e-mails, ID numbers, phone numbers, reporters' names."""
    text = _EMAIL_RE.sub("[thư điện tử]", text or "")
    text = _ID_RE.sub("[số định danh]", text)
    text = _PHONE_RE.sub("[số điện thoại]", text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(name), "[người phản ánh]", text, flags=re.IGNORECASE)
    return text


def _reporter_names(report: Report) -> list[str]:
    names = [report.contact_name]
    if report.reporter_id:
        names.append(report.reporter.full_name)
    names += list(report.duplicates.values_list("contact_name", flat=True))
    return [n for n in names if n]


@transaction.atomic
def draft_answer(report: Report, *, actor, body: str, now: dt.datetime | None = None) -> Answer:
    """The unit's answer, waiting for its leader's approval."""
    report = _locked(report, actor, DRAFTER_ROLES)
    if report.status not in (ReportStatus.ASSIGNED, ReportStatus.REOPENED, ReportStatus.AWAITING_APPROVAL):
        raise FeedbackError("bad_state")
    body = (body or "").strip()
    if len(body) < 5:
        raise FeedbackError("answer_required")
    Answer.objects.filter(report=report, status=Answer.Status.DRAFT).update(status=Answer.Status.RETURNED)
    answer = Answer.objects.create(
        report=report, round=report.reopen_count + 1, body=body, drafted_by=actor, drafted_at=_now(now)
    )
    report.status = ReportStatus.AWAITING_APPROVAL
    if not report.classification:
        report.classification = Classification.WITHIN_COMPETENCE
    report.save()
    record_event(
        report, events.ANSWER_DRAFTED, actor=actor, at=now, data={"answer": answer.pk, "round": answer.round}
    )
    audit.record("feedback.answer_drafted", actor=actor, obj=report, after={"answer": answer.pk})
    return answer


@transaction.atomic
def return_answer(answer: Answer, *, actor, note: str, now: dt.datetime | None = None) -> Answer:
    report = _locked(answer.report, actor, (Role.UNIT_LEADER,))
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.status != Answer.Status.DRAFT or report.status != ReportStatus.AWAITING_APPROVAL:
        raise FeedbackError("bad_state")
    if not (note or "").strip():
        raise FeedbackError("reason_required")
    answer.status = Answer.Status.RETURNED
    answer.leader_note = note.strip()
    answer.save()
    report.status = ReportStatus.REOPENED if report.reopen_count else ReportStatus.ASSIGNED
    report.save()
    record_event(report, events.ANSWER_RETURNED, actor=actor, note=note, at=now)
    audit.record(
        "feedback.answer_returned", actor=actor, obj=report, after={"answer": answer.pk, "note": note}
    )
    return answer


@transaction.atomic
def approve_answer(answer: Answer, *, actor, now: dt.datetime | None = None) -> Answer:
    """The leader approves: the answer is published without personal data and every reporter is told."""
    report = _locked(answer.report, actor, (Role.UNIT_LEADER,))
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.status != Answer.Status.DRAFT or report.status != ReportStatus.AWAITING_APPROVAL:
        raise FeedbackError("bad_state")
    moment = _now(now)
    answer.status = Answer.Status.PUBLISHED
    answer.approved_by = actor
    answer.published_at = moment
    answer.public_body = redact(answer.body, _reporter_names(report))
    answer.save()
    report.status = ReportStatus.ANSWERED
    report.public_answer = answer.public_body
    report.answered_at = moment
    report.answered_late = bool(report.deadline and timezone.localtime(moment).date() > report.deadline)
    report.rating_token = secrets.token_urlsafe(24)
    report.save()
    record_event(
        report,
        events.ANSWER_PUBLISHED,
        actor=actor,
        at=moment,
        data={"answer": answer.pk, "round": answer.round, "late": report.answered_late},
    )
    audit.record(
        "feedback.answer_published",
        actor=actor,
        obj=report,
        after={"answer": answer.pk, "round": answer.round, "late": report.answered_late},
    )
    _tell_reporters(report, f"answer{answer.round}")
    return answer


def _tell_reporters(report: Report, key: str) -> None:
    """The answer goes to the reporter and to every reporter of a merged duplicate."""
    body = f"Phản ánh {report.code} đã có trả lời. Xem và đánh giá: {rating_url(report)}"
    _notify(report, key, body)
    for dup in report.duplicates.filter(status=ReportStatus.MERGED):
        _notify(
            dup,
            f"{key}:via:{report.pk}",
            f"Phản ánh {dup.code} (gộp với {report.code}) đã có trả lời: "
            f"{public_url('/phan-anh/' + report.code + '/')}",
        )


# --- citizen's rating and reopening ----------------------------------------------------------------
def _by_token(report: Report, token: str) -> Report:
    row = Report.objects.select_for_update().filter(pk=report.pk).first()
    if row is None or not token or not secrets.compare_digest(row.rating_token, token):
        raise FeedbackError("bad_token")
    return row


@transaction.atomic
def rate(
    report: Report, *, token: str, score: int, comment: str = "", now: dt.datetime | None = None
) -> Rating:
    report = _by_token(report, token)
    if report.status not in (ReportStatus.ANSWERED, ReportStatus.CLOSED):
        raise FeedbackError("bad_state")
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise FeedbackError("bad_score") from None
    if not 1 <= score <= 5:
        raise FeedbackError("bad_score")
    answer = report.answers.filter(status=Answer.Status.PUBLISHED).order_by("-round", "-pk").first()
    rating, _created = Rating.objects.update_or_create(
        report=report,
        answer=answer,
        defaults={"score": score, "comment": comment.strip()[:2000], "at": _now(now)},
    )
    report.satisfaction = score
    if score >= 4:
        report.status = ReportStatus.CLOSED
        report.closed_at = _now(now)
    report.save()
    record_event(report, events.RATED, actor="reporter", at=now, data={"score": score}, note=comment[:500])
    audit.record("feedback.answer_rated", actor="reporter", obj=report, after={"score": score})
    return rating


@transaction.atomic
def reopen(report: Report, *, token: str, reason: str, now: dt.datetime | None = None) -> Report:
    """'Chưa được giải quyết': back to the same unit with the history and a new reply deadline."""
    report = _by_token(report, token)
    if report.status not in (ReportStatus.ANSWERED, ReportStatus.CLOSED):
        raise FeedbackError("bad_state")
    if not (reason or "").strip():
        raise FeedbackError("reason_required")
    before = {"status": report.status, "deadline": report.deadline}
    report.status = ReportStatus.REOPENED
    report.reopen_count += 1
    report.escalation_level = 0
    report.closed_at = None
    report.deadline = reply_deadline(_today(now), report.category)
    report.save()
    record_event(
        report,
        events.REOPENED,
        actor="reporter",
        note=reason.strip(),
        at=now,
        data={"round": report.reopen_count + 1, "deadline": report.deadline.isoformat()},
    )
    audit.record(
        "feedback.report_reopened",
        actor="reporter",
        obj=report,
        before=before,
        after={"status": report.status, "deadline": report.deadline},
    )
    return report


# --- duplicates ------------------------------------------------------------------------------------
@transaction.atomic
def merge(report: Report, *, into: Report, actor, now: dt.datetime | None = None) -> Report:
    """Mark `report` as a duplicate of `into`; its reporter is told when `into` is answered."""
    report = _locked(report, actor, HANDLER_ROLES)
    target = Report.objects.visible_to(actor).select_for_update().filter(pk=into.pk).first()
    if (
        target is None
        or target.pk == report.pk
        or target.status == ReportStatus.MERGED
        or report.status not in OPEN_STATUSES
        or report.duplicates.exists()
    ):
        raise FeedbackError("bad_merge")
    report.status = ReportStatus.MERGED
    report.duplicate_of = target
    report.closed_at = _now(now)
    report.save()
    record_event(report, events.MERGED_INTO, actor=actor, at=now, data={"into": target.code})
    record_event(target, events.MERGED, actor=actor, at=now, data={"duplicate": report.code})
    audit.record("feedback.report_merged", actor=actor, obj=report, after={"into": target.code})
    if target.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED):
        _notify(
            report,
            f"merged-answered:{target.pk}",
            f"Phản ánh {report.code} trùng với {target.code}, đã có trả lời: "
            f"{public_url('/phan-anh/' + target.code + '/')}",
        )
    else:
        _notify(
            report,
            f"merged:{target.pk}",
            f"Phản ánh {report.code} được gộp với {target.code}; bạn sẽ nhận trả lời khi có kết quả.",
        )
    return report


# --- escalation ------------------------------------------------------------------------------------
def _leaders(unit: Unit):
    from motcua.org.models import User

    return User.objects.filter(
        roles__unit=unit, roles__role=Role.UNIT_LEADER, roles__active=True, is_active=True
    )


def escalate_due(now: dt.datetime | None = None, *, batch: int = 2000) -> int:
    """Level 1 (unit leader) when the reply deadline is 2 working days away or less; level 2 (the city)
    once it has passed. Idempotent: each level is raised once per round. Works in batches (one UPDATE, one
    bulk insert of trace events, one audit entry and one digest e-mail per unit and leader)."""
    from django.db.models import Q

    today = _today(now)
    moment = _now(now)
    cal = calendar_for()
    soon = today
    for _i in range(ESCALATE_BEFORE_DAYS):
        soon = cal.next_working_day(soon)
    city = city_unit()
    city_leaders = list(_leaders(city).exclude(email=""))
    total = 0
    plan = (
        (2, Q(deadline__lt=today, escalation_level__lt=2)),
        (1, Q(deadline__gte=today, deadline__lte=soon, escalation_level__lt=1)),
    )
    for level, condition in plan:
        while True:
            with transaction.atomic():
                rows = list(
                    Report.objects.open()
                    .filter(condition)
                    .select_for_update()
                    .order_by("pk")
                    .values("pk", "code", "unit_id", "deadline", "escalation_level")[:batch]
                )
                if not rows:
                    break
                Report.objects.filter(pk__in=[r["pk"] for r in rows]).update(
                    escalation_level=level, updated_at=moment
                )
                events_ = []
                by_unit: dict[int, list[dict]] = {}
                for row in rows:
                    if level == 1:
                        left = cal.working_days_between(today, row["deadline"])
                        note = f"Còn {left} ngày làm việc đến hạn {row['deadline']:%d/%m/%Y}"
                    else:
                        note = f"Quá hạn trả lời ({row['deadline']:%d/%m/%Y})"
                    events_.append(
                        ReportEvent(
                            report_id=row["pk"],
                            kind=events.ESCALATED,
                            actor_label="system",
                            at=moment,
                            to_unit_id=row["unit_id"] if level == 1 else city.pk,
                            note=note,
                            data={"level": level},
                        )
                    )
                    by_unit.setdefault(row["unit_id"], []).append(row)
                ReportEvent.objects.bulk_create(events_)
                for unit_id, unit_rows in by_unit.items():
                    codes = [r["code"] for r in unit_rows]
                    audit.record(
                        "feedback.reports_escalated",
                        actor="system",
                        object_type="feedback.report",
                        object_id=f"{codes[0]}+{len(codes) - 1}" if len(codes) > 1 else codes[0],
                        unit_id=unit_id,
                        before={"levels": [r["escalation_level"] for r in unit_rows]},
                        after={"level": level, "codes": codes},
                    )
                    recipients = (
                        city_leaders if level == 2 else list(_leaders(Unit(pk=unit_id)).exclude(email=""))
                    )
                    body = (
                        ("Phản ánh sắp đến hạn trả lời: " if level == 1 else "Phản ánh quá hạn trả lời: ")
                        + ", ".join(codes[:50])
                        + (f" (và {len(codes) - 50} phản ánh khác)" if len(codes) > 50 else "")
                        + f". {public_url('/staff/feedback/')}"
                    )
                    for leader in recipients:
                        queue_message(
                            key=f"feedback:esc{level}:{unit_id}:{today}:{codes[0]}:{len(codes)}:{leader.pk}",
                            channel="email",
                            recipient=leader.email,
                            unit_id=unit_id,
                            body=body,
                            subject=f"Nhắc hạn {len(codes)} phản ánh",
                        )
                total += len(rows)
    return total + _escalate_triage(moment, city, city_leaders)


TRIAGE_HOURS = 1  # HCMC 1022: unclear competence is resolved within one working hour


def _escalate_triage(moment: dt.datetime, city: Unit, leaders: list) -> int:
    """Reports still at the city for triage one working hour after receipt are raised to its leaders."""
    cal = calendar_for()
    schedule = city.schedule
    count = 0
    waiting = Report.objects.filter(
        status=ReportStatus.RECEIVED,
        unit=city,
        escalation_level=0,
        received_at__lte=moment - dt.timedelta(hours=TRIAGE_HOURS),
    )
    for report in waiting.order_by("pk")[:2000]:
        if cal.add_working_hours(report.received_at, TRIAGE_HOURS, schedule) > moment:
            continue
        with transaction.atomic():
            if not Report.objects.filter(
                pk=report.pk, status=ReportStatus.RECEIVED, escalation_level=0
            ).update(escalation_level=1, updated_at=moment):
                continue
            record_event(
                report,
                events.ESCALATED,
                actor="system",
                to_unit=city,
                at=moment,
                data={"level": 1},
                note="Chưa xác định được thẩm quyền sau 1 giờ làm việc",
            )
            audit.record(
                "feedback.report_escalated",
                actor="system",
                obj=report,
                before={"level": 0},
                after={"level": 1, "reason": "triage"},
            )
            for leader in leaders:
                queue_message(
                    key=f"feedback:{report.pk}:triage:{leader.pk}",
                    channel="email",
                    recipient=leader.email,
                    unit_id=city.pk,
                    subject=f"Phản ánh {report.code} chưa phân loại",
                    body=f"{report.code} chưa xác định được đơn vị xử lý sau 1 giờ làm việc. "
                    f"{public_url('/staff/feedback/' + report.code + '/')}",
                )
        count += 1
    return count


# --- Open311 keys --------------------------------------------------------------------------------
@transaction.atomic
def create_api_key(name: str, raw: str | None = None, *, actor=None) -> tuple[ApiKey, str]:
    raw = raw or secrets.token_urlsafe(32)
    key, created = ApiKey.objects.get_or_create(
        key_hash=hash_key(raw), defaults={"name": name, "prefix": raw[:6]}
    )
    if created:
        audit.record("feedback.api_key_created", actor=actor or "system", obj=key, after={"name": name})
    return key, raw
