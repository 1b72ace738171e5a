"""Queue numbers of a ward's one-stop hall: the kiosk issues them, a counter officer calls the next one,
the hall display shows the numbers called.

The kiosk belongs to one ward, set once per device by an officer of that ward (a signed cookie). Numbers
are consecutive per ward and day: `core.codes.next_sequence` draws them in one statement (no two callers get
the same one) and a unique constraint on (ward, day, number) backs it. Calling takes the oldest waiting
number of the field under a row lock that skips numbers another counter is calling at the same moment.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from motcua.core import audit
from motcua.core.codes import next_sequence
from motcua.org import selectors as org_selectors
from motcua.org.models import COMMUNE_LEVEL, Role, Unit, User
from motcua.portal.models import QueueField, QueueTicket

KIOSK_UNIT_COOKIE = "kiosk_unit"
KIOSK_UNIT_SALT = "motcua.portal.kiosk-unit"
KIOSK_UNIT_MAX_AGE = 5 * 365 * 24 * 3600
# who sets a kiosk up and calls numbers at the counter
SETUP_ROLES = (Role.DESK_OFFICER, Role.UNIT_LEADER, Role.UNIT_ADMIN)
CALLER_ROLES = org_selectors.COUNTER_ROLES


def kiosk_unit(request: HttpRequest) -> Unit | None:
    """The ward this kiosk device was set up for (None when nobody has set it up, or the cookie was forged)."""
    code = request.get_signed_cookie(KIOSK_UNIT_COOKIE, default=None, salt=KIOSK_UNIT_SALT)
    if not code:
        return None
    return Unit.objects.filter(code=code, valid_to__isnull=True).first()


def setup_units(user: User) -> list[Unit]:
    """The wards an officer may set a kiosk up for: their own commune-level units."""
    return [
        a.unit
        for a in user._active_roles()
        if a.role in SETUP_ROLES and a.unit.kind in COMMUNE_LEVEL and a.unit.valid_to is None
    ]


def set_kiosk_unit(response: HttpResponse, request: HttpRequest, unit: Unit, *, actor: User) -> None:
    response.set_signed_cookie(
        KIOSK_UNIT_COOKIE,
        unit.code,
        salt=KIOSK_UNIT_SALT,
        max_age=KIOSK_UNIT_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    audit.record("portal.kiosk_unit_set", actor=actor, unit_id=unit.pk, after={"unit": unit.code})


@transaction.atomic
def take_ticket(unit: Unit, field: str) -> QueueTicket:
    """The next number of `unit` today for `field` (counted across fields, as the hall calls them)."""
    if field not in QueueField.values:
        raise ValueError(field)
    day = timezone.localdate()
    number = next_sequence(f"queue:{unit.code}", day)
    ticket = QueueTicket.objects.create(unit=unit, day=day, number=number, field=field)
    audit.record(
        "portal.queue_ticket_taken", actor="kiosk", obj=ticket, unit_id=unit.pk, after={"number": number}
    )
    return ticket


def caller_unit(user: User) -> Unit | None:
    return org_selectors.counter_unit(user)


@transaction.atomic
def call_next(unit: Unit, field: str, *, actor: User, desk: str) -> QueueTicket | None:
    """Call the oldest waiting number of `field` at `unit` to `desk` (None when nobody waits)."""
    if not actor.can_act_in(unit, *CALLER_ROLES):
        raise PermissionError
    ticket = (
        QueueTicket.objects.select_for_update(skip_locked=True)
        .filter(unit=unit, day=timezone.localdate(), field=field, called_at__isnull=True)
        .order_by("number")
        .first()
    )
    if ticket is None:
        return None
    ticket.called_at, ticket.called_by, ticket.desk = timezone.now(), actor, desk[:10]
    ticket.save(update_fields=["called_at", "called_by", "desk"])
    audit.record(
        "portal.queue_number_called",
        actor=actor,
        obj=ticket,
        unit_id=unit.pk,
        after={"number": ticket.number, "desk": ticket.desk},
    )
    return ticket


def waiting_counts(unit: Unit) -> dict[str, int]:
    qs = QueueTicket.objects.filter(unit=unit, day=timezone.localdate(), called_at__isnull=True)
    counts = {f: 0 for f in QueueField.values}
    for field in qs.values_list("field", flat=True):
        counts[field] += 1
    return counts


def board(unit: Unit, limit: int = 8) -> list[dict[str, Any]]:
    """The numbers called last at `unit` today, newest first (what the hall display shows)."""
    rows = QueueTicket.objects.filter(unit=unit, day=timezone.localdate(), called_at__isnull=False).order_by(
        "-called_at", "-number"
    )[:limit]
    return [{"number": f"{t.number:04d}", "desk": t.desk, "field": str(t.get_field_display())} for t in rows]
