"""One declaration rule (catalog.selectors.clean_declaration): the portal wizard, the counter screen and the
API refuse the same bad declaration with the same Vietnamese message, and nothing is filed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.catalog import selectors as catalog
from motcua.dossiers.models import Dossier
from motcua.portal.tests.conftest import PDF, fill_and_review

pytestmark = pytest.mark.django_db

BAD = [
    ({"ho_ten": "Nguyễn Văn An", "gioi_tinh": "Khác"}, "“Giới tính” phải là một trong các lựa chọn: Nam, Nữ."),
    ({"ho_ten": "", "gioi_tinh": "Nam"}, "“Họ và tên” là bắt buộc."),
    ({"ho_ten": "A" * 2001, "gioi_tinh": "Nam"}, "“Họ và tên” dài quá 2000 ký tự."),
]


def _wizard(client, procedure, declaration):
    response = fill_and_review(client, procedure, **{f"f_{k}": v for k, v in declaration.items()})
    return response.status_code, response.content.decode()


def _counter(client, procedure, ward, declaration):
    data = {
        "procedure": procedure.code,
        "receiving_unit": ward.pk,
        "competent_unit": ward.pk,
        "channel": "counter",
        "applicant_name": "Trần Thị Bình",
        "applicant_phone": "0912345678",
        "outcome": "accept",
        **{f"f_{k}": v for k, v in declaration.items()},
    }
    for r in procedure.requirements.filter(kind="submit"):
        data[f"paper_{r.pk}"] = SimpleUploadedFile(f"p{r.pk}.pdf", PDF)
    response = client.post(reverse("dossiers:intake"), data)
    return response.status_code, response.content.decode()


def _api(officer, procedure, ward, declaration, n):
    api = APIClient()
    token, _created = Token.objects.get_or_create(user=officer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "receiving_unit": ward.code,
            "competent_unit": ward.code,
            "channel": "post",
            "applicant": {"name": "Trần Thị Bình", "phone": "0912345678"},
            "form_data": declaration,
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"declaration-{n}",
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(("declaration", "message"), BAD)
def test_wizard_counter_and_api_refuse_with_the_catalogs_message(
    client, citizen, desk_officer, online_procedure, ward_a, declaration, message
):
    assert message in catalog.validate_declaration(online_procedure, declaration).values()

    client.force_login(citizen, backend="motcua.portal.auth.PhoneOTPBackend")
    status, page = _wizard(client, online_procedure, declaration)
    assert status == 400 and message in page
    client.logout()

    client.force_login(desk_officer)
    status, page = _counter(client, online_procedure, ward_a, declaration)
    assert status == 400 and message in page

    status, body = _api(desk_officer, online_procedure, ward_a, declaration, BAD.index((declaration, message)))
    assert 400 <= status < 500 and body["detail"] == message and body["code"].startswith("form_")
    assert not Dossier.objects.exists()


def test_the_rule_cleans_what_it_accepts(online_procedure):
    fields = list(catalog.form_fields(online_procedure))
    clean, errors = catalog.clean_declaration(fields, {"ho_ten": "  Lê An ", "gioi_tinh": "Nữ"})
    assert errors == {} and clean == {"ho_ten": "Lê An", "gioi_tinh": "Nữ"}
