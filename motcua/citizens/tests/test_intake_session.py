"""Before a dossier exists, a registry look-up is bound to an intake session: the officer's own, open,
unexpired, for this person and this procedure (issue 11 item 7, the counter's look-up was only capped).
Anything else is refused, logged as denied, and never reaches the registry."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.citizens.errors import CitizensError
from motcua.citizens.models import IntakeOutcome, IntakeSession, LookupStatus, RegistryMessage
from motcua.citizens.services import (
    close_intake_session,
    link_intake_session,
    lookup_person,
    open_intake_session,
)
from motcua.citizens.tests.conftest import intake
from motcua.core.models import AuditEntry
from motcua.org.models import Role

AN, BINH = "079090001234", "079191004321"


def _refused(registry, code: str, **kwargs) -> None:
    before = (registry.served, RegistryMessage.objects.filter(status=LookupStatus.DENIED).count())
    result = lookup_person(**kwargs)
    assert not result.ok and result.code == code, (result.code, result.error)
    assert registry.served == before[0]  # the registry was never asked
    assert RegistryMessage.objects.filter(status=LookupStatus.DENIED).count() == before[1] + 1


def test_a_look_up_is_bound_to_the_officers_open_session_for_that_person(registry, desk_officer, ward_a):
    session = open_intake_session(
        desk_officer, unit=ward_a, procedure_code="1.001193", personal_id=AN, applicant_name="Nguyễn Văn An"
    )
    opened = AuditEntry.objects.get(action="citizens.intake_session_opened")
    assert opened.unit_id == ward_a.pk and opened.after["session"] == str(session.public_id)
    assert AN not in str(opened.after)  # the audit names the person masked; the session row holds the ID
    result = lookup_person(AN, actor=desk_officer, intake_session=str(session.public_id))
    assert result.ok, result.error
    entry = RegistryMessage.objects.get(pk=result.message_ids[0])
    assert entry.purpose == f"intake {session.public_id}" and entry.procedure_code == "1.001193"


def test_another_person_procedure_officer_or_a_closed_or_expired_session_is_refused(
    registry, desk_officer, make_staff, ward_a
):
    sid = intake(desk_officer, AN)
    _refused(registry, "case_mismatch", personal_id=BINH, actor=desk_officer, intake_session=sid)
    _refused(
        registry,
        "case_mismatch",
        personal_id=AN,
        actor=desk_officer,
        procedure_code="1.004873",
        intake_session=sid,
    )
    colleague = make_staff(Role.DESK_OFFICER, ward_a)
    _refused(registry, "intake_session_invalid", personal_id=AN, actor=colleague, intake_session=sid)
    _refused(
        registry, "intake_session_invalid", personal_id=AN, actor=desk_officer, intake_session="x' OR 1=1"
    )
    IntakeSession.objects.filter(public_id=sid).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(registry, "intake_session_expired", personal_id=AN, actor=desk_officer, intake_session=sid)
    IntakeSession.objects.filter(public_id=sid).update(expires_at=timezone.now() + dt.timedelta(hours=1))
    assert close_intake_session(sid, actor=desk_officer)
    _refused(registry, "intake_session_closed", personal_id=AN, actor=desk_officer, intake_session=sid)
    assert AuditEntry.objects.filter(action="citizens.intake_session_closed").count() == 1


def test_only_staff_with_registry_rights_in_the_unit_open_a_session(
    desk_officer, make_staff, ward_a, ward_b, citizen
):
    from django.contrib.auth.models import AnonymousUser

    callers = {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "other_ward": make_staff(Role.DESK_OFFICER, ward_b),
        "clerk": make_staff(Role.CLERK, ward_a),
        "auditor": make_staff(Role.AUDITOR, ward_a),
    }
    for name, caller in callers.items():
        with pytest.raises(CitizensError) as refused:
            open_intake_session(caller, unit=ward_a, procedure_code="1.001193", personal_id=AN)
        assert refused.value.code == "intake_not_allowed", name
    assert IntakeSession.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="citizens.intake_session").exists()
    with pytest.raises(CitizensError) as bad_id:
        open_intake_session(desk_officer, unit=ward_a, procedure_code="1.001193", personal_id="12345")
    assert bad_id.value.code == "invalid_id"
    with pytest.raises(CitizensError) as no_procedure:
        open_intake_session(desk_officer, unit=ward_a, procedure_code="", personal_id=AN)
    assert no_procedure.value.code == "purpose_required"
    assert open_intake_session(desk_officer, unit=ward_a, procedure_code="1.001193", personal_id=AN).pk


def test_linked_sessions_do_not_count_against_the_daily_limit(registry, desk_officer, settings, population):
    settings.MOTCUA_REGISTRY_INTAKE_PER_DAY = 1
    for i in range(3):  # each ends in a dossier: the counter works all day
        person = population.person(i).personal_id
        sid = intake(desk_officer, person)
        assert lookup_person(person, actor=desk_officer, intake_session=sid).ok
        assert link_intake_session(sid, actor=desk_officer, case_ref=f"HS-{i}", personal_id=person)
    assert IntakeSession.objects.filter(outcome=IntakeOutcome.LINKED).count() == 3
    assert AuditEntry.objects.filter(action="citizens.intake_session_linked").count() == 3
    abandoned = intake(desk_officer, population.person(5).personal_id)
    assert abandoned
    with pytest.raises(CitizensError) as refused:
        intake(desk_officer, population.person(6).personal_id)
    assert refused.value.code == "intake_limit"


def test_a_session_links_only_to_a_dossier_of_its_own_person_by_its_own_officer(
    desk_officer, make_staff, ward_a
):
    sid = intake(desk_officer, AN)
    colleague = make_staff(Role.DESK_OFFICER, ward_a)
    assert not link_intake_session(sid, actor=colleague, case_ref="HS-1", personal_id=AN)
    assert not link_intake_session(sid, actor=desk_officer, case_ref="HS-1", personal_id=BINH)
    assert IntakeSession.objects.get(public_id=sid).outcome == IntakeOutcome.OPEN
    assert link_intake_session(sid, actor=desk_officer, case_ref="HS-1", personal_id=AN)
    assert not link_intake_session(sid, actor=desk_officer, case_ref="HS-2", personal_id=AN)
    assert IntakeSession.objects.get(public_id=sid).case_ref == "HS-1"


def test_leaders_and_auditors_see_sessions_that_led_to_no_dossier_in_their_scope(
    client, desk_officer, make_staff, ward_a, ward_b, auditor
):
    from django.urls import reverse

    intake(desk_officer, AN)
    linked = intake(desk_officer, BINH)
    link_intake_session(linked, actor=desk_officer, case_ref="HS-1", personal_id=BINH)
    url = reverse("citizens:index")
    for viewer, sees in (
        (make_staff(Role.UNIT_LEADER, ward_a), True),
        (auditor, True),
        (make_staff(Role.UNIT_LEADER, ward_b), False),
        (desk_officer, None),  # no review section at all
    ):
        client.force_login(viewer)
        page = client.get(url)
        body = page.content.decode()
        assert page.status_code == 200
        if sees is None:
            assert 'id="unlinked-sessions"' not in body
            continue
        assert 'id="unlinked-sessions"' in body
        rows = page.context["unlinked_sessions"]
        if sees:
            assert [(r["officer__username"], r["sessions"], r["people"]) for r in rows] == [
                (desk_officer.username, 1, 1)
            ]
            assert desk_officer.username in body
        else:
            assert rows == [] and desk_officer.username not in body
