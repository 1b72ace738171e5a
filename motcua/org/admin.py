"""The Django admin for units, accounts and role grants: every save and delete goes through `org.services`
(one audited action each), and who may open a row is the org rule (administrators of its unit), not
Django's model permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.scoping import can_act_in
from motcua.org import services
from motcua.org.models import StaffRole, Unit, User


def _is_administrator(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or user.has_role(*services.ADMIN_ROLES))


def _changes(form) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}


class OrgAdmin(admin.ModelAdmin):
    """Rows are administered by the administrators of their unit (`unit_of`)."""

    def unit_of(self, obj) -> Unit | None:
        return obj.unit

    def _may_act(self, request, obj) -> bool:
        if not _is_administrator(request):
            return False
        return obj is None or can_act_in(request.user, self.unit_of(obj), *services.ADMIN_ROLES)

    def has_module_permission(self, request) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_act(request, obj)

    def has_add_permission(self, request) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_act(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_act(request, obj)


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["unit"]

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_administrator(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(User)
class UserAdmin(OrgAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "phone", "is_active"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone", "personal_id"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("motcua"), {"fields": ["kind", "full_name", "phone", "personal_id"]}),
    ]
    inlines = [StaffRoleInline]

    def _may_act(self, request, obj) -> bool:
        return _is_administrator(request) and (
            obj is None or services.may_administer_account(request.user, obj)
        )

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser  # accounts are deactivated, not deleted

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(roles__unit__in=Unit.objects.editable_by(request.user)).distinct()

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "is_staff", "groups", "user_permissions", "kind", "last_login", "date_joined")

    def save_model(self, request, obj, form, change) -> None:
        if not change:  # superusers only (has_add_permission): the account itself, roles through the inline
            services.create_account(obj, actor=request.user)
            return
        changes = _changes(form)
        flags = {k: changes.pop(k) for k in ("is_superuser", "is_staff") if k in changes}
        changes = {k: v for k, v in changes.items() if k in services.USER_FIELDS}
        if changes:
            services.update_user(obj, actor=request.user, **changes)
        if flags:  # read-only for everyone but superusers
            services.set_account_flags(obj, actor=request.user, **flags)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not StaffRole:
            super().save_formset(request, form, formset, change)
            return
        _save_role_forms(request, formset, user=form.instance)


def _save_role_forms(request, formset, *, user: User) -> None:
    """The grants of the inline, one service call per added, changed or deleted row (and the lists the
    admin's change message reads, as `formset.save()` would fill them)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for role_form in formset.deleted_forms:
        if role_form.instance.pk:
            services.delete_role(role_form.instance, actor=request.user)
            formset.deleted_objects.append(role_form.instance)
    for role_form in formset.forms:
        if role_form in formset.deleted_forms or not role_form.has_changed():
            continue
        changes = _changes(role_form)
        if role_form.instance.pk:
            grant = services.change_role(role_form.instance, actor=request.user, **changes)
            formset.changed_objects.append((grant, list(changes)))
            continue
        data = role_form.cleaned_data
        grant = services.grant_role(
            user, unit=data["unit"], role=data["role"], actor=request.user, title=data.get("title", "")
        )
        rest = {k: v for k, v in changes.items() if k in ("active", "since")}
        if rest:
            grant = services.change_role(grant, actor=request.user, **rest)
        formset.new_objects.append(grant)


@admin.register(StaffRole)
class StaffRoleAdmin(OrgAdmin):
    list_display = ["user", "role", "unit", "title", "active", "since"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user).select_related("user", "unit")

    def save_model(self, request, obj, form, change) -> None:
        if change:
            services.change_role(obj, actor=request.user, **_changes(form))
            return
        data = form.cleaned_data
        grant = services.grant_role(
            data["user"],
            unit=data["unit"],
            role=data["role"],
            actor=request.user,
            title=data.get("title", ""),
        )
        obj.pk = grant.pk

    def delete_model(self, request, obj) -> None:
        services.delete_role(obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for assignment in queryset:
            services.delete_role(assignment, actor=request.user)


@admin.register(Unit)
class UnitAdmin(OrgAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "province_code", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name", "short_name", "key"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path"]

    def unit_of(self, obj) -> Unit | None:
        return obj

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # units are retired (valid_to, successor), never deleted: dossiers point at them

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("parent", "successor")

    def save_model(self, request, obj, form, change) -> None:
        if change:
            services.update_unit(obj, actor=request.user, **_changes(form))
            return
        fields = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        obj.pk = services.create_unit(actor=request.user, **fields).pk


# Enrolment happens on the officer's own page (`org.views.totp_setup`); here administrators only see and
# remove devices (a lost phone), through the service.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = fields

    def _may_act(self, request, obj) -> bool:
        return _is_administrator(request) and (
            obj is None or services.may_administer_account(request.user, obj.user)
        )

    def has_module_permission(self, request) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_act(request, obj)

    has_delete_permission = has_view_permission

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return qs
        return qs.filter(user__roles__unit__in=Unit.objects.editable_by(request.user)).distinct()

    def delete_model(self, request, obj) -> None:
        services.remove_totp(obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for device in queryset:
            services.remove_totp(device, actor=request.user)
