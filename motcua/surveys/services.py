"""Satisfaction ratings: submit or edit one rating per dossier; signed links for SMS invitations."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import audit, links, ratelimit
from motcua.core.notify import queue_message
from motcua.dossiers import selectors as dossier_selectors
from motcua.org.models import UserKind
from motcua.surveys import selectors
from motcua.surveys.errors import SurveyError
from motcua.surveys.models import Answer, Channel, Question, Rating

TOKEN_SALT = "motcua.surveys.rate"
DEFAULT_QUESTIONS = [
    ("service", "Ông/bà hài lòng với việc giải quyết hồ sơ này ở mức nào?", "service", 1),
    ("time", "Thời gian giải quyết có đúng như giấy hẹn không?", "service", 2),
    ("attitude", "Thái độ phục vụ của cán bộ như thế nào?", "officer", 3),
]


def ensure_default_questions() -> list[Question]:
    """Install the default questions when none exist (a fresh or flushed database); else change nothing."""
    if not Question.objects.exists():
        with transaction.atomic():
            for code, text, subject, order in DEFAULT_QUESTIONS:
                Question.objects.get_or_create(
                    code=code, defaults={"text": text, "subject": subject, "order": order}
                )
    return selectors.active_questions()


def make_token(dossier_code: str) -> str:
    return signing.dumps({"d": dossier_code}, salt=TOKEN_SALT, compress=True)


def check_token(token: str, dossier_code: str) -> bool:
    max_age = settings.SURVEYS_LINK_DAYS * 86400
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return False
    return data.get("d") == dossier_code


def applicant_facts(
    dossier_code: str, *, user=None, token: str = "", receipt_key: str = ""
) -> selectors.DossierFacts | None:
    """The dossier's facts when the caller is its applicant, else None (the same for an unknown code).

    The applicant is the signed-in citizen who owns the dossier, or whoever holds the SMS invitation's
    signed link or the receipt's key (dossiers.receipts). A dossier code alone proves nothing.
    """
    code = (dossier_code or "").strip()
    holds_secret = (bool(token) and check_token(token, code)) or (
        bool(receipt_key) and dossier_selectors.check_receipt_key(code, receipt_key)
    )
    is_citizen = user is not None and user.is_authenticated and user.kind == UserKind.CITIZEN
    if not code or not (holds_secret or is_citizen):
        return None
    facts = selectors.dossier_facts(code)
    if facts is None or not (holds_secret or facts.citizen_id == user.pk):
        return None
    return facts


def rating_link(dossier_code: str) -> str:
    """The SMS link: opens the rating form for this dossier, allowed to edit for the edit window."""
    return links.public_url(f"/danh-gia/{dossier_code}/?t={make_token(dossier_code)}")


def invite_by_sms(dossier_code: str) -> bool:
    """Queue the rating invitation SMS (once per dossier) to the applicant's phone. False if not possible."""
    facts = selectors.dossier_facts(dossier_code)
    if facts is None or not facts.applicant_phone or facts.status not in selectors.RATEABLE_STATUSES:
        return False
    link = rating_link(dossier_code)
    body = _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà đánh giá mức độ hài lòng: %(link)s") % {
        "code": dossier_code,
        "link": link,
    }
    with transaction.atomic():
        message = queue_message(
            key=f"surveys.invite.{facts.id}",
            channel="sms",
            recipient=facts.applicant_phone,
            body=body,
            secret=link.rsplit("?t=", 1)[1],  # the signed token: masked in the outbox
            unit_id=facts.unit_id,
        )
    return message is not None


def _clean_answers(questions: list[Question], answers: dict) -> dict[int, int]:
    clean: dict[int, int] = {}
    for q in questions:
        raw = answers.get(q.code, answers.get(str(q.pk)))
        if raw in (None, ""):
            if q.required:
                raise SurveyError("answer_missing", question=q.text)
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise SurveyError("answer_invalid") from None
        if not 1 <= value <= 5:
            raise SurveyError("answer_invalid")
        clean[q.pk] = value
    return clean


@transaction.atomic
def submit_rating(
    *,
    dossier_code: str,
    answers: dict,
    comment: str = "",
    channel: str,
    citizen=None,
    token: str = "",
    receipt_key: str = "",
) -> Rating:
    """Create the dossier's rating, or edit it inside the edit window: only its applicant may do either.

    The caller proves being the applicant as `applicant_facts` says (signed-in owner `citizen`, SMS link
    `token` or `receipt_key`). `answers` maps question code -> 1..5. Raises SurveyError (nothing changed).
    """
    if channel not in Channel.values:
        channel = Channel.QR
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise SurveyError("comment_too_long")
    facts = applicant_facts(dossier_code, user=citizen, token=token, receipt_key=receipt_key)
    if facts is None:
        raise SurveyError("not_applicant")
    if facts.status not in selectors.RATEABLE_STATUSES:
        raise SurveyError("no_result_yet")
    questions = ensure_default_questions()
    clean = _clean_answers(questions, answers)
    if not clean:
        raise SurveyError("answer_missing", question=questions[0].text if questions else "")
    score = (Decimal(sum(clean.values())) / len(clean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    now = timezone.now()
    rating = Rating.objects.select_for_update().filter(dossier_code=facts.code).first()
    actor = (
        citizen
        if citizen is not None and getattr(citizen, "is_authenticated", False)
        else f"citizen:{channel}"
    )
    if rating is not None:
        if now > rating.editable_until:
            raise SurveyError("edit_closed")
        before = {
            "score": str(rating.score),
            "comment": rating.comment,
            "answers": {a.question.code: a.value for a in rating.answers.select_related("question")},
        }
        rating.answers.all().delete()
        rating.comment = comment
        rating.score = score
        rating.satisfied = score >= selectors.satisfied_min()
        rating.save()
        action = "surveys.rating_updated"
    else:
        before = None
        rating = Rating.objects.create(
            dossier_code=facts.code,
            dossier_id=facts.id,
            procedure_code=facts.procedure_code,
            unit_id=facts.unit_id,
            officer_id=facts.officer_id,
            citizen=citizen if citizen is not None and getattr(citizen, "is_authenticated", False) else None,
            channel=channel,
            comment=comment,
            score=score,
            satisfied=score >= selectors.satisfied_min(),
            editable_until=now + dt.timedelta(hours=selectors.edit_hours()),
        )
        action = "surveys.rating_created"
    Answer.objects.bulk_create([Answer(rating=rating, question_id=qid, value=v) for qid, v in clean.items()])
    by_id = {q.pk: q.code for q in questions}
    audit.record(
        action,
        actor=actor,
        obj=rating,
        unit_id=rating.unit_id,
        before=before,
        after={
            "score": str(score),
            "comment": comment,
            "channel": channel,
            "answers": {by_id[k]: v for k, v in clean.items()},
        },
    )
    return rating


def invite_recent(hours: int = 48) -> int:
    """Queue the rating SMS for dossiers returned in the last `hours` and not yet rated (outbox key dedups)."""
    since = timezone.now() - dt.timedelta(hours=hours)
    codes = (
        dossier_selectors.system_dossiers()
        .filter(status="returned", returned_at__gte=since)
        .exclude(code__in=Rating.objects.values("dossier_code"))
        .values_list("code", flat=True)[:1000]
    )
    return sum(1 for code in codes if invite_by_sms(code))


# --- the rating page's flow, shared by /danh-gia/ (surveys.views) and the kiosk (portal.kiosk) ------
PROOF_SESSION_KEY = "surveys_proof"
SCALE = [
    (5, gettext_lazy("Rất hài lòng")),
    (4, gettext_lazy("Hài lòng")),
    (3, gettext_lazy("Bình thường")),
    (2, gettext_lazy("Không hài lòng")),
    (1, gettext_lazy("Rất không hài lòng")),
]


def _offered_proof(request: HttpRequest) -> dict[str, str]:
    """The SMS link's token (`t`) or the receipt key (`k`) sent with this request."""
    data = request.POST if request.method == "POST" else request.GET
    return {"token": (data.get("t") or "").strip(), "receipt_key": (data.get("k") or "").strip()}


def _proof(request: HttpRequest, code: str, offered: dict[str, str]) -> dict[str, str]:
    remembered = request.session.get(PROOF_SESSION_KEY, {}).get(code, {})
    return {name: offered[name] or remembered.get(name, "") for name in offered}


def _remember_proof(request: HttpRequest, code: str, proof: dict[str, str]) -> None:
    """Keep a proof that worked for this session (the kiosk's reset forgets it), so the form can post."""
    remembered = dict(request.session.get(PROOF_SESSION_KEY, {}))
    remembered.pop(code, None)
    remembered[code] = {name: value for name, value in proof.items() if value}
    request.session[PROOF_SESSION_KEY] = dict(list(remembered.items())[-20:])


def rating_context(request: HttpRequest, code: str, *, channel: str) -> dict[str, Any]:
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
    facts = applicant_facts(code, user=request.user, **proof)
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
        "questions": ensure_default_questions(),
        "rating": rating,
        "values": {a.question.code: a.value for a in rating.answers.all()} if rating else {},
        "comment": rating.comment if rating else "",
        "can_rate": facts.status in selectors.RATEABLE_STATUSES,
    }


def handle_rating_post(request: HttpRequest, ctx: dict[str, Any]) -> tuple[bool, str]:
    """Validate and save a posted rating; (ok, message). `ctx` comes from `rating_context`."""
    answers = {q.code: request.POST.get(f"q_{q.code}", "") for q in ctx["questions"]}
    try:
        submit_rating(
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


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
