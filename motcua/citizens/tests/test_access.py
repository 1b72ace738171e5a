"""Who may see a citizen's registry data: four callers on the citizen page, auditors on the log."""

import pytest
from django.urls import reverse

from motcua.citizens.models import RegistryMessage

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
    page = client.get(url)
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode() and "Trần Thị Bích" in page.content.decode()
    logged = RegistryMessage.objects.filter(subject_id=AN, actor=specialist)
    assert logged.count() == 4 and set(logged.values_list("dossier_code", flat=True)) == {dossier.code}


def test_the_dossier_must_name_the_citizen(client, registry, dossier, specialist):
    client.force_login(specialist)
    url = reverse("citizens:person") + f"?id=079199007777&dossier={dossier.code}"
    assert client.get(url).status_code == 403


def test_other_ward_specialist_lookup_with_the_dossier_is_refused(registry, dossier, other_ward_specialist):
    from motcua.citizens.services import lookup_person

    result = lookup_person(
        AN, actor=other_ward_specialist, procedure_code="1.001193", dossier_code=dossier.code
    )
    assert not result.ok and result.code == "dossier_not_visible"
