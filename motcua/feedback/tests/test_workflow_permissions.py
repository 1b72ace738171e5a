"""Four callers on every action of the feedback workflow, generated from the table: the allowed role of
the report's unit, the same role in another unit, a citizen, an anonymous caller. A refusal is exact and
changes nothing (row, trace, answers, ratings, audit log, outbox)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.feedback.errors import FeedbackError
from motcua.feedback.tests.workflow_helpers import bring_to, new_report, params_for, snapshot
from motcua.feedback.workflow import PUBLIC, REPORTER, TRANSITIONS, UNIT, Action, perform
from motcua.org.models import Role

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")

UNIT_ACTIONS = [a for a, t in TRANSITIONS.items() if t.who == UNIT]
REPORTER_ACTIONS = [a for a, t in TRANSITIONS.items() if t.who == REPORTER]


def test_every_action_has_a_caller_rule():
    assert {t.who for t in TRANSITIONS.values()} <= {UNIT, REPORTER, PUBLIC}
    assert set(UNIT_ACTIONS) | set(REPORTER_ACTIONS) | {Action.SUBMIT} == set(TRANSITIONS)
    assert all(TRANSITIONS[a].roles for a in UNIT_ACTIONS)


@pytest.fixture
def world(categories, ward_a, ward_b, agency_justice, make_staff, citizen):
    return {
        "drafter": make_staff(Role.SPECIALIST, ward_a),
        "leader": make_staff(Role.UNIT_LEADER, ward_a),
        "agency": agency_justice,
        "ward_b": ward_b,
        "citizen": citizen,
        "make_staff": make_staff,
    }


def _refused(report, action, actor, params, code):
    before = snapshot(report)
    with pytest.raises(FeedbackError) as exc:
        perform(report, action, actor, **params)
    assert exc.value.code == code
    assert snapshot(report) == before


@pytest.mark.parametrize("action", UNIT_ACTIONS)
def test_four_callers_on_staff_action(world, action):
    rule = TRANSITIONS[action]
    report = bring_to(rule.sources[0], drafter=world["drafter"], leader=world["leader"])
    other = new_report(description="Rác thải tồn đọng trước chợ C") if action == Action.MERGE else None
    role = rule.roles[0]
    allowed = world["make_staff"](role, report.unit)
    elsewhere = world["make_staff"](role, world["ward_b"])
    params = params_for(action, report, agency=world["agency"], other=other)
    for caller in (elsewhere, world["citizen"], AnonymousUser(), None):
        _refused(report, action, caller, dict(params), "forbidden")
    before = report.status
    perform(report, action, allowed, **params)
    report.refresh_from_db()
    assert report.status in [t if t is not None else before for t in rule.targets]
    assert snapshot(report)["audit"] > 0


@pytest.mark.parametrize("action", REPORTER_ACTIONS)
def test_only_the_rating_link_may_rate_or_reopen(world, action):
    rule = TRANSITIONS[action]
    report = bring_to(rule.sources[0], drafter=world["drafter"], leader=world["leader"])
    params = params_for(action, report, agency=world["agency"])
    unit_leader = world["make_staff"](Role.UNIT_LEADER, report.unit)
    elsewhere = world["make_staff"](Role.UNIT_LEADER, world["ward_b"])
    for caller in (unit_leader, elsewhere, world["citizen"], AnonymousUser()):
        for token in ("", "wrong-token"):
            _refused(report, action, caller, {**params, "token": token}, "bad_token")
    perform(report, action, "reporter", **params)
    report.refresh_from_db()
    assert report.status in [t if t is not None else rule.sources[0] for t in rule.targets]


@pytest.mark.parametrize("action", UNIT_ACTIONS)
def test_wrong_state_is_refused_and_changes_nothing(world, action):
    """From a status the table does not list, even the allowed role is refused with 'bad_state'."""
    rule = TRANSITIONS[action]
    outside = [s for s in ("merged", "not_accepted", "closed", "assigned") if s not in rule.sources]
    if not outside:
        pytest.skip("the action is allowed from every status")
    report = bring_to(outside[0], drafter=world["drafter"], leader=world["leader"])
    other = new_report(description="Rác thải tồn đọng trước chợ D") if action == Action.MERGE else None
    allowed = world["make_staff"](rule.roles[0], report.unit)
    params = params_for(action, report, agency=world["agency"], other=other)
    _refused(report, action, allowed, params, "bad_state")
