"""A procedure's declaration form (tờ khai) as a Django form, for the counter screen and the portal wizard.

    Form = declaration_form(procedure)
    form = Form(request.POST or None, request.FILES or None, initial=prefill)

Each field carries `data-registry-field` / `data-registry-subject` attributes so a page can show which
values came from the population registry. Attachments are plain FileFields: the dossier app checks their
content and size when it stores them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import FormField, FormFieldType, Procedure
from motcua.catalog.selectors import form_fields
from motcua.core.dates import VNDateField, VNDateInput
from motcua.core.validation import PERSONAL_ID_RE

PERSONAL_ID = RegexValidator(PERSONAL_ID_RE, _("Số định danh cá nhân phải gồm đúng 12 chữ số."))


def _field(spec: FormField) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
    attrs = {}
    if spec.registry_field:
        attrs = {"data-registry-field": spec.registry_field, "data-registry-subject": spec.registry_subject}
    kind = spec.field_type
    if kind == FormFieldType.NUMBER:
        return forms.DecimalField(widget=forms.NumberInput(attrs=attrs), **common)
    if kind == FormFieldType.DATE:
        return VNDateField(widget=VNDateInput(attrs=attrs), **common)
    if kind == FormFieldType.CHOICE:
        choices = [("", "—")] + [(str(c), str(c)) for c in spec.choices or []]
        return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=attrs), **common)
    if kind == FormFieldType.PERSONAL_ID:
        return forms.CharField(
            max_length=12,
            min_length=12,
            validators=[PERSONAL_ID],
            widget=forms.TextInput(attrs={**attrs, "inputmode": "numeric", "autocomplete": "off"}),
            **common,
        )
    if kind == FormFieldType.ATTACHMENT:
        return forms.FileField(widget=forms.ClearableFileInput(attrs=attrs), **common)
    if kind == FormFieldType.ADDRESS:
        return forms.CharField(
            max_length=spec.max_length or 300, widget=forms.Textarea(attrs={**attrs, "rows": 2}), **common
        )
    autocomplete = {"autocomplete": "name"} if kind == FormFieldType.PERSON else {}
    return forms.CharField(
        max_length=spec.max_length or 500, widget=forms.TextInput(attrs={**attrs, **autocomplete}), **common
    )


def declaration_form(procedure: Procedure) -> type[forms.Form]:
    """A Form class with one field per declaration field, in order, keyed by `FormField.key`."""
    fields = {spec.key: _field(spec) for spec in form_fields(procedure)}
    return type(f"Declaration_{procedure.code.replace('.', '_')}", (forms.Form,), fields)
