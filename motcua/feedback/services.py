"""Every write on feedback, as one function per business action. Each goes through
`workflow.perform` (table check, lock, status from the table, audit, outbox in the same transaction);
this module keeps the call shapes views, commands, the demo and other apps use."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction

from motcua.core import audit
from motcua.feedback.escalation import escalate_due
from motcua.feedback.intake import (
    city_unit,
    distance_m,
    fold_text,
    normalise_phone,
    reply_deadline,
    resolve_ward,
    route,
)
from motcua.feedback.models import Answer, ApiKey, Classification, Rating, Report, hash_key
from motcua.feedback.notifications import public_url, rating_url, tracking_url
from motcua.feedback.redaction import redact
from motcua.feedback.selectors import reports_by_phone
from motcua.feedback.trace import record_event
from motcua.feedback.workflow import (
    DRAFTER_ROLES,
    HANDLER_ROLES,
    INTAKE_ROLES,
    Action,
    on_transition,
    perform,
)
from motcua.org.models import Unit

__all__ = [
    "DRAFTER_ROLES",
    "HANDLER_ROLES",
    "INTAKE_ROLES",
    "add_note",
    "approve_answer",
    "city_unit",
    "classify",
    "create_api_key",
    "distance_m",
    "draft_answer",
    "escalate_due",
    "fold_text",
    "lookup_caller",
    "merge",
    "on_transition",
    "normalise_phone",
    "public_url",
    "rate",
    "rating_url",
    "record_event",
    "redact",
    "reopen",
    "reply_deadline",
    "resolve_ward",
    "return_answer",
    "route",
    "submit_or_get",
    "submit_report",
    "tracking_url",
    "transfer",
]


def submit_or_get(*, actor: Any = None, **fields: Any) -> tuple[Report, bool]:
    """File a report from any channel; the same channel and external id twice gives the first report.

    Returns (report, created)."""
    report = perform(None, Action.SUBMIT, actor, **fields)
    return report, bool(getattr(report, "created", False))


def submit_report(*, actor: Any = None, **fields: Any) -> Report:
    return submit_or_get(actor=actor, **fields)[0]


def classify(
    report: Report,
    *,
    actor: Any,
    classification: str,
    category_code: str | None = None,
    to_unit: Unit | None = None,
    reason: str = "",
    multi_agency: bool = False,
    now: dt.datetime | None = None,
) -> Report:
    """Apply an NĐ 20/2008 class: 'not_accepted' closes with reasons, 'outside' transfers to `to_unit`;
    the others keep the report here (one table action each)."""
    if classification == Classification.NOT_ACCEPTED:
        return perform(report, Action.NOT_ACCEPT, actor, reason=reason, now=now)
    if classification == Classification.OUTSIDE_COMPETENCE:
        return perform(
            report, Action.TRANSFER, actor, to_unit=to_unit, reason=reason, outside_competence=True, now=now
        )
    return perform(
        report,
        Action.CLASSIFY,
        actor,
        classification=classification,
        category_code=category_code,
        reason=reason,
        multi_agency=multi_agency,
        now=now,
    )


def transfer(
    report: Report, *, actor: Any, to_unit: Unit, reason: str, now: dt.datetime | None = None
) -> Report:
    """Hand a report to another unit or agency, with written reasons (kept in the trace)."""
    return perform(report, Action.TRANSFER, actor, to_unit=to_unit, reason=reason, now=now)


def add_note(report: Report, *, actor: Any, text: str, now: dt.datetime | None = None) -> Report:
    """A note in the trace; never changes the status, the class, the unit, nor tells the reporter."""
    return perform(report, Action.NOTE, actor, text=text, now=now)


def draft_answer(report: Report, *, actor: Any, body: str, now: dt.datetime | None = None) -> Answer:
    """The unit's answer, waiting for its leader's approval."""
    return perform(report, Action.DRAFT_ANSWER, actor, body=body, now=now)


def return_answer(answer: Answer, *, actor: Any, note: str, now: dt.datetime | None = None) -> Answer:
    return perform(answer.report, Action.RETURN_ANSWER, actor, answer=answer, note=note, now=now)


def approve_answer(answer: Answer, *, actor: Any, now: dt.datetime | None = None) -> Answer:
    """The leader approves: the answer is published without personal data and every reporter is told."""
    return perform(answer.report, Action.APPROVE_ANSWER, actor, answer=answer, now=now)


def rate(
    report: Report, *, token: str, score: Any, comment: str = "", now: dt.datetime | None = None
) -> Rating:
    return perform(report, Action.RATE, "reporter", token=token, score=score, comment=comment, now=now)


def reopen(report: Report, *, token: str, reason: str, now: dt.datetime | None = None) -> Report:
    """'Chưa được giải quyết': back to the same unit with the history and a new reply deadline."""
    return perform(report, Action.REOPEN, "reporter", token=token, reason=reason, now=now)


def merge(report: Report, *, into: Report, actor: Any, now: dt.datetime | None = None) -> Report:
    """Mark `report` as a duplicate of `into`; its reporter is told when `into` is answered."""
    return perform(report, Action.MERGE, actor, into=into, now=now)


def lookup_caller(phone: str, *, actor: Any, purpose: str) -> list[Report]:
    """The caller's earlier reports in the operator's scope; every look-up is audited with its purpose."""
    found = list(reports_by_phone(phone, actor))
    digits = "".join(c for c in phone if c.isdigit())
    audit.record(
        "feedback.phone_lookup",
        actor=actor,
        object_type="feedback.report",
        object_id="",
        purpose=purpose,
        after={"phone": ("*" * max(0, len(digits) - 3)) + digits[-3:], "found": [r.code for r in found]},
    )
    return found


# --- Open311 keys --------------------------------------------------------------------------------
@transaction.atomic
def create_api_key(name: str, raw: str | None = None, *, actor: Any = None) -> tuple[ApiKey, str]:
    raw = raw or secrets.token_urlsafe(32)
    key, created = ApiKey.objects.get_or_create(
        key_hash=hash_key(raw), defaults={"name": name, "prefix": raw[:6]}
    )
    if created:
        audit.record("feedback.api_key_created", actor=actor or "system", obj=key, after={"name": name})
    return key, raw
