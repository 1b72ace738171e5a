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

from motcua.catalog.models import FormField, FormFieldType, Procedure
from motcua.catalog.selectors import clean_declaration, form_fields
from motcua.core.dates import VNDateInput


def _field(spec: FormField) -> forms.Field:
    """The field's widget; its value is checked by the one declaration rule in `Declaration.clean`."""
    common: dict[str, Any] = {"label": spec.label, "required": False, "help_text": spec.help_text}
    attrs: dict[str, Any] = {"required": True} if spec.required else {}
    if spec.registry_field:
        attrs |= {"data-registry-field": spec.registry_field, "data-registry-subject": spec.registry_subject}
    kind = spec.field_type
    if kind == FormFieldType.ATTACHMENT:
        return forms.FileField(
            widget=forms.ClearableFileInput(attrs=attrs), **(common | {"required": spec.required})
        )
    if kind == FormFieldType.NUMBER:
        widget: forms.Widget = forms.NumberInput(attrs=attrs)
    elif kind == FormFieldType.DATE:
        widget = VNDateInput(attrs=attrs)  # dd/mm/yyyy typed, whatever the browser's locale
    elif kind == FormFieldType.CHOICE:
        widget = forms.Select(
            attrs=attrs, choices=[("", "—")] + [(str(c), str(c)) for c in spec.choices or []]
        )
    elif kind == FormFieldType.PERSONAL_ID:
        widget = forms.TextInput(attrs={**attrs, "inputmode": "numeric", "autocomplete": "off"})
    elif kind == FormFieldType.ADDRESS:
        widget = forms.Textarea(attrs={**attrs, "rows": 2})
    else:
        widget = forms.TextInput(
            attrs={**attrs, **({"autocomplete": "name"} if kind == FormFieldType.PERSON else {})}
        )
    return forms.CharField(widget=widget, strip=False, **common)


class Declaration(forms.Form):
    """Checks its values with `catalog.selectors.clean_declaration`, the rule intake applies."""

    specs: list[FormField] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean, errors = clean_declaration(self.specs, data)
        for key, refusal in errors.items():
            self.add_error(key, refusal.message)
        return {**data, **clean}


def declaration_form(procedure: Procedure) -> type[Declaration]:
    """A Form class with one field per declaration field, in order, keyed by `FormField.key`."""
    specs = list(form_fields(procedure))
    fields: dict[str, Any] = {spec.key: _field(spec) for spec in specs}
    name = f"Declaration_{procedure.code.replace('.', '_')}"
    return type(name, (Declaration,), {**fields, "specs": specs})
