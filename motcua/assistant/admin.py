"""Officers keep the assistant's knowledge here: guide entries and the abbreviation/synonym list.
Every change is audited; the index picks it up at its next stamp check (a few seconds)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from motcua.assistant.index import clear_cache
from motcua.assistant.models import Example, GuideEntry, Handover, Synonym
from motcua.core import audit


class AuditedAdmin(admin.ModelAdmin):
    audit_fields: tuple[str, ...] = ()

    def _snapshot(self, obj: Any) -> dict[str, Any]:
        return {name: str(getattr(obj, name)) for name in self.audit_fields}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(clear_cache)
        label = obj._meta.model_name
        audit.record(
            f"assistant.{label}_{'changed' if change else 'added'}",
            actor=request.user,
            obj=obj,
            after=self._snapshot(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = self._snapshot(obj)
        label, pk = obj._meta.model_name, obj.pk
        super().delete_model(request, obj)
        transaction.on_commit(clear_cache)
        audit.record(
            f"assistant.{label}_deleted",
            actor=request.user,
            object_type=f"assistant.{label}",
            object_id=pk,
            before=before,
        )


@admin.register(GuideEntry)
class GuideEntryAdmin(AuditedAdmin):
    list_display = ["title", "slug", "active", "updated_at"]
    search_fields = ["title", "body", "keywords"]
    prepopulated_fields = {"slug": ["title"]}
    audit_fields = ("slug", "title", "body", "keywords", "active")


@admin.register(Synonym)
class SynonymAdmin(AuditedAdmin):
    list_display = ["phrase", "replacement", "expand", "updated_at"]
    search_fields = ["phrase", "replacement"]
    audit_fields = ("phrase", "replacement", "expand")


@admin.register(Example)
class ExampleAdmin(AuditedAdmin):
    list_display = ["text", "procedure_code", "guide", "created_by", "created_at"]
    search_fields = ["text", "procedure_code"]
    readonly_fields = ["created_by", "created_at"]
    audit_fields = ("text", "procedure_code", "guide_id")


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ["folded", "unit", "status", "created_at", "resolved_by"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Handover._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
