"""Administrative units (with their history), agencies, staff roles and citizen accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import OfficeSchedule
from motcua.core.scoping import ALL, Scope, ScopedQuerySet

REFORM_DATE = dt.date(2025, 7, 1)


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    AGENCY = "agency", _("Cơ quan, sở, ngành")
    DISTRICT = "district", _("Quận, huyện (trước 1/7/2025)")
    TOWN = "town", _("Thị trấn (trước 1/7/2025)")


COMMUNE_LEVEL = [UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE]


class UnitQuerySet(ScopedQuerySet):
    def current(self, on: dt.date | None = None):
        on = on or dt.date.today()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def commune_level(self):
        return self.filter(kind__in=COMMUNE_LEVEL)

    def scope_filter(self, ids: tuple[int, ...]) -> Q:
        return Q(id__in=ids)


class Unit(models.Model):
    """A province, a commune-level unit, an agency, or a unit that existed before the 2025 reform."""

    code = models.CharField(_("mã"), max_length=32, db_index=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        max_length=255, db_index=True, editable=False, verbose_name=_("đường dẫn trong cây đơn vị")
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=8, db_index=True)
    key = models.CharField(_("khóa tra cứu"), max_length=200, db_index=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    agency_identifier = models.CharField(
        _("mã định danh cơ quan"),
        max_length=40,
        blank=True,
        help_text=_("Dùng trong mã số hồ sơ (TT 01/2018 Điều 19), ví dụ 000.00.12.H29"),
    )
    latitude = models.FloatField(null=True, blank=True, verbose_name=_("vĩ độ"))
    longitude = models.FloatField(null=True, blank=True, verbose_name=_("kinh độ"))
    address = models.CharField(_("địa chỉ trụ sở"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # Office hours (default 07:30-11:30, 13:00-17:00, Monday-Friday).
    morning_start = models.TimeField(_("bắt đầu buổi sáng"), default=dt.time(7, 30))
    morning_end = models.TimeField(_("kết thúc buổi sáng"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("bắt đầu buổi chiều"), default=dt.time(13, 0))
    afternoon_end = models.TimeField(_("kết thúc buổi chiều"), default=dt.time(17, 0))
    saturday_reception = models.BooleanField(_("tiếp nhận sáng thứ Bảy"), default=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["province_code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="unit_current_code_unique"
            ),
            models.UniqueConstraint(
                fields=["code", "valid_to"], condition=Q(valid_to__isnull=False), name="unit_old_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.code}/"
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to >= dt.date.today()

    def resolve(self) -> Unit:
        """Today's unit for an old one (follows successor links)."""
        unit, seen = self, set()
        while unit.successor_id and not unit.is_current and unit.pk not in seen:
            seen.add(unit.pk)
            unit = unit.successor
        return unit

    @property
    def schedule(self) -> OfficeSchedule:
        return OfficeSchedule(
            morning_start=self.morning_start,
            morning_end=self.morning_end,
            afternoon_start=self.afternoon_start,
            afternoon_end=self.afternoon_end,
            saturday_reception=self.saturday_reception,
        )

    def descendants(self, include_self: bool = True):
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    CLERK = "clerk", _("Văn thư")
    HOTLINE_OPERATOR = "hotline_operator", _("Tổng đài viên")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh")
    AUDITOR = "auditor", _("Kiểm toán, thanh tra")


# Roles that never read citizens' dossiers or the messages sent to them (the 1022 hotline handles feedback).
NO_PERSONAL_DATA = frozenset({Role.HOTLINE_OPERATOR})


class UserKind(models.TextChoices):
    STAFF = "staff", _("Cán bộ")
    CITIZEN = "citizen", _("Công dân")
    SYSTEM = "system", _("Hệ thống kết nối")


# Accounts whose roles count: officers, and connected systems (OAuth2 clients bound to units and roles,
# `org.clients`), which act in their roles through the same workflow doors and the same scope rule.
ACTING_KINDS = (UserKind.STAFF, UserKind.SYSTEM)


class User(AbstractUser):
    """Staff and citizens sign in through the same table but are separate kinds of account."""

    kind = models.CharField(
        _("loại tài khoản"), max_length=10, choices=UserKind.choices, default=UserKind.STAFF
    )
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, db_index=True)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, db_index=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN

    @property
    def is_officer(self) -> bool:
        return self.kind == UserKind.STAFF and self.is_active

    def _active_roles(self):
        cache = getattr(self, "_roles_cache", None)
        if cache is None:
            cache = list(self.roles.select_related("unit").filter(active=True))
            self._roles_cache = cache
        return cache

    def role_names(self) -> set[str]:
        return {r.role for r in self._active_roles()}

    def has_role(self, *roles: str, unit: Unit | None = None) -> bool:
        for assignment in self._active_roles():
            if assignment.role in roles and (unit is None or assignment.unit_id == unit.pk):
                return True
        return False

    def units(self) -> list[Unit]:
        seen: dict[int, Unit] = {}
        for assignment in self._active_roles():
            seen.setdefault(assignment.unit_id, assignment.unit)
        return list(seen.values())

    @property
    def primary_unit(self) -> Unit | None:
        units = self.units()
        return units[0] if units else None

    def _covered_units(self) -> dict[int, frozenset[int]]:
        """Unit ids each active role reaches (role pk -> ids): its own unit, and the units below for a
        province-level role. Computed once per user object (one request): one query for all province roles."""
        cache = getattr(self, "_covered_cache", None)
        if cache is not None:
            return cache
        roles = self._active_roles()
        wide = {a.unit.path for a in roles if _reaches_below(a)}
        below: dict[str, set[int]] = {path: set() for path in wide}
        if wide:
            condition = Q()
            for path in wide:
                condition |= Q(path__startswith=path)
            for pk, path in Unit.objects.filter(condition).values_list("id", "path"):
                for prefix in wide:
                    if path.startswith(prefix):
                        below[prefix].add(pk)
        cache = {
            a.pk: frozenset(below[a.unit.path]) if _reaches_below(a) else frozenset({a.unit_id})
            for a in roles
        }
        self._covered_cache = cache
        return cache

    def unit_scope(self, *, write: bool = False, personal: bool = False) -> Scope:
        """THE scoping rule: own unit; units below for province-level staff; all, read-only, for auditors.

        Returns ALL or a sorted tuple of literal unit ids (empty for nobody); every scoped query, every
        in-memory check (`can_see_unit`, `can_act_in`) is answered from it. With `personal=True` (rows with
        citizens' personal data: dossiers, the outbox) roles in `NO_PERSONAL_DATA` reach nothing.
        """
        if not self.is_active or (self.kind not in ACTING_KINDS and not self.is_superuser):
            return ()
        if self.is_superuser:
            return ALL
        roles = self._active_roles()
        if personal:
            roles = [r for r in roles if r.role not in NO_PERSONAL_DATA]
        if not write and any(r.role == Role.AUDITOR for r in roles):
            return ALL
        covered = self._covered_units()
        ids: set[int] = set()
        for assignment in roles:
            if not (write and assignment.role == Role.AUDITOR):
                ids |= covered[assignment.pk]
        if len(ids) > 1 and len(ids) == self._unit_count():
            # every unit of the database (a one-province deployment's city leader): no filter at all, so
            # counts and pages over the whole table use the plain indexes instead of a 200-id OR
            return ALL
        return tuple(sorted(ids))

    def _unit_count(self) -> int:
        if "_unit_count_cache" not in self.__dict__:
            self._unit_count_cache = Unit.objects.count()
        return self._unit_count_cache

    def forget_scope(self) -> None:
        """Drop the per-object caches (after this user's roles changed in the same request)."""
        for name in ("_roles_cache", "_covered_cache", "_unit_count_cache"):
            self.__dict__.pop(name, None)

    def restrict_roles(self, keep: Callable[[StaffRole], bool]) -> None:
        """Act, for this user object (one request), only through the active roles `keep` accepts: a
        connected system's token names a subset of its client's roles (`org.clients`)."""
        roles = [a for a in self._active_roles() if keep(a)]
        self.forget_scope()
        self._roles_cache = roles

    def can_see_unit(self, unit: Unit) -> bool:
        scope = self.unit_scope()
        return scope is ALL or unit.pk in scope

    def can_act_in(self, unit: Unit, *roles: str) -> bool:
        """May this user change rows of `unit`, holding one of `roles` (any role if none given) through a
        role whose reach covers the unit? The same rule as `unit_scope(write=True)`, from memory."""
        if not self.is_active or (self.kind not in ACTING_KINDS and not self.is_superuser):
            return False
        if self.is_superuser:
            return True
        scope = self.unit_scope(write=True)
        if unit is None or (scope is not ALL and unit.pk not in scope):
            return False
        covered = self._covered_units()
        return any(
            a.role != Role.AUDITOR and (not roles or a.role in roles) and unit.pk in covered[a.pk]
            for a in self._active_roles()
        )


def _reaches_below(assignment: StaffRole) -> bool:
    """Province-level roles reach every unit below their own."""
    return assignment.unit.kind == UnitKind.PROVINCE or assignment.role == Role.PROVINCE_ADMIN


class StaffRole(models.Model):
    """One role held by one officer in one unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("cán bộ"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="staff_roles", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    active = models.BooleanField(_("đang hiệu lực"), default=True)
    since = models.DateField(_("từ ngày"), default=dt.date.today)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
