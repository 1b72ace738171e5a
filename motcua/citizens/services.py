"""Look-ups in the population registry: permission, purpose, the call, the message log. And auto-fill.

`lookup_person()` is what intake screens, the portal and the civil-status screens call. It never raises for
an invalid ID, a refusal, a person not found or a slow/absent registry: it returns `ok=False` with a
Vietnamese reason, so the officer goes on by manual entry and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.citizens import errors
from motcua.citizens.connector import (
    SERVICES,
    PopulationRegistry,
    Purpose,
    RegistryResponse,
    default_registry,
)
from motcua.citizens.errors import CitizensError
from motcua.citizens.models import (
    IntakeOutcome,
    IntakeSession,
    LookupStatus,
    PrefillConsent,
    RegistryLogHead,
    RegistryMessage,
)
from motcua.citizens.selectors import ALL_FIELDS, SHARED_FIELD_NAMES, dossier_for_staff, dossier_person_ids
from motcua.citizens.validation import validate_personal_id
from motcua.core import audit
from motcua.core.models import AuditEntry
from motcua.core.notify import queue_message
from motcua.org.actors import Actor, kind_of, signed_in
from motcua.org.models import ACTING_KINDS

GENESIS = "0" * 64

# Which registry services each role may call (per-service, per-role permission; X-Road access rights).
DEFAULT_ROLE_SERVICES: dict[str, tuple[str, ...]] = {
    "desk_officer": ("identity", "residence"),
    "specialist": ("identity", "residence", "family", "marital-status"),
    "unit_leader": ("identity", "residence", "family", "marital-status"),
    "clerk": (),
    "hotline_operator": (),
    "unit_admin": (),
    "province_admin": (),
    "auditor": (),
}
CITIZEN_SERVICES = ("identity", "residence", "family", "marital-status")  # their own data, with consent


@dataclass
class LookupResult:
    ok: bool
    fields: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    code: str = ""
    services: list[str] = field(default_factory=list)
    message_ids: list[int] = field(default_factory=list)

    @property
    def shared(self) -> dict[str, Any]:
        return {k: self.fields.get(k, "") for k in SHARED_FIELD_NAMES}


def role_services() -> dict[str, tuple[str, ...]]:
    return settings.MOTCUA_REGISTRY_PERMISSIONS or DEFAULT_ROLE_SERVICES


def allowed_services(actor: Actor | None) -> list[str]:
    if not signed_in(actor) or not actor.is_active:
        return []
    if getattr(actor, "kind", "") == "citizen":
        return list(CITIZEN_SERVICES)
    if kind_of(actor) not in ACTING_KINDS:  # officers, and connected systems acting in their roles
        return []
    table = role_services()
    allowed: set[str] = set()
    for role in actor.role_names():
        allowed.update(table.get(role, ()))
    return [s for s in SERVICES if s in allowed]


# --- the message log ---------------------------------------------------------------------------------------
def _hashed_fields(m: RegistryMessage) -> dict[str, Any]:
    return {
        "seq": m.seq,
        "at": m.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "message_id": m.message_id,
        "client_id": m.client_id,
        "service": m.service,
        "subject_id": m.subject_id,
        "actor_id": m.actor_id,
        "actor_label": m.actor_label,
        "unit_id": m.unit_id,
        "procedure_code": m.procedure_code,
        "dossier_code": m.dossier_code,
        "purpose": m.purpose,
        "status": m.status,
        "http_status": m.http_status,
        "latency_ms": m.latency_ms,
        "attempts": m.attempts,
        "request_hash": m.request_hash,
        "response_hash": m.response_hash,
        "registry_request_hash": m.registry_request_hash,
        "fields_returned": m.fields_returned,
        "error": m.error,
        "prev_hash": m.prev_hash,
    }


def _entry_hash(m: RegistryMessage) -> str:
    payload = json.dumps(_hashed_fields(m), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return audit.keyed_digest(payload.encode("utf-8"), "registry")  # keyed like the audit chain


def _unit_of(actor):
    return getattr(actor, "primary_unit", None) if getattr(actor, "kind", "") == "staff" else None


@transaction.atomic
def log_message(
    *,
    actor: Actor | None,
    service: str,
    subject_id: str,
    purpose: Purpose,
    status: str,
    client_id: str,
    response: RegistryResponse | None = None,
    fields_returned: list[str] | None = None,
    error: str = "",
) -> RegistryMessage:
    """Append one entry to the message log (hash-chained)."""
    RegistryLogHead.objects.get_or_create(name="registry")
    head = RegistryLogHead.objects.select_for_update().get(name="registry")
    unit = _unit_of(actor)
    user = actor if signed_in(actor) else None
    response = response or RegistryResponse(status)
    entry = RegistryMessage(
        seq=head.last_seq + 1,
        at=timezone.now(),
        message_id=response.message_id,
        client_id=client_id,
        service=service,
        subject_id=subject_id[:12],
        actor=user,
        actor_label=(user.get_username() if user else str(actor or "anonymous"))[:200],
        unit=unit,
        procedure_code=purpose.procedure_code[:40],
        dossier_code=purpose.dossier_code[:60],
        purpose=(purpose.text or purpose.header())[:300],
        status=status,
        http_status=response.http_status,
        latency_ms=response.latency_ms,
        attempts=response.attempts,
        request_hash=response.request_hash,
        response_hash=response.response_hash,
        registry_request_hash=response.registry_request_hash,
        fields_returned=fields_returned or [],
        error=(error or response.error)[:300],
        prev_hash=head.last_hash or GENESIS,
    )
    entry.hash = _entry_hash(entry)
    entry.save()
    head.last_seq, head.last_hash = entry.seq, entry.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


def verify_log(batch_size: int = 5000) -> tuple[int, list[str]]:
    """Recompute the chain: (entries checked, problems). Edited, removed or re-ordered entries show up."""
    problems: list[str] = []
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in RegistryMessage.objects.order_by("seq").iterator(chunk_size=batch_size):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(f"#{expected_seq}: entry missing (deleted?)")
        if entry.prev_hash != expected_prev:
            problems.append(f"#{entry.seq}: link to the previous entry is broken")
        if _entry_hash(entry) != entry.hash:
            problems.append(f"#{entry.seq}: content does not match its hash (edited?)")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    head = RegistryLogHead.objects.filter(name="registry").first()
    if head and (head.last_seq != expected_seq - 1 or (head.last_seq and head.last_hash != expected_prev)):
        problems.append(f"#{head.last_seq}: latest entries missing (deleted at the end?)")
    return checked, problems


# --- look-ups ----------------------------------------------------------------------------------------------
def _fields_from(service: str, data: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def ref(prefix: str, value: dict | None) -> None:
        if value:
            out[f"{prefix}_name"] = value.get("full_name", "")
            out[f"{prefix}_id"] = value.get("personal_id", "")

    if service == "identity":
        for key in (
            "full_name",
            "other_names",
            "personal_id",
            "date_of_birth",
            "sex",
            "place_of_birth",
            "place_of_birth_registration",
            "hometown",
            "ethnicity",
            "religion",
            "nationality",
            "blood_group",
            "old_id_number",
            "phone",
            "email",
        ):
            out[key] = data.get(key) or ""
        out["date_of_death"] = data.get("date_of_death") or ""
        card = data.get("card") or {}
        out["card_number"] = card.get("number", "")
        out["card_issue_date"] = card.get("issue_date", "")
        out["card_issued_by"] = card.get("issued_by", "")
    elif service == "residence":
        for key in (
            "permanent_address",
            "temporary_address",
            "current_address",
            "temporary_absence",
            "residence_file_number",
            "household_relation",
            "permanent_ward_code",
        ):
            out[key] = data.get(key) or ""
        head = data.get("household_head") or {}
        out["household_head"] = head.get("full_name", "")
        out["household_head_id"] = head.get("personal_id", "")
        out["household_members"] = data.get("household_members") or []
    elif service == "family":
        ref("father", data.get("father"))
        ref("mother", data.get("mother"))
        ref("spouse", data.get("spouse"))
        ref("representative", data.get("representative"))
        out["children"] = data.get("children") or []
    elif service == "marital-status":
        out["marital_status"] = data.get("marital_status") or ""
        ref("spouse", data.get("spouse"))
    return out


def _denied(
    personal_id: str, *, actor: Actor | None, purpose: Purpose, code: str, log: bool = True
) -> LookupResult:
    message_ids = []
    if log:
        entry = log_message(
            actor=actor,
            service="*",
            subject_id=personal_id,
            purpose=purpose,
            status=LookupStatus.DENIED,
            client_id=settings.MOTCUA_CLIENT_ID,
            error=code,
        )
        message_ids.append(entry.pk)
        _alert_on_volume(actor)
    return LookupResult(ok=False, error=errors.message(code), code=code, message_ids=message_ids)


def lookup_person(
    personal_id: str,
    *,
    actor: Actor | None,
    procedure_code: str = "",
    dossier_code: str | None = None,
    services: list[str] | tuple[str, ...] | None = None,
    registry: PopulationRegistry | None = None,
    intake_session: str = "",
) -> LookupResult:
    """Fetch a person's data from the population registry for a purpose; every call is logged.

    An officer's look-up must be bound to a case they hold (`_case_refusal`): a dossier in their scope
    that names the person (`dossier_code`), or, before the dossier exists, an intake session they opened
    for this person and procedure (`intake_session`, its public id; `open_intake_session`). Anything else
    is refused and logged as denied without reaching the registry. Calls the services the actor's role
    allows (or the subset asked for). Never raises for expected failures: `ok=False` and `error`
    (Vietnamese) say why. Past MOTCUA_READ_ALERT_PER_DAY look-ups in a day, the unit leaders are alerted.
    """
    personal_id = (personal_id or "").strip().replace(" ", "")
    purpose = Purpose(
        procedure_code=(procedure_code or "").strip(), dossier_code=(dossier_code or "").strip()
    )
    try:
        validate_personal_id(personal_id)
    except ValidationError as exc:
        return LookupResult(ok=False, error=" ".join(exc.messages), code=errors.INVALID_ID)
    if not signed_in(actor):
        return LookupResult(ok=False, error=errors.message(errors.NOT_PERMITTED), code=errors.NOT_PERMITTED)
    allowed = allowed_services(actor)
    wanted = [s for s in (services or SERVICES) if s in allowed]
    if getattr(actor, "kind", "") == "citizen" and actor.personal_id != personal_id:
        wanted = []
    if not wanted:
        return _denied(personal_id, actor=actor, purpose=purpose, code=errors.NOT_PERMITTED)
    if kind_of(actor) in ACTING_KINDS:  # bound to a case: the same rule for a connected system
        refusal = _case_refusal(actor, personal_id, purpose, intake_session=intake_session)
        if refusal:
            return _denied(personal_id, actor=actor, purpose=purpose, code=refusal)
    elif not purpose.procedure_code:
        purpose.text = "prefill"
    registry = registry or default_registry()
    fields: dict[str, Any] = dict.fromkeys(ALL_FIELDS, "")
    fields["household_members"], fields["children"] = [], []
    fetched: list[str] = []
    message_ids: list[int] = []
    failure = ""
    for service in wanted:
        response = registry.call(service, personal_id, purpose=purpose)
        values = _fields_from(service, response.data) if response.status == "ok" else {}
        entry = log_message(
            actor=actor,
            service=service,
            subject_id=personal_id,
            purpose=purpose,
            status=response.status,
            client_id=registry.client_id,
            response=response,
            fields_returned=sorted(k for k, v in values.items() if v),
        )
        message_ids.append(entry.pk)
        if response.status != "ok":
            failure = response.status
            break  # not found, slow or down: asking the other services would only cost more time
        fields.update({k: v for k, v in values.items() if v not in (None, "") or k not in fields})
        fetched.append(service)
    _alert_on_volume(actor)
    if failure:
        code = {
            "not_found": errors.NOT_FOUND,
            "timeout": errors.TIMEOUT,
            "unavailable": errors.UNAVAILABLE,
        }.get(failure, errors.ERROR)
        return LookupResult(
            ok=False,
            error=errors.message(code),
            code=code,
            services=fetched,
            message_ids=message_ids,
            fields=fields if fetched else {},
        )
    return LookupResult(ok=True, fields=fields, services=fetched, message_ids=message_ids)


def _case_refusal(actor, personal_id: str, purpose: Purpose, *, intake_session: str) -> str:
    """Why an officer may not look this person up now ("" when the look-up is bound to a case)."""
    if purpose.dossier_code:
        dossier = dossier_for_staff(purpose.dossier_code, actor)
        if dossier is None:
            return errors.DOSSIER_NOT_VISIBLE
        if personal_id not in dossier_person_ids(dossier):
            return errors.CASE_MISMATCH
        return ""
    if intake_session:
        session = _session_of(actor, intake_session)
        if session is None:
            return errors.INTAKE_SESSION_INVALID
        if session.outcome != IntakeOutcome.OPEN:
            return errors.INTAKE_SESSION_CLOSED
        if session.expires_at <= timezone.now():
            return errors.INTAKE_SESSION_EXPIRED
        if session.personal_id != personal_id or (
            purpose.procedure_code and purpose.procedure_code != session.procedure_code
        ):
            return errors.CASE_MISMATCH
        purpose.procedure_code = session.procedure_code
        purpose.text = f"intake {session.public_id}"
        return ""
    return errors.PURPOSE_REQUIRED


def _reads_today(actor) -> int:
    """Distinct people this officer looked up today (refusals included: probing counts too)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    qs = RegistryMessage.objects.filter(actor=actor, at__gte=start)
    return qs.values("subject_id").distinct().count()


# --- counter intake sessions: the case a look-up is bound to before the dossier exists ---------------------
def _session_of(actor: Actor | None, public_id: str) -> IntakeSession | None:
    """The officer's own session with this public id (another officer's is the same None as an unknown)."""
    try:
        value = uuid.UUID(str(public_id))
    except ValueError:
        return None
    if not signed_in(actor):
        return None
    return IntakeSession.objects.filter(public_id=value, officer=actor).first()


def intake_roles() -> list[str]:
    """Roles that may open an intake session: those the registry permissions let look anyone up."""
    return [role for role, granted in role_services().items() if granted]


def _sessions_without_case_today(actor) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        IntakeSession.objects.filter(officer=actor, opened_at__gte=start)
        .exclude(outcome=IntakeOutcome.LINKED)
        .count()
    )


def _masked(personal_id: str) -> str:
    return "*" * max(len(personal_id) - 4, 0) + personal_id[-4:]


@transaction.atomic
def open_intake_session(
    actor: Actor | None, *, unit: Any, procedure_code: str, personal_id: str, applicant_name: str = ""
) -> IntakeSession:
    """Start receiving `procedure_code` for the applicant with `personal_id` at `unit` (the counter).

    The officer must hold a role with registry permissions in `unit`. At most MOTCUA_REGISTRY_INTAKE_PER_DAY
    sessions a day may end without a dossier (open ones count until linked). Audited in the unit's chain;
    open for MOTCUA_INTAKE_SESSION_MINUTES. Raises CitizensError.
    """
    personal_id = (personal_id or "").strip().replace(" ", "")
    procedure_code = (procedure_code or "").strip()
    try:
        validate_personal_id(personal_id)
    except ValidationError as exc:
        raise CitizensError(errors.INVALID_ID) from exc
    if not procedure_code:
        raise CitizensError(errors.PURPOSE_REQUIRED)
    roles = intake_roles()
    # officers, and connected systems acting in their roles (the same case rule binds both)
    if (
        not signed_in(actor)
        or kind_of(actor) not in ACTING_KINDS
        or not roles
        or not actor.can_act_in(unit, *roles)
    ):
        raise CitizensError(errors.INTAKE_NOT_ALLOWED)
    # the officer's sessions are counted under their row lock: concurrent opens cannot pass the limit
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    if _sessions_without_case_today(actor) >= settings.MOTCUA_REGISTRY_INTAKE_PER_DAY:
        raise CitizensError(errors.INTAKE_LIMIT)
    now = timezone.now()
    session = IntakeSession.objects.create(
        officer=actor,
        unit=unit,
        procedure_code=procedure_code[:40],
        personal_id=personal_id,
        applicant_name=(applicant_name or "").strip()[:200],
        opened_at=now,
        expires_at=now + dt.timedelta(minutes=settings.MOTCUA_INTAKE_SESSION_MINUTES),
    )
    audit.record(
        "citizens.intake_session_opened",
        actor=actor,
        obj=session,
        unit_id=unit.pk,
        after={
            "session": str(session.public_id),
            "procedure": procedure_code,
            "person": _masked(personal_id),
        },
        purpose=f"counter intake {procedure_code}",
    )
    return session


@transaction.atomic
def link_intake_session(public_id: str, *, actor: Actor | None, case_ref: str, personal_id: str) -> bool:
    """The session led to a case (a dossier code, a certificate): close it as linked, audited.

    Only the officer's own open session for the same person is linked (an expired one too: the look-up
    was made while it was open); otherwise nothing changes and False is returned, so the session ends
    without a case and keeps counting against the officer's daily limit."""
    session = _session_of(actor, public_id)
    if session is None:
        return False
    session = IntakeSession.objects.select_for_update().get(pk=session.pk)
    if session.outcome != IntakeOutcome.OPEN or session.personal_id != (personal_id or "").strip():
        return False
    session.outcome, session.case_ref, session.closed_at = IntakeOutcome.LINKED, case_ref[:60], timezone.now()
    session.save(update_fields=["outcome", "case_ref", "closed_at"])
    audit.record(
        "citizens.intake_session_linked",
        actor=actor,
        obj=session,
        unit_id=session.unit_id,
        after={"session": str(session.public_id), "case": case_ref},
        purpose=f"counter intake {session.procedure_code}",
    )
    return True


@transaction.atomic
def close_intake_session(public_id: str, *, actor: Actor | None) -> bool:
    """The officer ends a session without a case (the applicant left, another person is served next)."""
    session = _session_of(actor, public_id)
    if session is None:
        return False
    session = IntakeSession.objects.select_for_update().get(pk=session.pk)
    if session.outcome != IntakeOutcome.OPEN:
        return False
    session.outcome, session.closed_at = IntakeOutcome.CLOSED, timezone.now()
    session.save(update_fields=["outcome", "closed_at"])
    audit.record(
        "citizens.intake_session_closed",
        actor=actor,
        obj=session,
        unit_id=session.unit_id,
        after={"session": str(session.public_id)},
        purpose=f"counter intake {session.procedure_code}",
    )
    return True


def usable_intake_session(
    actor: Actor | None, public_id: str, *, personal_id: str, procedure_code: str
) -> bool:
    """Is this the officer's own session, open, unexpired, for this person and procedure (screens that
    carry its id ask before reusing it)?"""
    session = _session_of(actor, public_id) if public_id else None
    return bool(
        session is not None
        and session.outcome == IntakeOutcome.OPEN
        and session.expires_at > timezone.now()
        and session.personal_id == personal_id
        and session.procedure_code == procedure_code
    )


def _unit_leaders(unit):
    """Active leaders of the unit (through the account model: this app sits below org)."""
    if unit is None:
        return []
    return (
        get_user_model()
        .objects.filter(is_active=True, roles__unit=unit, roles__role="unit_leader", roles__active=True)
        .distinct()
    )


def _alert_on_volume(actor) -> None:
    """Once a day per officer, when their distinct look-ups reach MOTCUA_READ_ALERT_PER_DAY: an audit entry
    and a message to the leaders of their unit (the outbox, sent after commit)."""
    threshold = settings.MOTCUA_READ_ALERT_PER_DAY
    if getattr(actor, "kind", "") != "staff" or threshold <= 0:
        return
    reads = _reads_today(actor)
    if reads < threshold:
        return
    unit = _unit_of(actor)
    day = timezone.localdate().isoformat()
    if AuditEntry.objects.filter(
        action="citizens.read_volume_alert", object_id=str(actor.pk), at__date=day
    ).exists():
        return
    audit.record(
        "citizens.read_volume_alert",
        actor="system",
        object_type="org.user",
        object_id=actor.pk,
        unit_id=unit.pk if unit else None,
        after={"officer": actor.get_username(), "people": reads, "threshold": threshold, "day": day},
        purpose="unusual registry read volume",
    )
    body = _(
        "Cảnh báo: cán bộ %(officer)s đã tra cứu %(n)s công dân trong CSDL dân cư hôm nay (ngưỡng %(t)s)."
    ) % {
        "officer": actor.get_username(),
        "n": reads,
        "t": threshold,
    }
    for leader in _unit_leaders(unit):
        if leader.email:
            queue_message(
                key=f"registry-read-alert:{actor.pk}:{day}:{leader.pk}",
                channel="email",
                recipient=leader.email,
                subject=str(_("Cảnh báo tra cứu dữ liệu dân cư bất thường")),
                body=body,
                unit_id=unit.pk if unit else None,
            )


@transaction.atomic
def record_consent(user, *, procedure_code: str = "", purpose: str = "") -> PrefillConsent:
    consent = PrefillConsent.objects.create(
        user=user, personal_id=user.personal_id, procedure_code=procedure_code[:40], purpose=purpose[:300]
    )
    audit.record(
        "citizens.prefill_consent",
        actor=user,
        obj=consent,
        after={"procedure": procedure_code},
        purpose=purpose or "prefill",
    )
    return consent


def prefill_for_citizen(user, *, procedure_code: str = "", consent: bool = True) -> LookupResult:
    """The shared fields for a signed-in citizen's own form, from the registry (consent recorded).

    The citizen is identified by the personal ID on their account (VNeID sign-in). `fields` holds only the
    shared fields (SHARED_FIELDS); `ok=False` with `error` when auto-fill is not possible.
    """
    if not signed_in(user) or kind_of(user) != "citizen":
        return LookupResult(ok=False, error=errors.message(errors.NOT_PERMITTED), code=errors.NOT_PERMITTED)
    if not user.personal_id:
        return LookupResult(ok=False, error=errors.message(errors.NO_PERSONAL_ID), code=errors.NO_PERSONAL_ID)
    if not consent:
        return LookupResult(ok=False, error=errors.message(errors.NO_CONSENT), code=errors.NO_CONSENT)
    record_consent(user, procedure_code=procedure_code, purpose="portal prefill")
    result = lookup_person(
        user.personal_id,
        actor=user,
        procedure_code=procedure_code,
        services=("identity", "residence", "family", "marital-status"),
    )
    if result.fields:
        result.fields = {k: result.fields.get(k, "") for k in SHARED_FIELD_NAMES}
    return result


def set_registry_faults(**values) -> dict:
    """Demo helper: make the configured simulator slow or failing (its /control endpoint)."""
    import requests

    response = requests.post(
        settings.MOTCUA_POPULATION_REGISTRY_URL.rstrip("/") + "/control", json=values, timeout=2
    )
    response.raise_for_status()
    return response.json()
