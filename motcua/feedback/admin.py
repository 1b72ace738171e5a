from django.contrib import admin

from motcua.feedback.models import ApiKey, Category, Report, ReportEvent, RoutingRule


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 0
    autocomplete_fields = ["ward", "target"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "group",
        "deadline_days",
        "multi_agency",
        "route_to_ward",
        "default_unit",
        "active",
    ]
    search_fields = ["code", "name", "keywords"]
    inlines = [RoutingRuleInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["priority", "category", "ward", "target", "note", "active"]
    autocomplete_fields = ["ward", "target"]


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "actor_label", "from_unit", "to_unit", "note", "data"]
    fields = readonly_fields


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only here: changes go through the staff pages (services, audit)."""

    list_display = ["code", "channel", "category", "unit", "status", "deadline", "escalation_level"]
    list_filter = ["status", "channel", "category"]
    search_fields = ["code", "phone"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created with `services.create_api_key` (shown once); here they can be listed and disabled."""

    list_display = ["name", "prefix", "active", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
