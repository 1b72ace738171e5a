from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Category, Classification
from motcua.feedback.selectors import public_categories
from motcua.org.selectors import current_communes


def _category_choices(*, include_private: bool = False):
    categories = Category.objects.filter(active=True) if include_private else public_categories()
    return [("", _("— Chưa rõ, để tổng đài phân loại —"))] + [(c.code, c.name) for c in categories]


def _ward_choices():
    return [("", _("— Chọn phường, xã —"))] + [(u.code, u.name) for u in current_communes().order_by("name")]


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    description = forms.CharField(
        label=_("Nội dung phản ánh"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    address = forms.CharField(label=_("Địa chỉ nơi xảy ra"), max_length=300, required=False)
    ward = forms.ChoiceField(label=_("Phường, xã"), required=False)
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(label=_("Kinh độ"), required=False, widget=forms.HiddenInput)
    photo = forms.FileField(label=_("Ảnh (không bắt buộc)"), required=False)
    contact_name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại (nhận tin nhắn mã phản ánh)"), max_length=20, required=False
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["ward"].choices = _ward_choices()


class ClassifyForm(forms.Form):
    """The classification card. It opens on the report's own class and category, so saving it never
    changes what the officer did not touch; a note is a separate card (the NOTE action)."""

    classification = forms.ChoiceField(label=_("Phân loại (NĐ 20/2008)"), choices=Classification.choices)
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    to_unit = forms.CharField(label=_("Chuyển đến đơn vị (mã)"), required=False, max_length=40)
    multi_agency = forms.BooleanField(label=_("Nhiều cơ quan cùng tham gia (15 ngày)"), required=False)
    reason = forms.CharField(
        label=_("Lý do"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # A class that changes the report's status (not accepted, outside competence) is an explicit decision:
    # it needs this box ticked, which always opens unticked.
    confirm_status = forms.BooleanField(
        label=_("Tôi xác nhận: không thụ lý hoặc chuyển phản ánh (đổi trạng thái, nhắn tin cho người phản ánh)"),
        required=False,
    )

    def __init__(self, *args, report=None, **kwargs):
        if report is not None:
            kwargs.setdefault(
                "initial",
                {
                    "classification": report.classification,
                    "category": report.category.code if report.category_id else "",
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(include_private=True)

    def clean_classification(self):
        value = self.cleaned_data["classification"]
        if not value:
            raise forms.ValidationError(_("Vui lòng chọn phân loại."))
        return value
