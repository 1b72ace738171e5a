"""Four callers on every action of the document workflow, generated from the table: the allowed role of
the document's unit, the same role in another unit, a citizen, an anonymous caller. A refusal is exact and
changes nothing (row, directive, tasks, notes, replies, audit)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.core.models import AuditEntry
from motcua.documents.errors import DocumentError
from motcua.documents.models import DocumentStatus
from motcua.documents.tests.helpers import bring_to, new_document, params_for, snapshot
from motcua.documents.workflow import TRANSITIONS, Action, perform

ACTIONS = [a for a in TRANSITIONS if a != Action.REGISTER]


def _refused(document, action, actor, params, code):
    before = snapshot(document)
    with pytest.raises(DocumentError) as exc:
        perform(document, action, actor, **params)
    assert exc.value.code == code
    assert snapshot(document) == before


@pytest.fixture
def world(clerk, leader, specialist, ward_b, make_staff, citizen):
    return {
        "clerk": clerk,
        "leader": leader,
        "specialist": specialist,
        "ward_b": ward_b,
        "make": make_staff,
        "citizen": citizen,
    }


def test_every_action_names_roles_and_targets():
    for action, rule in TRANSITIONS.items():
        assert rule.roles and rule.targets, action
    assert set(TRANSITIONS) == set(Action)


@pytest.mark.parametrize("action", ACTIONS)
def test_four_callers(world, action):
    rule = TRANSITIONS[action]
    document = bring_to(
        rule.sources[0], clerk=world["clerk"], leader=world["leader"], specialist=world["specialist"]
    )
    other = new_document(world["clerk"]) if action == Action.WITHDRAW else None
    params = params_for(action, document, specialist=world["specialist"], other=other)
    role = rule.roles[0]
    allowed = world["make"](role, document.unit)
    elsewhere = world["make"](role, world["ward_b"])
    for caller in (elsewhere, world["citizen"], AnonymousUser(), None):
        _refused(document, action, caller, dict(params), "forbidden")
    before_status = document.status
    perform(document, action, allowed, **params)
    document.refresh_from_db()
    assert document.status in [t if t is not None else before_status for t in rule.targets]
    assert AuditEntry.objects.filter(action=f"documents.{action}", object_id=str(document.pk)).count() == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_wrong_state_is_refused_and_changes_nothing(world, action):
    rule = TRANSITIONS[action]
    outside = [
        s
        for s in (DocumentStatus.DONE, DocumentStatus.REGISTERED, DocumentStatus.ASSIGNED)
        if s not in rule.sources
    ]
    document = bring_to(
        outside[0], clerk=world["clerk"], leader=world["leader"], specialist=world["specialist"]
    )
    allowed = world["make"](rule.roles[0], document.unit)
    params = params_for(action, document, specialist=world["specialist"])
    _refused(document, action, allowed, params, "bad_state")


def test_directive_creates_tasks_with_working_day_deadline(world):
    document = bring_to(
        DocumentStatus.AWAITING_DIRECTIVE,
        clerk=world["clerk"],
        leader=world["leader"],
        specialist=world["specialist"],
    )
    perform(
        document,
        Action.DIRECT,
        world["leader"],
        text="Giao chuyên viên chủ trì",
        lead_person=world["specialist"],
        co_units=[world["ward_b"]],
        working_days=3,
        overlays=[{"page": 1, "strokes": [[[0.1, 0.1], [0.2, 0.25]]]}],
    )
    document.refresh_from_db()
    tasks = list(document.tasks.order_by("pk"))
    assert [t.role for t in tasks] == ["lead", "cooperate"]
    assert tasks[0].assignee == world["specialist"] and tasks[1].unit == world["ward_b"]
    from motcua.core.calendar import LegalTimeUnit, calendar_for

    expected = calendar_for(document.unit.province_code).due_at(
        document.directives.get().created_at, 3, LegalTimeUnit.WORKING_DAYS, document.unit.schedule
    )
    assert abs((tasks[0].deadline - expected).total_seconds()) < 60
    assert document.status == DocumentStatus.ASSIGNED
    assert document.directives.get().overlays == [{"page": 1, "strokes": [[[0.1, 0.1], [0.2, 0.25]]]}]


@pytest.mark.parametrize(
    "overlays",
    [
        "x",
        [{"page": 0, "strokes": []}],
        [{"page": 1, "strokes": [[[2, 0.5]]]}],
        [{"page": 1, "strokes": [[["a", 1]]]}],
    ],
)
def test_bad_overlays_are_refused(world, overlays):
    document = bring_to(
        DocumentStatus.REGISTERED,
        clerk=world["clerk"],
        leader=world["leader"],
        specialist=world["specialist"],
    )
    params = {**params_for(Action.DIRECT, document, specialist=world["specialist"]), "overlays": overlays}
    _refused(document, Action.DIRECT, world["leader"], params, "bad_overlay")


@pytest.mark.parametrize("text", ["", "   ", "a\x00b", "\ud800"])
def test_hostile_text_is_refused(world, text):
    document = bring_to(
        DocumentStatus.ASSIGNED, clerk=world["clerk"], leader=world["leader"], specialist=world["specialist"]
    )
    with pytest.raises(DocumentError) as exc:
        perform(document, Action.NOTE, world["specialist"], text=text)
    assert exc.value.code in ("text_required", "bad_field")
