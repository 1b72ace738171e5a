import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog import selectors, services
from motcua.catalog.errors import CatalogError
from motcua.catalog.models import InternalProcess
from motcua.org.models import Role


def steps(*hours, role=Role.SPECIALIST):
    return [
        {"name": f"Bước {i}", "role": role, "hours": Decimal(str(h))} for i, h in enumerate(hours, start=1)
    ]


def test_hours_must_fit_in_the_legal_time(make_procedure):
    procedure = make_procedure(times=[["counter", "3.00", "working_days", ""]])  # 24 working hours
    assert services.validate_process(procedure, steps(8, 8, 8)) == []
    with pytest.raises(CatalogError) as exc:
        services.save_process(procedure, steps(8, 8, 8.5), actor="test")
    assert exc.value.code == "hours_exceed"
    assert "24.5" in exc.value.message and "24" in exc.value.message
    assert not InternalProcess.objects.filter(procedure=procedure).exists()


def test_same_day_procedures_have_one_working_day(make_procedure):
    procedure = make_procedure(times=[["counter", "0.00", "same_day", ""]])
    assert selectors.legal_time_hours(procedure) == Decimal(8)
    assert services.validate_process(procedure, steps(9))[0].code == "hours_exceed"


def test_every_step_needs_a_known_role(make_procedure):
    procedure = make_procedure()
    problems = services.validate_process(procedure, [{"name": "Ký", "role": "king", "hours": 1}])
    assert [p.code for p in problems] == ["unknown_role"]
    assert services.validate_process(procedure, [])[0].code == "no_steps"
    assert services.validate_process(procedure, steps(0))[0].code == "step_hours"


def test_versions_and_the_process_in_force(make_procedure):
    procedure = make_procedure()
    v1 = services.save_process(procedure, steps(4, 4), actor="test", effective_from=dt.date(2025, 7, 1))
    v2 = services.save_process(procedure, steps(2), actor="test", effective_from=dt.date(2026, 4, 1))
    assert (v1.version, v2.version) == (1, 2)
    assert selectors.current_process(procedure, on=dt.date(2026, 3, 31)) == v1
    assert selectors.current_process(procedure, on=dt.date(2026, 4, 1)) == v2
    assert [s.name for s in v2.steps.order_by("order")] == ["Bước 1"]
    assert selectors.current_process(procedure, on=dt.date(2025, 1, 1)) is None


def test_a_units_own_version_wins(make_procedure, ward_a, ward_b):
    procedure = make_procedure()
    general = services.save_process(procedure, steps(4), actor="test", effective_from=dt.date(2025, 7, 1))
    own = services.save_process(
        procedure, steps(3), actor="test", effective_from=dt.date(2025, 7, 1), unit=ward_a
    )
    assert selectors.current_process(procedure, unit=ward_a) == own
    assert selectors.current_process(procedure, unit=ward_b) == general
