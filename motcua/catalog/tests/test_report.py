"""The worked example: two versions of a process, steps and hours removed, multiplied by volume."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog import services
from motcua.catalog.models import DecisionEffectKind
from motcua.catalog.report import reengineering_report, register_volume_provider, unregister_volume_provider
from motcua.org.models import Role

V1 = [  # 5 steps, 8 working hours
    ("Tiếp nhận", Role.DESK_OFFICER, "1"),
    ("Thẩm định", Role.SPECIALIST, "4"),
    ("Trình ký", Role.SPECIALIST, "1"),
    ("Ký", Role.UNIT_LEADER, "1"),
    ("Vào sổ, trả kết quả", Role.CLERK, "1"),
]
V2 = [  # 3 steps, 5 working hours: 2 steps and 3 hours removed per dossier
    ("Tiếp nhận, đối chiếu dữ liệu dân cư", Role.DESK_OFFICER, "1"),
    ("Thẩm định, dự thảo", Role.SPECIALIST, "3"),
    ("Ký số, trả kết quả", Role.UNIT_LEADER, "1"),
]


def _steps(rows):
    return [{"name": n, "role": r, "hours": Decimal(h)} for n, r, h in rows]


@pytest.fixture
def example(make_procedure, province):
    procedure = make_procedure("9.000010", "Thủ tục ví dụ", times=[["counter", "2.00", "working_days", ""]])
    other = make_procedure("9.000011", "Thủ tục khác")
    gone = make_procedure("9.000012", "Thủ tục bãi bỏ")
    replaced = make_procedure("9.000013", "Thủ tục được thay thế")
    approving = services.record_decision(
        actor="test",
        number="20/QĐ-UBND",
        date=dt.date(2026, 6, 15),
        issuer="UBND Thành phố",
        unit=province,
        effects=[
            (procedure, DecisionEffectKind.AMENDED, None),
            (other, DecisionEffectKind.STANDARDISED, None),
        ],
    )
    services.record_decision(
        actor="test",
        number="21/QĐ-UBND",
        date=dt.date(2026, 9, 1),
        issuer="UBND Thành phố",
        unit=province,
        effects=[(gone, DecisionEffectKind.ABOLISHED, None), (replaced, DecisionEffectKind.REPLACED, other)],
    )
    services.record_decision(  # another year: not counted
        actor="test",
        number="5/QĐ-UBND",
        date=dt.date(2025, 3, 1),
        issuer="UBND Thành phố",
        unit=province,
        effects=[(other, DecisionEffectKind.NEW, None)],
    )
    services.save_process(procedure, _steps(V1), actor="test", effective_from=dt.date(2025, 7, 1))
    services.save_process(
        procedure, _steps(V2), actor="test", effective_from=dt.date(2026, 7, 2), decision=approving
    )
    return procedure


def test_worked_example_with_dossier_records(example, province):
    def provider(procedure, start, end, unit):
        assert (start, end) == (dt.date(2026, 7, 2), dt.date(2026, 12, 31))
        return 400 if procedure.code == "9.000010" else None

    register_volume_provider(provider)
    try:
        report = reengineering_report(2026, province)
    finally:
        unregister_volume_provider(provider)

    assert report.decisions == 2
    assert report.effects[DecisionEffectKind.AMENDED] == 1
    assert report.effects[DecisionEffectKind.STANDARDISED] == 1
    assert report.abolished_total == 2  # one abolished + one replaced
    assert report.effects[DecisionEffectKind.REPLACED] == 1
    assert report.summary().startswith(
        "2 quyết định: 0 ban hành mới, 1 chuẩn hóa, 1 sửa đổi, 2 bãi bỏ (trong đó 1"
    )
    assert report.processes_changed == 1
    change = report.changes[0]
    assert (change.steps_before, change.steps_after, change.steps_removed) == (5, 3, 2)
    assert (change.hours_before, change.hours_after) == (Decimal(8), Decimal(5))
    assert change.hours_saved_per_dossier == Decimal(3)
    assert (change.dossiers, change.volume_source) == (400, "records")
    assert report.hours_saved_year == Decimal(1200)  # 3 h x 400 dossiers


def test_worked_example_estimated_from_last_year(example, province):
    services.set_volume(example, 2025, 730, actor="test", unit=province)
    report = reengineering_report(2026, province)
    change = report.changes[0]
    # In force 2 July - 31 December 2026: 183 of 365 days -> 730 x 183 / 365 = 366 dossiers.
    assert (change.dossiers, change.volume_source) == (366, "estimated")
    assert report.hours_saved_year == Decimal(1098)
    assert report.estimated is True


def test_report_page_and_exports(client, example, province, make_staff, ward_a, citizen):
    services.set_volume(example, 2025, 730, actor="test", unit=province)
    url = "/staff/catalog/tai-cau-truc/?year=2026&scope=79"
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(make_staff(Role.DESK_OFFICER, ward_a))
    assert client.get(url).status_code == 403
    client.force_login(make_staff(Role.UNIT_LEADER, ward_a))
    assert client.get(url).status_code == 403  # a ward leader cannot see the province's figures
    client.force_login(make_staff(Role.UNIT_LEADER, province))
    page = client.get(url).content.decode()
    assert "1098" in page and "9.000010" in page
    csv = client.get(url + "&format=csv").content.decode("utf-8-sig")
    assert "Số giờ làm việc tiết kiệm trong năm,1098.00" in csv
    xlsx = client.get(url + "&format=xlsx")
    assert xlsx.content.startswith(b"PK")
