"""A hypothesis state machine over the feedback table: random actions by random callers. Invariants:
the status is always one the table can lead to; a refused action changes nothing; an allowed one moves
to one of its targets; the audit chain verifies at the end."""

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from motcua.core import audit
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Report
from motcua.feedback.tests.workflow_helpers import new_report, params_for, snapshot
from motcua.feedback.workflow import TRANSITIONS, Action, perform
from motcua.org.models import Role

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")

REACHABLE = {t for rule_ in TRANSITIONS.values() for t in rule_.targets if t is not None}
ACTIONS = [a for a in TRANSITIONS if a != Action.SUBMIT]
CALLERS = ["specialist", "leader", "other_ward", "citizen", "anonymous", "reporter", "stranger"]


def test_random_walks_respect_the_table(categories, ward_a, ward_b, agency_justice, make_staff, citizen):
    people = {
        "specialist": make_staff(Role.SPECIALIST, ward_a),
        "leader": make_staff(Role.UNIT_LEADER, ward_a),
        "other_ward": make_staff(Role.UNIT_LEADER, ward_b),
        "citizen": citizen,
        "anonymous": AnonymousUser(),
    }
    outcomes: list[str] = []

    class Walk(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.report = new_report()
            self.other = new_report(description="Rác thải tồn đọng trước chợ E")

        @rule(action=st.sampled_from(ACTIONS), who=st.sampled_from(CALLERS))
        def act(self, action, who):
            report = Report.objects.get(pk=self.report.pk)
            params = params_for(action, report, agency=agency_justice, other=self.other)
            actor = people.get(who, "reporter")
            if "token" in params and who != "reporter":
                params["token"] = "not-the-token"
            before = snapshot(report)
            try:
                perform(report, action, actor, **params)
            except FeedbackError as exc:
                outcomes.append(exc.code)
                assert snapshot(report) == before
                return
            outcomes.append(str(action))
            report.refresh_from_db()
            rule_ = TRANSITIONS[action]
            assert before["row"]["status"] in rule_.sources
            assert report.status in [t if t is not None else before["row"]["status"] for t in rule_.targets]
            assert snapshot(report)["audit"] > before["audit"]

        @invariant()
        def status_is_a_table_target(self):
            if hasattr(self, "report"):
                assert Report.objects.get(pk=self.report.pk).status in REACHABLE

    run_state_machine_as_test(
        Walk,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    _checked, problems = audit.verify()
    assert problems == []
    # the walk both moved reports through the table and met refusals of each kind
    assert {"forbidden", "bad_state", "bad_token"} <= set(outcomes)
    assert len(set(outcomes) & {str(a) for a in ACTIONS}) >= 4, sorted(set(outcomes))


def test_an_action_choosing_a_status_outside_the_table_fails(categories, ward_a, make_staff, monkeypatch):
    """perform() writes only table targets: a handler that picks another status is stopped, nothing written."""
    from motcua.feedback import workflow
    from motcua.feedback.trace import Step

    report = new_report()
    leader = make_staff(Role.UNIT_LEADER, ward_a)
    monkeypatch.setitem(
        workflow.HANDLERS, Action.NOTE, lambda row, actor, **kw: Step(target="closed", audit="x")
    )
    before = snapshot(report)
    with pytest.raises(AssertionError):
        perform(report, Action.NOTE, leader, text="ghi chú")
    assert snapshot(report) == before
