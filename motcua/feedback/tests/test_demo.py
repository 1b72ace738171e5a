"""The feedback demo walks reports through the workflow door only: every status is a table target, the
audit chain verifies, and a second run changes nothing."""

from motcua.core import audit
from motcua.feedback import demo
from motcua.feedback.models import Report, ReportEvent
from motcua.feedback.workflow import TRANSITIONS


def test_demo_reports_follow_the_table(db, province, monkeypatch):
    from motcua.org import demo as org_demo

    org_demo.seed()
    monkeypatch.setattr(demo, "DEMO_REPORTS", 40)
    demo.seed()
    reachable = {t for rule in TRANSITIONS.values() for t in rule.targets if t is not None}
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses <= reachable and len(statuses) >= 4, statuses
    events = ReportEvent.objects.count()
    demo.seed()
    assert Report.objects.count() == 40 and ReportEvent.objects.count() == events
    assert audit.verify()[1] == []
