"""Writes on units, staff and roles. Each function is one audited action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from motcua.core import audit
from motcua.core.scoping import can_act_in
from motcua.org.models import Role, StaffRole, Unit, User, UserKind


@transaction.atomic
def create_staff(
    *,
    username: str,
    full_name: str,
    unit: Unit,
    role: str,
    password: str | None = None,
    actor=None,
    email: str = "",
    phone: str = "",
    title: str = "",
) -> User:
    user = User(username=username, full_name=full_name, kind=UserKind.STAFF, email=email, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    StaffRole.objects.create(user=user, unit=unit, role=role, title=title)
    audit.record(
        "org.staff_created",
        actor=actor or "system",
        obj=user,
        unit_id=unit.pk,
        after={"username": username, "unit": unit.code, "role": role},
    )
    return user


@transaction.atomic
def grant_role(user: User, *, unit: Unit, role: str, actor: User, title: str = "") -> StaffRole:
    """Give `user` a role in `unit`. Only administrators of that unit (or above) may do it."""
    if not can_act_in(actor, unit, Role.UNIT_ADMIN, Role.PROVINCE_ADMIN):
        raise PermissionDenied("not an administrator of this unit")
    assignment, created = StaffRole.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title}
    )
    if not created and not assignment.active:
        assignment.active = True
        assignment.save(update_fields=["active"])
    audit.record(
        "org.role_granted",
        actor=actor,
        obj=assignment,
        unit_id=unit.pk,
        after={"user": user.username, "role": role},
    )
    return assignment


@transaction.atomic
def revoke_role(assignment: StaffRole, *, actor: User) -> StaffRole:
    if not can_act_in(actor, assignment.unit, Role.UNIT_ADMIN, Role.PROVINCE_ADMIN):
        raise PermissionDenied("not an administrator of this unit")
    assignment = StaffRole.objects.select_for_update().get(pk=assignment.pk)
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit.record(
        "org.role_revoked",
        actor=actor,
        obj=assignment,
        unit_id=assignment.unit_id,
        before={"active": True},
        after={"active": False},
    )
    return assignment


OFFICE_FIELDS = ["morning_start", "morning_end", "afternoon_start", "afternoon_end", "saturday_reception"]


@transaction.atomic
def update_office_hours(unit: Unit, *, actor: User, **changes) -> Unit:
    if not can_act_in(actor, unit, Role.UNIT_ADMIN, Role.PROVINCE_ADMIN):
        raise PermissionDenied("not an administrator of this unit")
    unknown = set(changes) - set(OFFICE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = {k: getattr(unit, k) for k in changes}
    for k, v in changes.items():
        setattr(unit, k, v)
    unit.full_clean()
    unit.save(update_fields=list(changes))
    audit.record(
        "org.office_hours_changed", actor=actor, obj=unit, unit_id=unit.pk, before=before, after=changes
    )
    return unit
