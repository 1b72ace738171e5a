"""Registration from the result of a birth registration dossier (1.001193): form data pre-filled, the
extract attached to the dossier as its result. The direct screen keeps working without a dossier."""

import datetime as dt

import pytest
from django.urls import reverse

from motcua.civil.models import BirthRecord, ExtractCopy

selectors = pytest.importorskip("motcua.dossiers.selectors")


@pytest.fixture
def birth_dossier(ward_a, desk_officer, specialist):
    from motcua.catalog import services as catalog
    from motcua.catalog.demo import FORMS
    from motcua.dossiers import services
    from motcua.dossiers.tests.conftest import files_for, make_procedure

    procedure = make_procedure("1.001193", name="Đăng ký khai sinh")
    catalog.update_procedure(
        procedure, actor="test", form_fields=FORMS["1.001193"]
    )  # the catalog's real form
    dossier = services.receive_at_counter(
        procedure=procedure,
        receiving_unit=ward_a,
        actor=desk_officer,
        competent_unit=ward_a,
        applicant={
            "name": "Nguyễn Văn An",
            "personal_id": "079090001234",
            "phone": "0901234567",
            "address": "Phường Cầu Ông Lãnh",
        },
        form_data={
            "applicant_name": "Nguyễn Văn An",
            "applicant_id": "079090001234",
            "applicant_address": "Phường Cầu Ông Lãnh",
            "relation": "Cha",
            "child_name": "Nguyễn Minh Khang",
            "child_dob": "2024-02-20",
            "child_sex": "Nam",
            "child_ethnicity": "Kinh",
            "child_nationality": "Việt Nam",
            "child_birthplace": "Bệnh viện Từ Dũ",
            "mother_name": "Trần Thị Bích",
            "mother_id": "079191004321",
        },
        files=files_for(procedure),
    )
    task = selectors.current_task(dossier)
    if task is not None and task.role == "specialist":
        services.claim_task(task, actor=specialist)
    dossier.refresh_from_db()
    return dossier


def test_register_from_a_dossier_prefills_and_attaches_the_extract(client, birth_dossier, specialist):
    client.force_login(specialist)
    start = client.post(reverse("civil:from_dossier"), {"code": birth_dossier.code})
    url = reverse("civil:register", args=["birth"]) + f"?dossier={birth_dossier.code}"
    assert start.status_code == 302 and start["Location"] == url
    form = client.get(url).context["form"]
    assert form.initial["child_name"] == "Nguyễn Minh Khang" and form.initial["child_sex"] == "male"
    assert form.initial["child_date_of_birth"] == "2024-02-20"
    assert form.initial["mother_personal_id"] == "079191004321"
    assert form.initial["father_personal_id"] == "079090001234"  # the applicant, a man
    post = {
        "child_name": "Nguyễn Minh Khang",
        "child_sex": "male",
        "child_date_of_birth": "2024-02-20",
        "place_of_birth": "Bệnh viện Từ Dũ",
        "father_name": "Nguyễn Văn An",
        "father_personal_id": "079090001234",
        "mother_name": "Trần Thị Bích",
        "mother_personal_id": "079191004321",
        "dossier": birth_dossier.code,
    }
    response = client.post(url, post)
    record = BirthRecord.objects.get()
    assert response.status_code == 302
    assert record.source == "dossier" and record.dossier_code == birth_dossier.code
    copy = ExtractCopy.objects.get(record_id=record.pk)
    assert copy.fee == 0 and copy.collector_personal_id == "079090001234"
    assert birth_dossier.status == "processing"
    names = list(selectors.result_files(birth_dossier).values_list("name", flat=True))
    assert names == ["Trích lục khai sinh"]


def test_a_dossier_of_another_ward_cannot_be_opened(client, birth_dossier, other_ward_specialist):
    client.force_login(other_ward_specialist)
    page = client.post(reverse("civil:from_dossier"), {"code": birth_dossier.code})
    assert page.status_code == 200 and "Không mở được hồ sơ" in page.content.decode()
    assert BirthRecord.objects.count() == 0


def test_direct_registration_needs_no_dossier(client, specialist):
    client.force_login(specialist)
    response = client.post(
        reverse("civil:register", args=["death"]),
        {
            "deceased_name": "Lê Văn Tư",
            "deceased_sex": "male",
            "date_of_death": dt.date(2026, 1, 5).isoformat(),
            "place_of_death": "Nhà riêng",
        },
    )
    assert response.status_code == 302
