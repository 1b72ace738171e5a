"""Read-only admin views of dossiers (every change goes through services, never through the admin)."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from motcua.dossiers.models import Dossier, DossierEvent, PortalMessage, Task


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnly):
    list_display = ["code", "procedure", "unit", "status", "due_at", "overdue", "outcome"]
    list_filter = ["status", "channel", "overdue", "outcome"]
    search_fields = ["code"]
    raw_id_fields = ["procedure", "unit", "receiving_unit", "citizen", "received_by"]


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ["dossier", "order", "name", "role", "unit", "assignee", "status", "due_at"]
    list_filter = ["status", "role"]


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnly):
    list_display = ["dossier", "at", "action", "from_status", "to_status", "actor_label"]


@admin.register(PortalMessage)
class PortalMessageAdmin(ReadOnly):
    list_display = ["dossier", "seq", "status_code", "state", "attempts", "sent_at"]
    list_filter = ["state"]
