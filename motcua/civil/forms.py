from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.civil.models import RECORD_MODELS, RecordKind
from motcua.civil.services import COMMON_FIELDS, KIND_FIELDS
from motcua.core.dates import VNDateField, VNDateInput

DATE_WIDGET = VNDateInput()  # dd/mm/yyyy whatever the browser's locale (core.dates)


def registration_form(kind: str) -> type[forms.ModelForm]:
    """A ModelForm for one kind of record (used by the screens and by the CSV import)."""
    model = RECORD_MODELS[kind]
    fields = KIND_FIELDS[kind] + COMMON_FIELDS
    dates = [f.name for f in model._meta.fields if f.get_internal_type() == "DateField"]
    widgets = {name: DATE_WIDGET for name in dates}
    field_classes = {name: VNDateField for name in dates}
    meta = type(
        "Meta", (), {"model": model, "fields": fields, "widgets": widgets, "field_classes": field_classes}
    )
    attrs = {
        "Meta": meta,
        "override_reason": forms.CharField(
            label=_("Lý do lãnh đạo cho phép đăng ký dù trùng (chỉ lãnh đạo)"),
            required=False,
            max_length=300,
        ),
    }
    form = type(f"{model.__name__}Form", (forms.ModelForm,), attrs)
    for name in ("register_book", "register_page", "registered_on", "register_number"):
        form.base_fields[name].required = False
    for f in model._meta.fields:
        if f.name in form.base_fields and f.has_default() and isinstance(f.default, str) and f.default:
            form.base_fields[f.name].required = False  # empty -> the default (e.g. "Kinh", "Việt Nam")
    form.base_fields["register_book"].help_text = _("Để trống: sổ của năm đăng ký. Sổ giấy có giá trị gốc.")
    form.base_fields["register_page"].help_text = _("Để trống: trang kế tiếp trong sổ.")
    return form


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Số định danh, mã đăng ký hoặc họ tên"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Loại việc"), required=False, choices=[("", _("Tất cả"))] + list(RecordKind.choices)
    )
    purpose = forms.CharField(
        label=_("Mục đích tra cứu"), max_length=200, initial=_("Cấp bản sao trích lục (2.000635)")
    )


class ExtractForm(forms.Form):
    collector_name = forms.CharField(label=_("Họ tên người nhận"), max_length=200)
    collector_personal_id = forms.CharField(
        label=_("Số định danh người nhận (đã kiểm tra giấy tờ tùy thân)"),
        max_length=12,
        min_length=12,
    )
    purpose = forms.CharField(label=_("Mục đích sử dụng"), max_length=300, required=False)
    fee_collected = forms.BooleanField(label=_("Đã thu lệ phí"), required=True)


class MaritalForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân của người yêu cầu"), max_length=12, min_length=12
    )
    purpose = forms.CharField(label=_("Mục đích sử dụng giấy xác nhận"), max_length=300)
    dossier_code = forms.CharField(label=_("Mã hồ sơ (nếu có)"), max_length=60, required=False)


class DossierCodeForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=60)
