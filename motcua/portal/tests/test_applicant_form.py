"""The online wizard's applicant form uses the platform's one rule for ID numbers and phone numbers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.citizens import idnumber
from motcua.citizens.provinces import id_province_codes
from motcua.portal.forms import ApplicantForm

PROVINCES = sorted(id_province_codes())
THIS_YEAR = dt.date.today().year


def _form(personal_id: str, phone: str = "0901234567") -> ApplicantForm:
    return ApplicantForm(
        data={
            "applicant_name": "Nguyễn Văn An",
            "applicant_personal_id": personal_id,
            "applicant_phone": phone,
            "applicant_address": "12 Lê Lợi, phường Sài Gòn",
        }
    )


@settings(max_examples=40, deadline=None)
@given(
    province=st.sampled_from(PROVINCES),
    year=st.integers(min_value=1900, max_value=THIS_YEAR),
    sex=st.sampled_from(["male", "female"]),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_property_any_well_formed_id_is_accepted_as_typed_with_spaces(province, year, sex, serial):
    value = idnumber.compose(province, year, sex, serial)
    form = _form(f"{value[:3]} {value[3:6]} {value[6:]}")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["applicant_personal_id"] == value


def test_id_with_an_unknown_province_code_is_refused_with_the_reason():
    form = _form("999190001234")
    assert not form.is_valid()
    assert form.errors["applicant_personal_id"] == [
        "Ba chữ số đầu (999) không phải mã tỉnh, thành phố nơi đăng ký khai sinh hợp lệ (001-096)."
    ]


def test_id_whose_birth_year_is_in_the_future_is_refused():
    value = idnumber.compose("079", THIS_YEAR + 1, "male", 1)
    form = _form(value)
    assert not form.is_valid()
    assert f"năm sinh {THIS_YEAR + 1}, sau năm hiện tại" in form.errors["applicant_personal_id"][0]


def test_empty_id_stays_optional_and_phone_is_normalised():
    form = _form("", phone="+84 90 123 4567")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["applicant_personal_id"] == ""
    assert form.cleaned_data["applicant_phone"] == "0901234567"
