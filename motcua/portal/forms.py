"""Portal forms: sign-in, the applicant part of the online wizard, kiosk feedback."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.citizens.validation import validate_personal_id
from motcua.portal.errors import PortalError
from motcua.portal.services import normalise_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except PortalError as exc:
            raise forms.ValidationError(exc.message) from None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=_("Họ, chữ đệm và tên người nộp"), max_length=200)
    applicant_personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,  # people type it in groups ("079 190 001 234"); the cleaned value has 12 digits
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=300)

    def clean_applicant_personal_id(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("applicant_personal_id", ""))
        return validate_personal_id(value) if value else value

    def clean_applicant_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["applicant_phone"])
        except PortalError as exc:
            raise forms.ValidationError(exc.message) from None


class KioskFeedbackForm(forms.Form):
    category = forms.ChoiceField(label=_("Lĩnh vực phản ánh"), required=False)
    description = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label=_("Địa điểm (nếu có)"), max_length=300, required=False)
    photo = forms.FileField(
        label=_("Ảnh (không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    contact_name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại để nhận trả lời (không bắt buộc)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args: Any, categories: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("— Chọn lĩnh vực —"))] + list(
            categories
        )

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        try:
            return normalise_phone(raw)
        except PortalError as exc:
            raise forms.ValidationError(exc.message) from None
