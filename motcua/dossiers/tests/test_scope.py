"""The one scope rule on dossiers and their children: a paper, a result, an event or a step is visible
exactly when its dossier is (competent unit, receiving unit, or an agency in linked processing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.scoping import ALL
from motcua.dossiers.models import Dossier, DossierEvent, DossierPaper, ResultPaper, Task, Transfer
from motcua.dossiers.tests.conftest import make_procedure
from motcua.org.models import Role, StaffRole, Unit

CHILDREN = (DossierPaper, ResultPaper, DossierEvent, Task)


def _dossier(code: str, procedure, *, unit: Unit, receiving: Unit) -> Dossier:
    moment = timezone.now()
    dossier = Dossier.objects.create(
        code=code,
        procedure=procedure,
        unit=unit,
        receiving_unit=receiving,
        applicant_name="Nguyễn Văn An",
        submitted_at=moment,
    )
    common = {"content_type": "application/pdf", "size": 10, "sha256": "0" * 64}
    DossierPaper.objects.create(dossier=dossier, name="Tờ khai", file="p.pdf", **common)
    ResultPaper.objects.create(dossier=dossier, name="Quyết định", file="r.pdf", **common)
    DossierEvent.objects.create(dossier=dossier, at=moment, action="receive")
    Task.objects.create(dossier=dossier, order=1, name="Thẩm định", role=Role.SPECIALIST, unit=unit)
    return dossier


@pytest.fixture
def linked(db, ward_a, ward_b, agency_justice):
    """One dossier competent in ward A, received in ward B, transferred to the justice department; and
    one dossier of ward B alone."""
    procedure = make_procedure()
    dossier = _dossier("H29-SCOPE-1", procedure, unit=ward_a, receiving=ward_b)
    moment = timezone.now()
    Transfer.objects.create(
        dossier=dossier,
        from_unit=ward_a,
        to_unit=agency_justice,
        hours=8,
        sent_at=moment,
        due_at=moment + dt.timedelta(days=1),
    )
    other = _dossier("H29-SCOPE-2", procedure, unit=ward_b, receiving=ward_b)
    return dossier, other


def _visible(model, user) -> set[str]:
    qs = model.objects.visible_to(user)
    if model is Dossier:
        return set(qs.values_list("code", flat=True))
    return set(qs.values_list("dossier__code", flat=True))


@pytest.mark.django_db
def test_children_follow_their_dossier_for_every_caller(
    linked, make_staff, citizen, ward_a, ward_b, agency_justice, auditor, province
):
    third_ward = Unit.objects.filter(kind="ward", valid_to__isnull=True).exclude(
        pk__in=[ward_a.pk, ward_b.pk]
    )[0]
    city_leader = make_staff(Role.UNIT_LEADER, province)
    expected = {
        "competent ward": (make_staff(Role.SPECIALIST, ward_a), {"H29-SCOPE-1"}),
        "receiving ward": (make_staff(Role.DESK_OFFICER, ward_b), {"H29-SCOPE-1", "H29-SCOPE-2"}),
        "linked agency": (make_staff(Role.SPECIALIST, agency_justice), {"H29-SCOPE-1"}),
        "another ward": (make_staff(Role.SPECIALIST, third_ward), set()),
        "city leader": (city_leader, {"H29-SCOPE-1", "H29-SCOPE-2"}),
        "auditor": (auditor, {"H29-SCOPE-1", "H29-SCOPE-2"}),
        "citizen": (citizen, set()),
        "anonymous": (AnonymousUser(), set()),
    }
    for label, (user, codes) in expected.items():
        assert _visible(Dossier, user) == codes, label
        for model in CHILDREN:
            assert _visible(model, user) == codes, (label, model.__name__)


@pytest.mark.django_db
def test_scope_query_uses_literal_unit_ids(linked, make_staff, ward_b, province):
    """No unit subquery and no EXISTS: PostgreSQL plans `unit_id IN (1, 2, 3)` with the indexes."""
    for user in (make_staff(Role.DESK_OFFICER, ward_b), make_staff(Role.UNIT_LEADER, province)):
        for model in (Dossier, *CHILDREN):
            sql = str(model.objects.visible_to(user).query).upper()
            assert sql.count("SELECT") == 1, (model.__name__, sql)
            assert "EXISTS" not in sql and "LIKE" not in sql


@pytest.mark.django_db
def test_linked_dossier_ids_are_fetched_only_outside_the_scope(linked, make_staff, ward_a, agency_justice):
    dossier, _ = linked
    agency = make_staff(Role.SPECIALIST, agency_justice)
    assert f"{dossier.pk}" in str(Dossier.objects.visible_to(agency).query)
    # an officer of both the sender and the agency: the sender's arm already holds it, two IN-lists only
    both = make_staff(Role.SPECIALIST, ward_a)
    StaffRole.objects.create(user=both, unit=agency_justice, role=Role.SPECIALIST)
    both = type(both).objects.get(pk=both.pk)
    sql = str(Dossier.objects.visible_to(both).query)
    assert sql.count(" IN (") == 2
    assert set(Dossier.objects.visible_to(both).values_list("code", flat=True)) == {"H29-SCOPE-1"}


@pytest.mark.django_db
def test_many_linked_dossiers_use_the_transfer_subquery(linked, make_staff, agency_justice, monkeypatch):
    from motcua.dossiers import models as dossier_models

    monkeypatch.setattr(dossier_models, "LINKED_LITERAL_LIMIT", 0)
    agency = make_staff(Role.SPECIALIST, agency_justice)
    assert set(Dossier.objects.visible_to(agency).values_list("code", flat=True)) == {"H29-SCOPE-1"}
    assert set(DossierPaper.objects.visible_to(agency).values_list("dossier__code", flat=True)) == {
        "H29-SCOPE-1"
    }


@pytest.mark.django_db
def test_a_scope_of_every_unit_reads_without_a_filter(linked, make_staff, province, ward_a):
    """A one-province deployment's city leader covers every unit: no 200-id OR, the plain indexes serve."""
    leader = make_staff(Role.UNIT_LEADER, province)
    assert leader.unit_scope() is ALL and leader.can_act_in(ward_a)
    assert "WHERE" not in str(Dossier.objects.visible_to(leader).query)
    # once another province shares the database, the same leader gets a literal list of its own units
    Unit.objects.create(code="01", name="Thành phố Hà Nội", kind="province", province_code="01")
    leader = type(leader).objects.get(pk=leader.pk)
    ids = leader.unit_scope()
    assert isinstance(ids, tuple) and ward_a.pk in ids and province.pk in ids
    assert set(Dossier.objects.visible_to(leader).values_list("code", flat=True)) == {
        "H29-SCOPE-1",
        "H29-SCOPE-2",
    }


@pytest.mark.django_db
def test_scope_is_computed_once_per_user_object(make_staff, province, ward_a):
    leader = make_staff(Role.UNIT_LEADER, province)
    leader = type(leader).objects.get(pk=leader.pk)
    with CaptureQueriesContext(connection) as first:
        scope = leader.unit_scope()
    with CaptureQueriesContext(connection) as again:
        assert leader.unit_scope() is scope
        assert leader.unit_scope(write=True) is scope
        assert leader.can_act_in(ward_a)
    assert len(first.captured_queries) == 3  # roles; every unit below the province; the unit count
    assert len(again.captured_queries) == 0
