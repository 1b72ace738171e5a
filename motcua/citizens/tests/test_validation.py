import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from motcua.citizens import idnumber
from motcua.citizens.provinces import id_province_codes
from motcua.citizens.validation import validate_personal_id

PROVINCES = sorted(id_province_codes())


def test_official_province_codes_are_the_63_pre_2025_provinces():
    assert len(PROVINCES) == 63
    assert PROVINCES[0] == "001" and PROVINCES[-1] == "096"
    assert "079" in PROVINCES and "003" not in PROVINCES


def test_valid_number_passes_and_is_cleaned():
    assert (
        validate_personal_id(" 079090001234 ", date_of_birth=dt.date(1990, 5, 12), sex="male")
        == "079090001234"
    )


@pytest.mark.parametrize("value", ["", "07909000123", "0790900012345", "07909000123a", "079-090-001234"])
def test_structure_errors_say_12_digits(value):
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(value)
    assert "12 chữ số" in exc.value.messages[0]


def test_unknown_province_code_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_personal_id("003090001234")
    assert "mã tỉnh" in exc.value.messages[0]
    assert exc.value.error_list[0].code == "personal_id_province"


def test_century_digit_must_match_birth_year():
    # 2 = a man born in the 2000s; a birth date in 1990 does not fit.
    with pytest.raises(ValidationError) as exc:
        validate_personal_id("079290001234", date_of_birth=dt.date(1990, 1, 1))
    text = " ".join(exc.value.messages)
    assert "năm 2090" in text and "năm 1990" in text
    # 2090 is also in the future: said too, so the clerk sees which digit to check
    assert [e.code for e in exc.value.error_list] == ["personal_id_future_year", "personal_id_birth_year"]


def test_sex_digit_must_match_sex_and_all_problems_are_listed_at_once():
    with pytest.raises(ValidationError) as exc:
        validate_personal_id("003190001234", date_of_birth=dt.date(1991, 1, 1), sex="male")
    codes = [e.code for e in exc.value.error_list]
    assert codes == ["personal_id_province", "personal_id_birth_year", "personal_id_sex"]


@given(
    province=st.sampled_from(PROVINCES),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()),
    sex=st.sampled_from(["male", "female"]),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_property_composed_numbers_validate_and_parse_back(province, birth, sex, serial):
    """Every number of a person born up to today validates; later birth years are refused below."""
    value = idnumber.compose(province, birth.year, sex, serial)
    assert validate_personal_id(value, date_of_birth=birth, sex=sex) == value
    parts = idnumber.parse(value)
    assert (parts["province"], parts["birth_year"], parts["sex"]) == (province, birth.year, sex)


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2399, 12, 31)),
    sex=st.sampled_from(["male", "female"]),
    other=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2399, 12, 31)),
)
def test_property_any_other_birth_year_or_sex_is_refused(birth, sex, other):
    value = idnumber.compose("079", birth.year, sex, 1)
    if other.year != birth.year:
        with pytest.raises(ValidationError):
            validate_personal_id(value, date_of_birth=other)
    flipped = "female" if sex == "male" else "male"
    with pytest.raises(ValidationError):
        validate_personal_id(value, sex=flipped)


@given(
    year=st.integers(min_value=dt.date.today().year + 1, max_value=2399),
    sex=st.sampled_from(["male", "female"]),
)
def test_property_a_birth_year_after_this_year_is_refused(year, sex):
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(idnumber.compose("079", year, sex, 1))
    assert exc.value.error_list[0].code == "personal_id_future_year"


@given(st.text(max_size=14))
def test_property_anything_not_12_digits_is_refused(text):
    cleaned = text.strip().replace(" ", "")
    if len(cleaned) == 12 and all(c in "0123456789" for c in cleaned):
        return
    with pytest.raises(ValidationError):
        validate_personal_id(text)
