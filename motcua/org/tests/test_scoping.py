"""One scoping rule, four callers: anonymous, citizen, staff of another unit, staff of the unit."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from motcua.core.models import AuditEntry
from motcua.core.scoping import ALL
from motcua.org import services
from motcua.org.models import Role, Unit


@pytest.mark.django_db
def test_visible_units_per_caller(citizen, make_staff, ward_a, ward_b, province, auditor, province_admin):
    officer_a = make_staff(Role.SPECIALIST, ward_a)
    officer_b = make_staff(Role.SPECIALIST, ward_b)
    assert not Unit.objects.visible_to(AnonymousUser()).exists()
    assert not Unit.objects.visible_to(citizen).exists()
    assert list(Unit.objects.visible_to(officer_a)) == [ward_a]
    assert list(Unit.objects.visible_to(officer_b)) == [ward_b]
    # province staff see the units below; auditors see everything (read-only)
    below = Unit.objects.visible_to(province_admin)
    assert below.filter(pk=ward_a.pk).exists() and below.filter(pk=ward_b.pk).exists()
    assert below.filter(kind="ward", valid_to__isnull=True).count() == 113
    assert auditor.unit_scope() is ALL
    assert not Unit.objects.editable_by(auditor).exists()


@pytest.mark.django_db
def test_staff_of_two_units_see_both(make_staff, ward_a, ward_b):
    officer = make_staff(Role.SPECIALIST, ward_a)
    from motcua.org.models import StaffRole

    StaffRole.objects.create(user=officer, unit=ward_b, role=Role.DESK_OFFICER)
    officer = type(officer).objects.get(pk=officer.pk)
    assert set(Unit.objects.visible_to(officer)) == {ward_a, ward_b}


@pytest.mark.django_db
def test_inactive_roles_and_users_see_nothing(make_staff, ward_a):
    officer = make_staff(Role.SPECIALIST, ward_a)
    officer.roles.update(active=False)
    officer = type(officer).objects.get(pk=officer.pk)
    assert not Unit.objects.visible_to(officer).exists()


def _hours(unit):
    unit.refresh_from_db()
    return (unit.afternoon_end, unit.saturday_reception)


@pytest.mark.django_db
def test_office_hours_change_four_callers(citizen, make_staff, ward_a, ward_b, auditor):
    admin_a = make_staff(Role.UNIT_ADMIN, ward_a)
    admin_b = make_staff(Role.UNIT_ADMIN, ward_b)
    specialist_a = make_staff(Role.SPECIALIST, ward_a)
    before = _hours(ward_a)
    audit_count = AuditEntry.objects.count()
    for caller in (AnonymousUser(), citizen, admin_b, specialist_a, auditor):
        with pytest.raises(PermissionDenied):
            services.update_office_hours(ward_a, actor=caller, afternoon_end=dt.time(16, 30))
        assert _hours(ward_a) == before
    assert AuditEntry.objects.count() == audit_count
    services.update_office_hours(
        ward_a, actor=admin_a, afternoon_end=dt.time(16, 30), saturday_reception=True
    )
    assert _hours(ward_a) == (dt.time(16, 30), True)
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "org.office_hours_changed" and entry.actor_id == admin_a.pk
    assert entry.before == {"afternoon_end": "17:00:00", "saturday_reception": False}


@pytest.mark.django_db
def test_province_admin_may_act_in_any_ward(province_admin, ward_b):
    services.update_office_hours(ward_b, actor=province_admin, saturday_reception=True)
    ward_b.refresh_from_db()
    assert ward_b.saturday_reception


@pytest.mark.django_db
def test_granting_roles_needs_an_administrator_of_the_unit(make_staff, ward_a, ward_b):
    admin_b = make_staff(Role.UNIT_ADMIN, ward_b)
    admin_a = make_staff(Role.UNIT_ADMIN, ward_a)
    newcomer = make_staff(Role.SPECIALIST, ward_a)
    with pytest.raises(PermissionDenied):
        services.grant_role(newcomer, unit=ward_a, role=Role.UNIT_LEADER, actor=admin_b)
    assert not newcomer.roles.filter(role=Role.UNIT_LEADER).exists()
    services.grant_role(newcomer, unit=ward_a, role=Role.UNIT_LEADER, actor=admin_a)
    assert newcomer.roles.filter(role=Role.UNIT_LEADER, unit=ward_a, active=True).exists()


@pytest.mark.django_db
def test_outbox_viewer_is_scoped(client, citizen, make_staff, ward_a, ward_b):
    from motcua.core.notify import queue_message

    queue_message(key="t-a", channel="sms", recipient="0901000001", body="Hồ sơ A", unit_id=ward_a.pk)
    queue_message(key="t-b", channel="sms", recipient="0901000002", body="Hồ sơ B", unit_id=ward_b.pk)
    assert client.get("/staff/outbox/").status_code == 302
    client.force_login(citizen)
    assert client.get("/staff/outbox/").status_code == 403
    client.force_login(make_staff(Role.DESK_OFFICER, ward_a))
    page = client.get("/staff/outbox/").content.decode()
    assert "Hồ sơ A" in page and "Hồ sơ B" not in page


@pytest.mark.django_db
def test_can_act_in_is_answered_by_the_scope_rule(citizen, make_staff, ward_a, ward_b, province, auditor):
    """`can_act_in` and `unit_scope(write=True)` are one rule: for every unit and caller they agree."""
    Unit.objects.create(code="01", name="Thành phố Hà Nội", kind="province", province_code="01")
    callers = [
        make_staff(Role.SPECIALIST, ward_a),
        make_staff(Role.UNIT_LEADER, province),
        make_staff(Role.PROVINCE_ADMIN, province),
        auditor,
        citizen,
    ]
    units = list(Unit.objects.filter(valid_to__isnull=True)[:60]) + [ward_a, ward_b, province]
    for user in callers:
        user = type(user).objects.get(pk=user.pk)
        scope = user.unit_scope(write=True)
        assert isinstance(scope, tuple) and all(isinstance(pk, int) for pk in scope)
        for unit in units:
            assert user.can_act_in(unit) == (unit.pk in scope), (user, unit)
    specialist = type(callers[0]).objects.get(pk=callers[0].pk)
    assert specialist.can_act_in(ward_a, Role.SPECIALIST)
    assert not specialist.can_act_in(ward_a, Role.UNIT_LEADER)
    assert not specialist.can_act_in(ward_b, Role.SPECIALIST)
    assert auditor.unit_scope() is ALL and not auditor.can_act_in(ward_a)


@pytest.mark.django_db
def test_unit_scope_is_a_literal_id_list(make_staff, ward_a, province):
    officer = make_staff(Role.SPECIALIST, ward_a)
    assert officer.unit_scope() == (ward_a.pk,)
    Unit.objects.create(code="01", name="Thành phố Hà Nội", kind="province", province_code="01")
    leader = make_staff(Role.UNIT_LEADER, province)
    ids = leader.unit_scope()
    assert province.pk in ids and ward_a.pk in ids and list(ids) == sorted(ids)
    assert len(ids) == Unit.objects.filter(path__startswith=province.path).count()
