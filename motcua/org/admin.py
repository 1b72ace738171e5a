from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.org.models import StaffRole, Unit, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "phone", "is_active"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone", "personal_id"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("motcua"), {"fields": ["kind", "full_name", "phone", "personal_id"]}),
    ]
    inlines = [StaffRoleInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "province_code", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name", "short_name", "key"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("parent", "successor")
