"""Admin for the catalog. Edits here are audited like service calls (before/after snapshots)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from motcua.catalog import services
from motcua.catalog.errors import CatalogError
from motcua.catalog.models import (
    Decision,
    DecisionEffect,
    Fee,
    Field,
    FormField,
    InternalProcess,
    Procedure,
    ProcedureTime,
    ProcedureVolume,
    ProcessStep,
    Requirement,
)
from motcua.catalog.selectors import legal_time_hours
from motcua.catalog.snapshots import procedure_snapshot, process_snapshot
from motcua.core import audit
from motcua.org.selectors import fold


class AuditedAdmin(admin.ModelAdmin):
    """Writes one audit entry per admin save, after inlines are saved, with before/after snapshots."""

    snapshot = None

    def _snap(self, obj):
        if self.snapshot is None:
            return {f.name: str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}
        return type(self).snapshot(obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            request._catalog_before = self._snap(obj)
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        model = obj._meta.model_name
        audit.record(
            f"catalog.admin_{model}_{'changed' if change else 'added'}",
            actor=request.user,
            obj=obj,
            before=getattr(request, "_catalog_before", None),
            after=self._snap(obj),
            purpose="admin",
        )

    def delete_model(self, request, obj):
        before = self._snap(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        audit.record(
            f"catalog.admin_{obj._meta.model_name}_deleted",
            actor=request.user,
            object_type=f"catalog.{obj._meta.model_name}",
            object_id=pk,
            before=before,
            purpose="admin",
        )


class TimeInline(admin.TabularInline):
    model = ProcedureTime
    extra = 0


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "name", "kind", "quantity_original", "quantity_copy", "form_name", "required"]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 1
    fields = [
        "order",
        "key",
        "label",
        "field_type",
        "required",
        "choices",
        "registry_field",
        "registry_subject",
        "help_text",
        "max_length",
    ]


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdmin):
    snapshot = procedure_snapshot
    list_display = ["code", "name", "field", "competent_level", "online_level", "status", "needs_review"]
    list_filter = ["needs_review", "status", "online_level", "competent_level", "field", "is_demo"]
    search_fields = ["code", "search_text"]
    autocomplete_fields = ["successor", "competent_agency"]

    def get_search_results(self, request, queryset, search_term):
        """Folded search: "dang ky khai sinh" and "Đăng ký khai sinh" find the same procedures."""
        from django.db.models import Q

        term = (search_term or "").strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(code__startswith=term) | Q(search_text__contains=fold(term))), False

    readonly_fields = ["created_at", "updated_at"]
    inlines = [TimeInline, RequirementInline, FeeInline, FormFieldInline]
    fieldsets = [
        (None, {"fields": ["code", "local_suffix", "name", "field", "status", "successor"]}),
        (_("Thẩm quyền"), {"fields": ["competent_level", "level_text", "competent_agency", "applicants"]}),
        (_("Thời hạn, phí"), {"fields": ["time_value", "time_unit", "time_note", "fee_note"]}),
        (
            _("Nội dung"),
            {"fields": ["conditions", "result_text", "legal_basis", "online_level", "publishing_ref"]},
        ),
        (_("Rà soát dữ liệu"), {"fields": ["needs_review", "review_note", "is_demo", "sources"]}),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]


class EffectInline(admin.TabularInline):
    model = DecisionEffect
    fk_name = "decision"
    extra = 1
    autocomplete_fields = ["procedure", "successor"]


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["number", "date", "issuer", "unit", "applied_at", "is_demo"]
    list_filter = ["applied_at", "is_demo"]
    search_fields = ["number", "title", "issuer"]
    date_hierarchy = "date"
    readonly_fields = ["applied_at"]
    autocomplete_fields = ["unit"]
    inlines = [EffectInline]
    actions = ["apply_selected"]

    @admin.action(description=_("Áp dụng quyết định (bãi bỏ, thay thế thủ tục)"))
    def apply_selected(self, request, queryset):
        for decision in queryset:
            try:
                services.apply_decision(decision, actor=request.user)
            except CatalogError as exc:
                self.message_user(request, f"{decision.number}: {exc.message}", level=messages.ERROR)
            else:
                self.message_user(request, f"{decision.number}: {_('đã áp dụng')}")


class StepFormSet(BaseInlineFormSet):
    """Hours must fit in the procedure's legal time (working days x 8 h)."""

    def clean(self):
        super().clean()
        procedure = getattr(self.instance, "procedure", None) if self.instance.procedure_id else None
        if procedure is None:
            return
        total = Decimal(0)
        count = 0
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            total += form.cleaned_data.get("hours") or Decimal(0)
            count += 1
        if count == 0:
            raise ValidationError(CatalogError("no_steps").message)
        limit = legal_time_hours(procedure)
        if limit is not None and total > limit:
            raise ValidationError(
                CatalogError(
                    "hours_exceed", hours=f"{total.normalize():f}", limit=f"{limit.normalize():f}"
                ).message
            )


class StepInline(admin.TabularInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(InternalProcess)
class InternalProcessAdmin(AuditedAdmin):
    snapshot = process_snapshot
    list_display = ["procedure", "version", "effective_from", "decision", "unit", "is_demo"]
    list_filter = ["is_demo", "effective_from"]
    search_fields = ["procedure__code", "procedure__name"]
    autocomplete_fields = ["procedure", "decision", "unit"]
    inlines = [StepInline]


@admin.register(Field)
class FieldAdmin(AuditedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(ProcedureVolume)
class ProcedureVolumeAdmin(AuditedAdmin):
    list_display = ["procedure", "year", "unit", "dossiers"]
    list_filter = ["year"]
    autocomplete_fields = ["procedure", "unit"]
