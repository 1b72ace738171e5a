"""A date on the declaration after today (a child born 9999-12-31) is refused with a Vietnamese message, at
the counter, through the API and online; nothing is stored (issue 11 item 11)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import APPLICANT, files_for

FUTURE = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "9999-12-31"}


def test_counter_refuses_a_future_date(intake):
    with pytest.raises(DossierError) as err:
        intake(form_data=dict(FUTURE))
    assert err.value.code == "form_date_future" and "sau hôm nay" in err.value.message
    assert Dossier.objects.count() == 0
    assert intake(form_data=dict(FUTURE, ngay_sinh="1990-05-12")).form_data["ngay_sinh"] == "1990-05-12"


def test_api_refuses_a_future_date(desk_officer, procedure, ward_a):
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=desk_officer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "receiving_unit": ward_a.code,
            "competent_unit": ward_a.code,
            "channel": "post",
            "applicant": dict(APPLICANT),
            "form_data": dict(FUTURE),
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="future-1",
    )
    assert 400 <= response.status_code < 500 and "sau hôm nay" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_online_submission_refuses_a_future_date(citizen, procedure, ward_a):
    with pytest.raises(DossierError) as err:
        services.submit_online(
            procedure=procedure,
            citizen_user=citizen,
            applicant=dict(APPLICANT),
            form_data=dict(FUTURE),
            files=files_for(procedure),
            idempotency_key="future-online-1",
            receiving_unit=ward_a,
            competent_unit=ward_a,
        )
    assert err.value.code == "form_date_future"
    assert Dossier.objects.count() == 0
