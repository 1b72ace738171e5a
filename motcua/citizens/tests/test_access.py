"""Who may see a citizen's registry data: four callers on the citizen page, auditors on the log."""

import pytest
from django.urls import reverse

from motcua.citizens.models import RegistryMessage
from motcua.citizens.tests.conftest import counter_lookup, intake

AN = "079090001234"


@pytest.fixture
def dossier(ward_a, desk_officer):
    """A dossier about Nguyễn Văn An received at ward A, made through the dossiers app."""
    selectors = pytest.importorskip("motcua.dossiers.selectors")
    if not hasattr(selectors, "get_dossier_for_staff"):
        pytest.skip("dossiers.selectors.get_dossier_for_staff not available yet")
    from motcua.catalog.models import Procedure
    from motcua.dossiers import services

    procedure = Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", time_value=1, time_unit="working_days", online_level="full"
    )
    return services.receive_at_counter(
        procedure=procedure,
        receiving_unit=ward_a,
        actor=desk_officer,
        competent_unit=ward_a,
        applicant={
            "name": "Nguyễn Văn An",
            "personal_id": AN,
            "phone": "0901234567",
            "address": "Cầu Ông Lãnh",
        },
        form_data={"father_id": AN},
    )


def _person_url(code):
    return reverse("citizens:person") + f"?id={AN}&dossier={code}"


def test_four_callers_on_the_citizen_page(
    client, registry, dossier, citizen, other_ward_specialist, specialist
):
    url = _person_url(dossier.code)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(other_ward_specialist)
    assert client.get(url).status_code == 403
    assert RegistryMessage.objects.count() == 0  # nothing asked, nothing shown
    client.force_login(specialist)
    form = client.get(url)  # a link only fills the form: nothing asked yet (a cross-site GET asks nothing)
    assert form.status_code == 200 and RegistryMessage.objects.count() == 0
    assert "Nguyễn Văn An" not in form.content.decode()
    page = client.post(reverse("citizens:person"), {"id": AN, "dossier": dossier.code})
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode() and "Trần Thị Bích" in page.content.decode()
    logged = RegistryMessage.objects.filter(subject_id=AN, actor=specialist)
    assert logged.count() == 4 and set(logged.values_list("dossier_code", flat=True)) == {dossier.code}


def test_the_dossier_must_name_the_citizen(client, registry, dossier, specialist):
    client.force_login(specialist)
    url = reverse("citizens:person") + f"?id=079199007777&dossier={dossier.code}"
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("citizens:person"), {"id": "079199007777", "dossier": dossier.code}).status_code
        == 403
    )


def test_other_ward_specialist_lookup_with_the_dossier_is_refused(registry, dossier, other_ward_specialist):
    from motcua.citizens.services import lookup_person

    result = lookup_person(
        AN, actor=other_ward_specialist, procedure_code="1.001193", dossier_code=dossier.code
    )
    assert not result.ok and result.code == "dossier_not_visible"


# --- every look-up is bound to a case the officer holds (issue 11 item 7) -----------------------------------
def test_a_dossier_about_someone_else_is_no_case_for_this_person(registry, dossier, specialist):
    from motcua.citizens.services import lookup_person

    before = registry.served
    result = lookup_person(
        "079199007777", actor=specialist, procedure_code="1.001193", dossier_code=dossier.code
    )
    assert not result.ok and result.code == "case_mismatch" and "không liên quan" in result.error
    assert registry.served == before
    assert RegistryMessage.objects.get(pk=result.message_ids[0]).status == "denied"
    assert lookup_person(AN, actor=specialist, procedure_code="1.001193", dossier_code=dossier.code).ok


def test_without_a_case_an_officer_gets_nothing(registry, desk_officer, specialist):
    from motcua.citizens.services import lookup_person

    before = registry.served
    for officer in (desk_officer, specialist):
        result = lookup_person(AN, actor=officer, procedure_code="1.001193")
        assert not result.ok and result.code == "purpose_required" and "mục đích" in result.error
    assert registry.served == before
    assert RegistryMessage.objects.filter(status="denied").count() == 2


def test_counter_intake_sessions_without_a_dossier_are_capped_per_officer_per_day(
    registry, desk_officer, settings, population
):
    from motcua.citizens.errors import CitizensError
    from motcua.citizens.models import IntakeSession

    settings.MOTCUA_REGISTRY_INTAKE_PER_DAY = 2
    people = [population.person(i).personal_id for i in range(3)]
    assert counter_lookup(desk_officer, people[0], "1.001193").ok
    assert counter_lookup(desk_officer, people[1], "1.001193").ok
    with pytest.raises(CitizensError) as refused:
        intake(desk_officer, people[2])
    assert refused.value.code == "intake_limit" and "quá số lượt" in refused.value.message
    assert IntakeSession.objects.filter(officer=desk_officer).count() == 2
    entries = RegistryMessage.objects.filter(actor=desk_officer, status="ok")
    sessions = {f"intake {s.public_id}" for s in IntakeSession.objects.all()}
    assert set(entries.values_list("purpose", flat=True)) == sessions
    assert set(entries.values_list("procedure_code", flat=True)) == {"1.001193"}


def test_unusual_read_volume_alerts_the_unit_leader_once_a_day(
    registry, desk_officer, make_staff, ward_a, settings, population
):
    from motcua.core.models import AuditEntry, OutboundMessage
    from motcua.org.models import Role

    leader = make_staff(Role.UNIT_LEADER, ward_a, email="lanhdao@example.vn")
    settings.MOTCUA_READ_ALERT_PER_DAY = 2
    for i in range(4):
        counter_lookup(desk_officer, population.person(i).personal_id, "1.001193")
    alerts = AuditEntry.objects.filter(action="citizens.read_volume_alert")
    assert alerts.count() == 1
    alert = alerts.get()
    assert (
        alert.object_id == str(desk_officer.pk) and alert.after["people"] == 2 and alert.unit_id == ward_a.pk
    )
    message = OutboundMessage.objects.get(recipient=leader.email)
    assert desk_officer.username in message.body and "bất thường" in message.subject
