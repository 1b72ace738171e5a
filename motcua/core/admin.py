from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# --- secrets are not for reading ------------------------------------------------------------------------
# Issued tokens (API tokens, OAuth access/refresh tokens, authorisation codes, ID tokens) and TOTP seeds let
# whoever reads them act as their owner; the packages' admin pages would show them to any superuser or
# administrator. They are revoked by deactivating the user or the application, not read here.
def _unregister(*labels: str) -> None:
    for label in labels:
        model = apps.get_model(label)
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister(
    "authtoken.TokenProxy",
    "oauth2_provider.AccessToken",
    "oauth2_provider.RefreshToken",
    "oauth2_provider.Grant",
    "oauth2_provider.IDToken",
    "otp_totp.TOTPDevice",
)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Staff second factors: listed and removable (re-enrolment), never shown (the seed is a secret)."""

    list_display = ["user", "name", "confirmed", "last_used_at"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
