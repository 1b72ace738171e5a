import time

import pytest
import requests

from motcua.citizens.models import AppendOnlyError, LookupStatus, RegistryMessage
from motcua.citizens.selectors import SHARED_FIELD_NAMES
from motcua.citizens.services import lookup_person, prefill_for_citizen, verify_log
from motcua.citizens.tests.conftest import counter_lookup, intake

AN = "079090001234"  # pinned in the simulator: Nguyễn Văn An, the demo citizen


def _url(registry, path):
    return f"http://127.0.0.1:{registry.server_address[1]}{path}"


def test_simulator_requires_client_and_purpose_and_returns_hashes(registry):
    body = b'{"personal_id": "079090001234"}'
    assert requests.post(_url(registry, "/services/identity"), data=body).status_code == 401
    no_purpose = requests.post(
        _url(registry, "/services/identity"), data=body, headers={"X-Road-Client": "VN/GOV/79/motcua"}
    )
    assert no_purpose.status_code == 400
    ok = requests.post(
        _url(registry, "/services/identity"),
        data=body,
        headers={"X-Road-Client": "VN/GOV/79/motcua", "X-Road-Purpose": "1.001193"},
    )
    assert ok.status_code == 200
    import hashlib

    assert ok.headers["X-Request-Hash"] == hashlib.sha256(body).hexdigest() == ok.json()["request_hash"]
    assert ok.headers["X-Response-Hash"] == hashlib.sha256(ok.content).hexdigest()
    assert ok.json()["data"]["full_name"] == "Nguyễn Văn An"


def test_population_is_deterministic_with_consistent_ids(population):
    from motcua.citizens.population import Population
    from motcua.citizens.validation import validate_personal_id

    again = Population(population.size, population.seed)
    for index in (0, 1, 2, 3, 777, population.size - 1):
        person, twin = population.person(index), again.person(index)
        assert (person.personal_id, person.full_name, person.permanent_address) == (
            twin.personal_id,
            twin.full_name,
            twin.permanent_address,
        )
        validate_personal_id(person.personal_id, date_of_birth=person.date_of_birth, sex=person.sex)
        assert population.find(person.personal_id) is not None
    child = population.person(2)
    assert child.father.personal_id == population.person(0).personal_id
    assert child.mother.personal_id == population.person(1).personal_id
    ward_names = {name for _code, name in population.wards}
    assert child.ward_name in ward_names and len(ward_names) == 168


def test_desk_officer_gets_identity_and_residence_logged_with_purpose_and_hashes(registry, desk_officer):
    result = counter_lookup(desk_officer, AN, "1.001193")
    assert result.ok, result.error
    assert result.services == ["identity", "residence"]
    assert result.fields["full_name"] == "Nguyễn Văn An"
    assert result.fields["date_of_birth"] == "1990-05-12" and result.fields["sex"] == "male"
    assert "Cầu Ông Lãnh" in result.fields["permanent_address"]
    assert result.fields["household_relation"] == "Chủ hộ"
    assert result.fields["father_name"] == ""  # family is not a desk officer's service
    assert set(SHARED_FIELD_NAMES) <= set(result.fields)
    entries = list(RegistryMessage.objects.filter(pk__in=result.message_ids).order_by("seq"))
    assert [e.service for e in entries] == ["identity", "residence"]
    for entry in entries:
        assert entry.actor == desk_officer and entry.subject_id == AN
        assert entry.procedure_code == "1.001193" and entry.status == LookupStatus.OK
        assert len(entry.request_hash) == 64 and entry.request_hash == entry.registry_request_hash
        assert len(entry.response_hash) == 64 and entry.client_id == "VN/GOV/79/motcua"
        assert entry.unit.code == "26758"


def test_specialist_gets_family_and_marital_status(registry, specialist):
    result = counter_lookup(specialist, AN, "1.004873")
    assert result.ok
    assert result.fields["father_name"] == "Nguyễn Văn Bình"
    assert result.fields["mother_name"] == "Lê Thị Hoa"
    assert result.fields["spouse_name"] == "Trần Thị Bích"
    assert result.fields["marital_status"] == "married"
    assert result.fields["children"][0]["personal_id"] == "079224005678"


def test_invalid_id_not_found_and_refusals_never_raise(registry, specialist, auditor, citizen):
    bad = lookup_person(
        "12345", actor=specialist, procedure_code="1.001193", intake_session=intake(specialist, AN)
    )
    assert not bad.ok and "12 chữ số" in bad.error
    missing = counter_lookup(specialist, "079090999999")
    assert not missing.ok and "Không tìm thấy" in missing.error
    assert not lookup_person(AN, actor=auditor, procedure_code="x").ok
    no_purpose = lookup_person(AN, actor=specialist)
    assert not no_purpose.ok and "mục đích" in no_purpose.error
    other_person = lookup_person("079191004321", actor=citizen, procedure_code="1.001193")
    assert not other_person.ok and "không có quyền" in other_person.error
    denied = RegistryMessage.objects.filter(status=LookupStatus.DENIED)
    assert denied.count() == 3 and {e.request_hash for e in denied} == {""}  # refused before any call


def test_a_dossier_the_officer_cannot_see_is_refused_and_logged(registry, other_ward_specialist):
    before = registry.served
    result = lookup_person(
        AN, actor=other_ward_specialist, procedure_code="1.001193", dossier_code="000.00.58.H29-260101-0001"
    )
    assert not result.ok and result.code == "dossier_not_visible"
    assert registry.served == before  # the registry was never asked
    entry = RegistryMessage.objects.get(pk=result.message_ids[0])
    assert entry.status == LookupStatus.DENIED and entry.dossier_code == "000.00.58.H29-260101-0001"


@pytest.mark.parametrize("fault", [{"latency_ms": 2000}, {"down": True}, {"fail_rate": 1.0}])
def test_slow_or_failing_registry_gives_a_clear_reason_quickly(registry, desk_officer, fault):
    registry.faults.update(fault)
    started = time.monotonic()
    result = counter_lookup(desk_officer, AN, "1.001193")
    elapsed = time.monotonic() - started
    assert not result.ok
    assert "nhập thông tin thủ công" in result.error
    assert elapsed < 1.0  # timeout 0.5 s, one service only
    entry = RegistryMessage.objects.get(pk=result.message_ids[0])
    assert entry.status in (LookupStatus.TIMEOUT, LookupStatus.UNAVAILABLE)
    assert len(result.message_ids) == 1  # gave up after the first service


def test_registry_not_running_at_all(registry, desk_officer, settings):
    settings.MOTCUA_POPULATION_REGISTRY_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    started = time.monotonic()
    result = counter_lookup(desk_officer, AN, "1.001193")
    assert not result.ok and result.code == "unavailable" and time.monotonic() - started < 1.0
    assert RegistryMessage.objects.get(pk=result.message_ids[0]).attempts == 2  # one retry


def test_editing_or_deleting_a_logged_entry_is_detected(registry, desk_officer):
    counter_lookup(desk_officer, AN, "1.001193")
    counter_lookup(desk_officer, "079191004321", "1.001193")
    assert verify_log() == (4, [])
    first = RegistryMessage.objects.order_by("seq").first()
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    RegistryMessage.objects.filter(pk=first.pk).update(subject_id="079191004321")  # SQL behind the model
    checked, problems = verify_log()
    assert checked == 4 and problems == ["#1: content does not match its hash (edited?)"]


def test_verify_log_command_reports_tampering(registry, desk_officer):
    from django.core.management import CommandError, call_command

    counter_lookup(desk_officer, AN, "1.001193")
    call_command("registry", "verify-log")
    RegistryMessage.objects.filter(seq=2).update(purpose="something else")
    with pytest.raises(CommandError):
        call_command("registry", "verify-log")


def test_prefill_for_citizen_uses_the_account_id_and_records_consent(registry, citizen):
    from motcua.citizens.models import PrefillConsent

    result = prefill_for_citizen(citizen, procedure_code="1.001193")
    assert result.ok
    assert list(result.fields) == SHARED_FIELD_NAMES
    assert result.fields["full_name"] == "Nguyễn Văn An" and result.fields["spouse_name"] == "Trần Thị Bích"
    assert PrefillConsent.objects.filter(user=citizen, procedure_code="1.001193").count() == 1
    assert RegistryMessage.objects.filter(actor=citizen, subject_id=AN).count() == 4
    refused = prefill_for_citizen(citizen, consent=False)
    assert not refused.ok and "đồng ý" in refused.error
