"""Input a population or civil-status registry would reject is rejected on every surface that accepts it:
a personal ID number with a wrong structure, an unknown province code or a birth year in the future, an
ID whose birth year contradicts the date of birth given with it, and dates of birth or events after today.
Each surface answers in Vietnamese and stores nothing (issue 12 item 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import FormField
from motcua.citizens import idnumber
from motcua.civil.errors import CivilError
from motcua.civil.models import BirthRecord, RecordKind
from motcua.civil.services import register
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import APPLICANT, PDF, files_for, make_procedure
from motcua.portal.forms import ApplicantForm

THIS_YEAR = dt.date.today().year
TOMORROW = dt.date.today() + dt.timedelta(days=1)
BAD_IDS = {
    "structure": "07909000123",
    "province": "999090001234",
    "future_year": idnumber.compose("079", THIS_YEAR + 1, "male", 1),
}
KHANG = {
    "child_name": "Nguyễn Minh Khang",
    "child_personal_id": "079224005678",
    "child_sex": "male",
    "child_date_of_birth": dt.date(2024, 2, 20),
    "place_of_birth": "Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh",
    "father_name": "Nguyễn Văn An",
    "father_personal_id": "079090001234",
    "mother_name": "Trần Thị Bích",
    "mother_personal_id": "079191004321",
}


@pytest.fixture
def procedure(db):
    procedure = make_procedure("1.990012")
    FormField.objects.create(
        procedure=procedure,
        order=4,
        key="so_dinh_danh",
        label="Số định danh cá nhân",
        field_type="personal_id",
        required=False,
        registry_field="personal_id",
    )
    return procedure


def _counter_service(procedure, ward, officer, *, applicant=None, form_data=None):
    return services.receive_at_counter(
        procedure=procedure,
        receiving_unit=ward,
        actor=officer,
        applicant=applicant or dict(APPLICANT),
        form_data=form_data or {"ho_ten": "Nguyễn Văn An"},
        files=files_for(procedure),
        competent_unit=ward,
    )


def _online_service(procedure, ward, citizen, *, applicant=None, form_data=None):
    return services.submit_online(
        procedure=procedure,
        citizen_user=citizen,
        applicant=applicant or dict(APPLICANT),
        form_data=form_data or {"ho_ten": "Nguyễn Văn An"},
        files=files_for(procedure),
        idempotency_key="online-registry-1",
        receiving_unit=ward,
        competent_unit=ward,
    )


def _api(procedure, ward, officer, *, applicant=None, form_data=None):
    api = APIClient()
    token, _created = Token.objects.get_or_create(user=officer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api.post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "receiving_unit": ward.code,
            "competent_unit": ward.code,
            "channel": "post",
            "applicant": applicant or dict(APPLICANT),
            "form_data": form_data or {"ho_ten": "Nguyễn Văn An"},
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="api-registry-1",
    )


def _counter_screen(client, procedure, ward, officer, *, applicant=None, form_data=None):
    client.force_login(officer)
    applicant = applicant or dict(APPLICANT)
    data = {
        "procedure": procedure.code,
        "receiving_unit": ward.pk,
        "competent_unit": ward.pk,
        "channel": "counter",
        "applicant_name": applicant["name"],
        "applicant_personal_id": applicant["personal_id"],
        "applicant_phone": applicant["phone"],
        "outcome": "accept",
        "idempotency_key": "screen-registry-1",
        **{f"f_{k}": v for k, v in (form_data or {"ho_ten": "Nguyễn Văn An"}).items()},
    }
    for r in procedure.requirements.filter(kind="submit"):
        data[f"paper_{r.pk}"] = SimpleUploadedFile(f"p{r.pk}.pdf", PDF)
    return client.post(reverse("dossiers:intake"), data)


def _refused(call) -> str:
    """Run a surface; return its Vietnamese refusal (exception message or response body)."""
    try:
        response = call()
    except (DossierError, CivilError) as exc:
        return exc.message
    assert 400 <= response.status_code < 500, response.status_code
    return response.content.decode()


SURFACES = ["counter", "counter_screen", "api", "online"]


def _surface(name, procedure, ward_a, desk_officer, citizen, client):
    if name == "counter":
        return lambda **kw: _counter_service(procedure, ward_a, desk_officer, **kw)
    if name == "counter_screen":
        return lambda **kw: _counter_screen(client, procedure, ward_a, desk_officer, **kw)
    if name == "api":
        return lambda **kw: _api(procedure, ward_a, desk_officer, **kw)
    return lambda **kw: _online_service(procedure, ward_a, citizen, **kw)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("problem", sorted(BAD_IDS))
def test_applicant_id_a_registry_would_reject(
    surface, problem, procedure, ward_a, desk_officer, citizen, client
):
    submit = _surface(surface, procedure, ward_a, desk_officer, citizen, client)
    text = _refused(lambda: submit(applicant=dict(APPLICANT, personal_id=BAD_IDS[problem])))
    assert "Số định danh cá nhân không hợp lệ" in text
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("problem", sorted(BAD_IDS))
def test_declared_id_a_registry_would_reject(
    surface, problem, procedure, ward_a, desk_officer, citizen, client
):
    submit = _surface(surface, procedure, ward_a, desk_officer, citizen, client)
    form = {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": BAD_IDS[problem]}
    text = _refused(lambda: submit(form_data=form))
    assert "số định danh" in text.lower()
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("surface", SURFACES)
def test_declared_id_that_contradicts_the_date_of_birth(
    surface, procedure, ward_a, desk_officer, citizen, client
):
    submit = _surface(surface, procedure, ward_a, desk_officer, citizen, client)
    form = {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "079090001234", "ngay_sinh": "1985-05-12"}
    text = _refused(lambda: submit(form_data=form))
    assert "không khớp năm sinh" in text and "1990" in text and "1985" in text
    assert Dossier.objects.count() == 0
    # the same ID with its own year is accepted
    ok = submit(form_data=dict(form, ngay_sinh="1990-05-12"))
    assert getattr(ok, "status_code", 201) < 400
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("surface", SURFACES)
def test_date_of_birth_after_today(surface, procedure, ward_a, desk_officer, citizen, client):
    submit = _surface(surface, procedure, ward_a, desk_officer, citizen, client)
    text = _refused(lambda: submit(form_data={"ho_ten": "Nguyễn Văn An", "ngay_sinh": TOMORROW.isoformat()}))
    assert "sau hôm nay" in text
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("problem", sorted(BAD_IDS))
def test_portal_applicant_form(problem):
    form = ApplicantForm(
        data={
            "applicant_name": "Nguyễn Văn An",
            "applicant_personal_id": BAD_IDS[problem],
            "applicant_phone": "0901234567",
            "applicant_address": "12 Lê Lợi, phường Sài Gòn",
        }
    )
    assert not form.is_valid() and form.errors["applicant_personal_id"]


def test_portal_wizard_refuses_a_declared_id_against_the_date_of_birth(procedure):
    errors = catalog_selectors.declaration_registry_problems(
        catalog_selectors.form_fields(procedure),
        {"so_dinh_danh": "079090001234", "ngay_sinh": "1985-05-12"},
    )
    assert list(errors) == ["so_dinh_danh"]
    assert errors["so_dinh_danh"].startswith("“Số định danh cá nhân”: Số định danh không khớp năm sinh")


@pytest.mark.parametrize(
    "change",
    [
        {"child_personal_id": BAD_IDS["province"]},
        {"child_personal_id": BAD_IDS["future_year"]},
        {"mother_personal_id": BAD_IDS["structure"]},
        {"child_personal_id": "079224005678", "child_date_of_birth": dt.date(2023, 2, 20)},
        {"child_personal_id": "", "child_date_of_birth": TOMORROW},
    ],
    ids=["province", "future_year", "structure", "birth_year", "future_birth"],
)
def test_civil_registration(change, specialist, ward_a):
    text = _refused(
        lambda: register(RecordKind.BIRTH, unit=ward_a, actor=specialist, data=dict(KHANG, **change))
    )
    assert text and text[:1].isupper()
    assert BirthRecord.objects.count() == 0
