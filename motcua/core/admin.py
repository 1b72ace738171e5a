from django.contrib import admin
from django.http import HttpRequest

from motcua.core.models import AuditEntry, CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ["date", "kind", "province_code", "note"]
    list_filter = ["kind", "province_code"]
    date_hierarchy = "date"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit trail is append-only."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "unit_id", "purpose"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id", "action", "purpose"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
