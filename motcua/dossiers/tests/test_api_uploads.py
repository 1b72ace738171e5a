"""Result papers and supplements with scans through the API (issue 12 item 13): four callers each, where
the unit's caller and the other unit's caller are connected systems' OAuth2 tokens; a refusal is exact and
changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.tests.arrange import MONDAY, Stage, snapshot
from motcua.dossiers.tests.conftest import PDF
from motcua.dossiers.workflow import Action
from motcua.org.models import Role
from motcua.org.tests.clients import system_api

CALLERS = ["unit", "other_unit", "citizen", "anonymous"]


@pytest.fixture
def stage(procedure, ward_a, ward_b, agency_justice, make_staff, citizen, settings):
    settings.MOTCUA_NATIONAL_PORTAL_URL = "http://127.0.0.1:9/unused"
    with services.clock_at(MONDAY):
        yield Stage(procedure, ward_a, ward_b, agency_justice, make_staff, citizen)


def _caller(stage: Stage, caller: str, role: str) -> APIClient:
    if caller == "unit":
        return system_api(stage.ward_a, role)
    if caller == "other_unit":
        return system_api(stage.ward_b, role)
    api = APIClient()
    if caller == "citizen":
        token, _ = Token.objects.get_or_create(user=stage.citizen)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


REFUSED = {"other_unit": (404, "not_found"), "citizen": (403, "permission_denied"), "anonymous": (401, None)}


@pytest.mark.parametrize("caller", CALLERS)
def test_result_paper_upload_four_callers(stage, caller):
    d, _values, _allowed, _other = stage.ready(Action.ATTACH_RESULT)
    api = _caller(stage, caller, Role.SPECIALIST)
    before = snapshot(d)
    response = api.post(
        f"/api/v1/dossiers/{d.code}/result-papers/",
        {"file": SimpleUploadedFile("kq.pdf", PDF), "name": "Giấy chứng nhận", "version": d.version},
        format="multipart",
    )
    if caller == "unit":
        assert response.status_code == 201, response.content
        assert response.json()["name"] == "Giấy chứng nhận"
        after = Dossier.objects.get(pk=d.pk)
        assert after.results.get().name == "Giấy chứng nhận" and after.version == before[1] + 1
        return
    status, code = REFUSED[caller]
    assert response.status_code == status, response.content
    if code:
        assert response.json()["code"] == code
    assert snapshot(d) == before


@pytest.mark.parametrize("caller", CALLERS)
def test_supplement_with_scans_four_callers(stage, caller):
    d, _values, _allowed, _other = stage.ready(Action.SUPPLEMENT)
    requirement = d.procedure.requirements.filter(kind="submit").first()
    api = _caller(stage, caller, Role.DESK_OFFICER)
    before = snapshot(d)
    response = api.post(
        f"/api/v1/dossiers/{d.code}/supplements/",
        {
            "file": [SimpleUploadedFile("bs1.pdf", PDF), SimpleUploadedFile("bs2.pdf", PDF)],
            "requirement": requirement.pk,
            "note": "Đã bổ sung",
        },
        format="multipart",
    )
    if caller == "unit":
        assert response.status_code == 200, response.content
        assert response.json()["status"] == S.SUBMITTED
        added = Dossier.objects.get(pk=d.pk).papers.filter(is_supplement=True)
        assert added.count() == 2 and {p.requirement_id for p in added} == {requirement.pk}
        return
    status, code = REFUSED[caller]
    assert response.status_code == status, response.content
    if code:
        assert response.json()["code"] == code
    assert snapshot(d) == before


def test_a_token_narrowed_to_the_clerk_role_cannot_supplement(stage):
    d, _values, _allowed, _other = stage.ready(Action.SUPPLEMENT)
    api = system_api(stage.ward_a, scope=f"clerk@{stage.ward_a.code}")
    before = snapshot(d)
    response = api.post(
        f"/api/v1/dossiers/{d.code}/supplements/",
        {"file": [SimpleUploadedFile("a.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed", response.content
    assert snapshot(d) == before


def test_hostile_uploads_are_refused_and_change_nothing(stage):
    d, _values, _allowed, _other = stage.ready(Action.ATTACH_RESULT)
    api = system_api(stage.ward_a, Role.SPECIALIST)
    before = snapshot(d)
    url = f"/api/v1/dossiers/{d.code}/result-papers/"
    gif = api.post(url, {"file": SimpleUploadedFile("kq.pdf", b"GIF89a....")}, format="multipart")
    assert gif.status_code == 415 and gif.json()["code"] == "file_type"
    empty = api.post(url, {"file": SimpleUploadedFile("kq.pdf", b"")}, format="multipart")
    assert empty.status_code == 400
    nul = api.post(url, {"file": SimpleUploadedFile("kq.pdf", PDF), "name": "a\x00b"}, format="multipart")
    assert nul.status_code == 400
    stale = api.post(
        url, {"file": SimpleUploadedFile("kq.pdf", PDF), "version": d.version - 1}, format="multipart"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    unknown = api.post(
        f"/api/v1/dossiers/{d.code}/supplements/",
        {"file": [SimpleUploadedFile("a.pdf", PDF)], "requirement": 10**9},
        format="multipart",
    )
    assert unknown.status_code == 404
    assert snapshot(d) == before
