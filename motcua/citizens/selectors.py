"""Reads other apps and the views use: the shared fields, who may see a citizen's data, the log, metrics."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.citizens.models import IntakeOutcome, IntakeSession, LookupStatus, RegistryMessage
from motcua.org.actors import kind_of, signed_in

log = logging.getLogger(__name__)

# The 20 fields forms share with the population registry (the seed city's list), with Vietnamese labels.
SHARED_FIELDS: list[tuple[str, Any]] = [
    ("full_name", _("Họ, chữ đệm và tên")),
    ("date_of_birth", _("Ngày, tháng, năm sinh")),
    ("sex", _("Giới tính")),
    ("personal_id", _("Số định danh cá nhân")),
    ("place_of_birth", _("Nơi sinh")),
    ("hometown", _("Quê quán")),
    ("ethnicity", _("Dân tộc")),
    ("religion", _("Tôn giáo")),
    ("nationality", _("Quốc tịch")),
    ("permanent_address", _("Nơi thường trú")),
    ("temporary_address", _("Nơi tạm trú")),
    ("current_address", _("Nơi ở hiện tại")),
    ("phone", _("Số điện thoại")),
    ("email", _("Thư điện tử")),
    ("father_name", _("Họ tên cha")),
    ("mother_name", _("Họ tên mẹ")),
    ("spouse_name", _("Họ tên vợ/chồng")),
    ("marital_status", _("Tình trạng hôn nhân")),
    ("household_head", _("Họ tên chủ hộ")),
    ("household_relation", _("Quan hệ với chủ hộ")),
]
SHARED_FIELD_NAMES = [name for name, _label in SHARED_FIELDS]

# Every key a LookupResult carries (shared fields first), so callers may rely on them being present.
ALL_FIELDS = SHARED_FIELD_NAMES + [
    "other_names",
    "place_of_birth_registration",
    "blood_group",
    "old_id_number",
    "card_number",
    "card_issue_date",
    "card_issued_by",
    "date_of_death",
    "temporary_absence",
    "residence_file_number",
    "household_head_id",
    "household_members",
    "father_id",
    "mother_id",
    "spouse_id",
    "children",
    "representative_name",
    "representative_id",
    "permanent_ward_code",
]

SEX_LABELS = {"male": _("Nam"), "female": _("Nữ")}
MARITAL_LABELS = {
    "single": _("Chưa kết hôn"),
    "married": _("Đang có vợ/chồng"),
    "divorced": _("Đã ly hôn"),
    "widowed": _("Vợ/chồng đã chết"),
}

_ID_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def display_value(name: str, value: Any) -> str:
    """A field's value as people read it (sex and marital status in Vietnamese)."""
    if name == "sex":
        return str(SEX_LABELS.get(value, value or ""))
    if name == "marital_status":
        return str(MARITAL_LABELS.get(value, value or ""))
    if name == "date_of_birth" and value:
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value or "")


def field_label(name: str) -> str:
    return str(dict(SHARED_FIELDS).get(name, name))


def field_sources(typed: dict, registry_fields: dict) -> dict[str, str]:
    """For each shared field: 'registry' (value as the registry gave it), 'changed' (typed over a registry
    value) or 'typed' (no registry value). Intake screens show this next to each field."""
    sources = {}
    for name in SHARED_FIELD_NAMES:
        fetched = str(registry_fields.get(name) or "").strip()
        value = str(typed.get(name) or "").strip()
        if fetched and value == fetched:
            sources[name] = "registry"
        elif fetched and value:
            sources[name] = "changed"
        elif value:
            sources[name] = "typed"
    return sources


# --- who may see a citizen's data ---------------------------------------------------------------------------
def is_auditor(user) -> bool:
    return bool(signed_in(user) and user.has_role("auditor"))


# The dossiers app sits above citizens (docs/architecture.md), so it registers how to find a dossier an
# officer handles (`register_dossier_finder`, from its AppConfig.ready) instead of citizens importing it.
_dossier_finder: Callable[[str, Any], Any] | None = None


def register_dossier_finder(finder: Callable[[str, Any], Any]) -> None:
    global _dossier_finder
    _dossier_finder = finder


def dossier_for_staff(code: str, user):
    """The dossier `code` if `user` may handle it (through the dossiers app), else None."""
    if not code or not signed_in(user) or _dossier_finder is None:
        return None
    try:
        return _dossier_finder(code, user)
    except Exception as exc:  # noqa: BLE001 - any "not found / not allowed" outcome means no access
        log.debug("dossier %s not available to %s: %s", code, user, exc)
        return None


def _ids_in(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _ids_in(v, found)
    elif isinstance(value, list | tuple):
        for v in value:
            _ids_in(v, found)
    elif isinstance(value, str):
        found.update(_ID_IN_TEXT.findall(value))


def dossier_person_ids(dossier) -> set[str]:
    """Personal IDs a dossier is about: the applicant's and any in its form data (child, parents, spouse)."""
    found: set[str] = set()
    for attr in ("applicant_personal_id", "personal_id", "applicant_id_number"):
        _ids_in(getattr(dossier, attr, None), found)
    for relation in ("applicant", "citizen"):
        person = getattr(dossier, relation, None)
        if person is not None and not isinstance(person, str):
            _ids_in(getattr(person, "personal_id", None), found)
    _ids_in(getattr(dossier, "form_data", None) or {}, found)
    return found


def can_view_citizen(user, personal_id: str, dossier_code: str | None = None) -> bool:
    """Staff handling one of the citizen's dossiers may see the citizen's data (the dossier must name them)."""
    if not signed_in(user) or kind_of(user) != "staff":
        return False
    dossier = dossier_for_staff(dossier_code or "", user)
    return dossier is not None and personal_id in dossier_person_ids(dossier)


def sees_intake_sessions(user) -> bool:
    """Unit leaders (their units) and auditors (every unit) review counter sessions that led to nothing."""
    return bool(signed_in(user) and kind_of(user) == "staff" and user.has_role("unit_leader", "auditor"))


def intake_sessions_without_case(user, *, days: int = 7) -> list[dict]:
    """Per officer, the counter intake sessions of the last `days` that led to no dossier or certificate
    (registry look-ups without a case), most first: what a leader asks the officer about."""
    if not sees_intake_sessions(user):
        return []
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        IntakeSession.objects.visible_to(user)
        .filter(opened_at__gte=since)
        .exclude(outcome=IntakeOutcome.LINKED)
        .values("officer__username", "officer__full_name", "unit__name")
        .annotate(sessions=Count("id"), people=Count("personal_id", distinct=True), last=Max("opened_at"))
        .order_by("-sessions", "officer__username")
    )
    return [dict(row) for row in rows[:50]]


# --- the message log and metrics ----------------------------------------------------------------------------
def messages_for_auditor(user, *, subject_id: str = "", actor: str = "", dossier_code: str = ""):
    """Who looked up whom, when and why: auditors (and superusers) only."""
    if not (is_auditor(user) or getattr(user, "is_superuser", False)):
        return RegistryMessage.objects.none()
    qs = RegistryMessage.objects.select_related("unit")
    if subject_id:
        qs = qs.filter(subject_id=subject_id.strip())
    if actor:
        qs = qs.filter(actor_label__icontains=actor.strip())
    if dossier_code:
        qs = qs.filter(dossier_code=dossier_code.strip())
    return qs


def metrics(since: dt.datetime | None = None) -> list[dict]:
    """Per service: calls, successes, not found, failures (timeouts, unavailable, errors), refusals, latency."""
    since = since or timezone.now() - dt.timedelta(days=7)
    qs = RegistryMessage.objects.filter(at__gte=since)
    failed = Q(status__in=[LookupStatus.TIMEOUT, LookupStatus.UNAVAILABLE, LookupStatus.ERROR])
    called = ~Q(status=LookupStatus.DENIED)
    rows = (
        qs.values("service")
        .annotate(
            calls=Count("id", filter=called),
            ok=Count("id", filter=Q(status=LookupStatus.OK)),
            not_found=Count("id", filter=Q(status=LookupStatus.NOT_FOUND)),
            timeouts=Count("id", filter=Q(status=LookupStatus.TIMEOUT)),
            failed=Count("id", filter=failed),
            denied=Count("id", filter=Q(status=LookupStatus.DENIED)),
            avg_ms=Avg("latency_ms", filter=called),
            max_ms=Max("latency_ms", filter=called),
        )
        .order_by("service")
    )
    result: list[dict[str, Any]] = []
    for row in rows:
        latencies = sorted(
            qs.filter(called, service=row["service"])
            .order_by("-seq")
            .values_list("latency_ms", flat=True)[:5000]
        )
        result.append(
            {
                **row,
                "p95_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
                if latencies
                else None,
                "error_rate": (row["failed"] / row["calls"] * 100) if row["calls"] else 0.0,
            }
        )
    return result
