"""Writes on units, staff and roles. Each function is one audited action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

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


M = TypeVar("M", bound=models.Model)
ADMIN_ROLES = (Role.UNIT_ADMIN, Role.PROVINCE_ADMIN)
# Roles that reach beyond one unit (everything below, or everything read-only): only a province
# administrator over the unit may hand them out, or a ward administrator could make an auditor.
WIDE_ROLES = (Role.PROVINCE_ADMIN, Role.AUDITOR)
OFFICE_FIELDS = ["morning_start", "morning_end", "afternoon_start", "afternoon_end", "saturday_reception"]
# What the unit's own administrator may change; anything else (code, name, kind, parent, validity,
# successor, agency identifier) reshapes the tree and needs a province administrator.
LOCAL_FIELDS = [*OFFICE_FIELDS, "short_name", "address", "phone", "latitude", "longitude"]
ROLE_FIELDS = ["user", "unit", "role", "title", "active", "since"]
USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "full_name",
    "phone",
    "personal_id",
    "is_active",
]


def _ensure_admin(actor: Any, unit: Unit | None, *roles: str) -> None:
    if unit is None or not can_act_in(actor, unit, *(roles or ADMIN_ROLES)):
        raise PermissionDenied(_("Bạn không có quyền quản trị đơn vị này."))


def _ensure_grantable(actor: Any, unit: Unit, role: str) -> None:
    _ensure_admin(actor, unit, *((Role.PROVINCE_ADMIN,) if role in WIDE_ROLES else ADMIN_ROLES))


def _plain(value: Any) -> Any:
    """A value as the audit log stores it: a related row by its key."""
    return value.pk if isinstance(value, models.Model) else value


def _unknown(changes: dict[str, Any], allowed: list[str]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError(_("Không được sửa các trường: %(fields)s") % {"fields": ", ".join(unknown)})


@transaction.atomic
def grant_role(user: User, *, unit: Unit, role: str, actor: User, title: str = "") -> StaffRole:
    """Give `user` a role in `unit`. Only administrators of that unit (or above) may do it."""
    _ensure_grantable(actor, unit, role)
    assignment, created = StaffRole.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title}
    )
    if not created and not assignment.active:
        assignment.active = True
        assignment.save(update_fields=["active"])
    if role in ADMIN_ROLES and not user.is_staff:
        # administrators work in the admin site, which admits only is_staff accounts
        User.objects.filter(pk=user.pk).update(is_staff=True)
    audit.record(
        "org.role_granted",
        actor=actor,
        obj=assignment,
        unit_id=unit.pk,
        after={"user": user.username, "role": role},
    )
    return assignment


@transaction.atomic
def change_role(assignment: StaffRole, *, actor: User, **changes: Any) -> StaffRole:
    """Edit a grant (its role, unit, title, validity): the actor must administer both the old and the
    new unit, and a wide role needs a province administrator."""
    _unknown(changes, ROLE_FIELDS)
    assignment = StaffRole.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    _ensure_grantable(actor, assignment.unit, assignment.role)
    return _write_changes(
        assignment,
        changes,
        actor=actor,
        action="org.role_changed",
        unit_of=lambda a: a.unit_id,
        check=lambda a: _ensure_grantable(actor, a.unit, a.role),
    )


@transaction.atomic
def revoke_role(assignment: StaffRole, *, actor: User) -> StaffRole:
    assignment = StaffRole.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    _ensure_grantable(actor, assignment.unit, assignment.role)
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


@transaction.atomic
def delete_role(assignment: StaffRole, *, actor: User) -> None:
    """Remove a grant altogether (a mistaken one); the audit entry keeps what it was."""
    assignment = StaffRole.objects.select_for_update().select_related("unit", "user").get(pk=assignment.pk)
    _ensure_grantable(actor, assignment.unit, assignment.role)
    audit.record(
        "org.role_deleted",
        actor=actor,
        obj=assignment,
        unit_id=assignment.unit_id,
        before={"user": assignment.user.username, "role": assignment.role, "active": assignment.active},
    )
    assignment.delete()


def _write_changes(
    obj: M,
    changes: dict[str, Any],
    *,
    actor: Any,
    action: str,
    unit_of: Callable[[M], int | None],
    check: Callable[[M], None] | None = None,
    clean: Callable[[M], None] | None = None,
) -> M:
    """Set `changes` on a locked row, check (`check` sees the new values), validate, save, audit before
    and after: the common body of every edit here."""
    before = {k: _plain(getattr(obj, k)) for k in changes}
    for k, v in changes.items():
        setattr(obj, k, v)
    if check is not None:
        check(obj)
    (clean or (lambda o: o.full_clean()))(obj)
    obj.save()
    audit.record(
        action,
        actor=actor,
        obj=obj,
        unit_id=unit_of(obj),
        before=before,
        after={k: _plain(v) for k, v in changes.items()},
    )
    return obj


def _repath(unit: Unit, old_path: str) -> None:
    """Keep the materialised paths of the units below in step when a unit moves or is re-coded."""
    if unit.path == old_path:
        return
    below = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
    for child in below:
        child.path = unit.path + child.path[len(old_path) :]
    Unit.objects.bulk_update(below, ["path"])


def _apply_unit_changes(unit: Unit, actor: Any, action: str, changes: dict[str, Any]) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    old_path = unit.path

    def check(changed: Unit) -> None:
        if "parent" in changes and not (changed.parent is None and getattr(actor, "is_superuser", False)):
            _ensure_admin(actor, changed.parent, Role.PROVINCE_ADMIN)

    unit = _write_changes(unit, changes, actor=actor, action=action, unit_of=lambda u: u.pk, check=check)
    _repath(unit, old_path)
    return unit


@transaction.atomic
def update_office_hours(unit: Unit, *, actor: User, **changes: Any) -> Unit:
    _ensure_admin(actor, unit)
    _unknown(changes, OFFICE_FIELDS)
    return _apply_unit_changes(unit, actor, "org.office_hours_changed", changes)


@transaction.atomic
def update_unit(unit: Unit, *, actor: User, **changes: Any) -> Unit:
    """Edit a unit. Its administrators may change office hours and contact details; the rest reshapes
    the tree (and everyone's scope) and needs a province administrator over the unit."""
    _unknown(changes, [f.name for f in Unit._meta.concrete_fields if f.editable and not f.primary_key])
    local = not (set(changes) - set(LOCAL_FIELDS))
    _ensure_admin(actor, unit, *(ADMIN_ROLES if local else (Role.PROVINCE_ADMIN,)))
    return _apply_unit_changes(unit, actor, "org.unit_changed", changes)


@transaction.atomic
def create_unit(*, actor: User, **fields: Any) -> Unit:
    """A new unit under a parent the actor administers at province level (a root: superusers only)."""
    parent = fields.get("parent")
    if parent is not None or not getattr(actor, "is_superuser", False):
        _ensure_admin(actor, parent, Role.PROVINCE_ADMIN)
    unit = Unit(**fields)
    unit.full_clean()
    unit.save()
    audit.record(
        "org.unit_created",
        actor=actor,
        obj=unit,
        unit_id=unit.pk,
        after={k: _plain(v) for k, v in fields.items()},
    )
    return unit


def ensure_user_admin(actor: Any, user: User) -> None:
    """Staff accounts are administered by the administrators of every unit they work in; accounts with
    no unit (citizens, new staff) and superusers by superusers only."""
    units = user.units()
    if getattr(actor, "is_superuser", False):
        return
    if user.is_superuser or not units or not all(can_act_in(actor, u, *ADMIN_ROLES) for u in units):
        raise PermissionDenied(_("Bạn không có quyền quản trị tài khoản này."))


@transaction.atomic
def update_user(user: User, *, actor: User, **changes: Any) -> User:
    """Edit an account's identity and active flag (never its superuser/staff flags or permissions here)."""
    _unknown(changes, USER_FIELDS)
    user = User.objects.select_for_update().get(pk=user.pk)
    ensure_user_admin(actor, user)
    return _write_changes(
        user,
        changes,
        actor=actor,
        action="org.user_changed",
        unit_of=lambda u: u.primary_unit.pk if u.primary_unit else None,
        clean=lambda u: u.full_clean(exclude=["password"]),
    )


@transaction.atomic
def create_account(user: User, *, actor: User) -> User:
    """Save a new account built by the admin's creation form (superusers only; roles come next)."""
    if not getattr(actor, "is_superuser", False) or not actor.is_active:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được tạo tài khoản tại đây."))
    user.save()
    audit.record(
        "org.account_created", actor=actor, obj=user, after={"username": user.username, "kind": user.kind}
    )
    return user


@transaction.atomic
def set_account_flags(user: User, *, actor: User, **flags: bool) -> User:
    """Superuser and admin-site flags: superusers only, since they bypass every unit rule."""
    if not getattr(actor, "is_superuser", False) or not actor.is_active:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được đổi quyền này."))
    _unknown(flags, ["is_superuser", "is_staff"])
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {k: getattr(user, k) for k in flags}
    User.objects.filter(pk=user.pk).update(**flags)
    audit.record("org.account_flags_changed", actor=actor, obj=user, before=before, after=flags)
    user.refresh_from_db()
    return user


def may_administer_account(actor: Any, user: User) -> bool:
    try:
        ensure_user_admin(actor, user)
    except PermissionDenied:
        return False
    return True


# --- second factor -------------------------------------------------------------------------------
def totp_device(user: User) -> TOTPDevice | None:
    """The officer's authenticator: the confirmed one, else a pending enrolment, else None (a read:
    enrolment starts only from an explicit POST, `start_totp_enrolment`)."""
    return TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()


@transaction.atomic
def start_totp_enrolment(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    audit.record("org.totp_enrolment_started", actor=user, obj=user, object_id=user.pk)
    return device


@transaction.atomic
def confirm_totp(user: User, token: str) -> bool:
    """Turn the second factor on when the officer proves the authenticator works."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token((token or "").strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record("org.totp_enabled", actor=user, obj=user)
    return True


@transaction.atomic
def remove_totp(device: TOTPDevice, *, actor: User) -> None:
    """Switch the second factor off (a lost phone): the officer, or the administrator of their units."""
    device = TOTPDevice.objects.select_for_update().select_related("user").get(pk=device.pk)
    if getattr(actor, "pk", None) != device.user_id:
        ensure_user_admin(actor, device.user)
    audit.record("org.totp_removed", actor=actor, obj=device.user, before={"device": device.name})
    device.delete()
