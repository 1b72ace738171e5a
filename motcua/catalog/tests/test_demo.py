from motcua.catalog import demo, selectors
from motcua.catalog.models import InternalProcess, OnlineLevel, Procedure
from motcua.catalog.report import reengineering_report
from motcua.core.models import AuditEntry


def test_demo_is_complete_and_a_second_run_changes_nothing(province):
    demo.seed()
    assert Procedure.objects.count() == 83
    assert not Procedure.objects.exclude(pk__in=InternalProcess.objects.values("procedure")).exists()
    assert InternalProcess.objects.filter(is_demo=False).count() == 0
    assert Procedure.objects.filter(online_level=OnlineLevel.FULL).count() >= 15
    assert Procedure.objects.filter(online_level=OnlineLevel.PARTIAL).count() >= 30
    birth = selectors.get_procedure("1.001193")
    keys = [f.key for f in selectors.form_fields(birth)]
    assert {"child_name", "child_dob", "child_sex", "father_id", "mother_id"} <= set(keys)
    assert selectors.legal_time(birth) == (0, "same_day")
    assert birth.processes.count() == 2
    report = reengineering_report(2026, province)
    assert report.processes_changed == 3 and report.hours_saved_year > 0
    entries = AuditEntry.objects.count()

    demo.seed()

    assert AuditEntry.objects.count() == entries
