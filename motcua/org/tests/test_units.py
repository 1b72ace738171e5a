"""Units come from the official lists, with their pre-2025 predecessors."""

import pytest
from django.core.management import call_command

from motcua.org.loader import load_province
from motcua.org.models import Unit, UnitKind
from motcua.org.selectors import find_unit_in_text, unit_by_code


@pytest.mark.django_db
def test_ho_chi_minh_city_has_168_commune_level_units(province):
    current = Unit.objects.filter(province_code="79", valid_to__isnull=True).commune_level()
    assert current.count() == 168
    kinds = {
        k: current.filter(kind=k).count() for k in (UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE)
    }
    assert kinds == {UnitKind.WARD: 113, UnitKind.COMMUNE: 54, UnitKind.SPECIAL_ZONE: 1}
    assert all(u.parent_id == province.pk for u in current)
    assert Unit.objects.filter(province_code="79", kind=UnitKind.AGENCY).count() == 3


@pytest.mark.django_db
def test_old_ward_cau_kho_resolves_to_cau_ong_lanh(province):
    old = Unit.objects.get(name="Phường Cầu Kho")
    assert old.code == "26761" and old.valid_to is not None
    assert old.parent.name == "Quận 1"
    assert old.resolve().name == "Phường Cầu Ông Lãnh"
    assert unit_by_code("26761").name == "Phường Cầu Ông Lãnh"
    predecessors = set(
        Unit.objects.get(code="26758", valid_to__isnull=True).predecessors.values_list("name", flat=True)
    )
    assert {"Phường Cầu Kho", "Phường Cô Giang", "Phường Nguyễn Cư Trinh"} <= predecessors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address, expected",
    [
        ("12 Trần Đình Xu, phường Cầu Kho, Quận 1, TP.HCM", "Phường Cầu Ông Lãnh"),
        ("12 Tran Dinh Xu, P. Cau Kho, Q1", "Phường Cầu Ông Lãnh"),
        ("5 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh", "Phường Bến Thành"),
        ("ấp 3, xã Cần Giờ", "Xã Cần Giờ"),
        ("đặc khu Côn Đảo", "Đặc khu Côn Đảo"),
    ],
)
def test_free_text_addresses_resolve_to_todays_unit(province, address, expected):
    assert find_unit_in_text(address).name == expected


@pytest.mark.django_db
def test_loading_twice_changes_nothing(province):
    count = Unit.objects.count()
    result = load_province("79", with_legacy=True, with_agencies=True)
    assert (result.created, result.updated) == (0, 0)
    assert Unit.objects.count() == count


@pytest.mark.django_db
def test_any_province_loads_by_command(capsys):
    call_command("load_units", "01", "--no-legacy")
    hanoi = Unit.objects.get(code="01", valid_to__isnull=True)
    assert hanoi.name == "Thành phố Hà Nội"
    assert Unit.objects.filter(parent=hanoi).count() == 126
    assert "126 commune-level units" in capsys.readouterr().out
