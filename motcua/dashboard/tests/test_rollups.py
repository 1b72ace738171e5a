"""The roll-ups follow every action in its own transaction and agree with a rebuild from scratch: random
dossier and feedback action sequences (the workflows' own state machines), then `check` agrees."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from motcua.dashboard import rollups
from motcua.dashboard.models import DossierDay, FeedbackDay
from motcua.dossiers.tests import test_state_machine as dossier_machine
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Report
from motcua.feedback.tests.workflow_helpers import new_report, params_for
from motcua.feedback.workflow import TRANSITIONS as REPORT_TRANSITIONS
from motcua.feedback.workflow import Action as ReportAction
from motcua.feedback.workflow import perform as report_perform
from motcua.org.models import Role, User, UserKind


class RollupDossierMachine(dossier_machine.DossierMachine):
    """The dossier workflow's own machine, plus: the incremental roll-ups equal a recomputation."""

    @invariant()
    def rollups_agree(self) -> None:
        report = rollups.check(rollups.DOSSIER_TABLES)
        assert report.agrees, report.differences


@pytest.mark.django_db
def test_random_dossier_actions_keep_the_rollups_equal_to_a_rebuild(
    procedure, ward_a, ward_b, agency_justice, make_staff, citizen
):
    RollupDossierMachine.world = {
        "procedure": procedure,
        "ward_a": ward_a,
        "agency_unit": agency_justice,
        "desk": make_staff(Role.DESK_OFFICER, ward_a),
        "specialist": make_staff(Role.SPECIALIST, ward_a),
        "leader": make_staff(Role.UNIT_LEADER, ward_a),
        "clerk": make_staff(Role.CLERK, ward_a),
        "agency": make_staff(Role.SPECIALIST, agency_justice),
        "other_ward": make_staff(Role.UNIT_LEADER, ward_b),
        "owner": citizen,
        "citizen": User.objects.create_user(
            username="rollup-citizen", password="x" * 12, kind=UserKind.CITIZEN
        ),
        "anonymous": None,
    }
    run_state_machine_as_test(
        RollupDossierMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    assert DossierDay.objects.exists()
    before = rollups.stored(rollups.DOSSIER_TABLES)
    rollups.rebuild(rollups.DOSSIER_TABLES)
    assert rollups.stored(rollups.DOSSIER_TABLES) == before


REPORT_ACTIONS = [a for a in REPORT_TRANSITIONS if a != ReportAction.SUBMIT]


@pytest.mark.django_db
@pytest.mark.urls("motcua.feedback.tests.urls")
def test_random_feedback_actions_keep_the_rollups_equal_to_a_rebuild(
    categories, ward_a, agency_justice, make_staff
):
    people = {
        "specialist": make_staff(Role.SPECIALIST, ward_a),
        "leader": make_staff(Role.UNIT_LEADER, ward_a),
        "agency": make_staff(Role.UNIT_LEADER, agency_justice),
    }

    class Walk(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.report = new_report()
            self.other = new_report(description="Rác thải tồn đọng trước chợ E")

        @rule(action=st.sampled_from(REPORT_ACTIONS), who=st.sampled_from([*people, "reporter"]))
        def act(self, action, who) -> None:
            report = Report.objects.get(pk=self.report.pk)
            params = params_for(action, report, agency=agency_justice, other=self.other)
            try:
                report_perform(report, action, people.get(who, "reporter"), **params)
            except FeedbackError:
                pass

        @invariant()
        def rollups_agree(self) -> None:
            report = rollups.check(rollups.FEEDBACK_TABLES)
            assert report.agrees, report.differences

    run_state_machine_as_test(
        Walk,
        settings=settings(
            max_examples=10,
            stateful_step_count=12,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    assert FeedbackDay.objects.exists()


@pytest.mark.django_db
def test_the_command_rebuilds_and_checks(intake, capsys):
    intake()
    DossierDay.objects.all().delete()
    with pytest.raises(SystemExit):
        call_command("dashboard", "check")
    assert "khác" in capsys.readouterr().out
    call_command("dashboard", "rebuild")
    call_command("dashboard", "check")
    assert "khớp" in capsys.readouterr().out
