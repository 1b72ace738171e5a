"""Permission tests generated from the transition table: for every action, the four callers (the role
the table allows in the unit it names, the same role in another unit, a citizen, an anonymous caller),
through the API, the officer screens and `perform` itself. A refusal is exact and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.serializers import ACTIONS as API_ACTIONS
from motcua.dossiers.services import dispatch
from motcua.dossiers.tests.arrange import MONDAY, Stage, snapshot
from motcua.dossiers.tests.conftest import PDF
from motcua.dossiers.workflow import TRANSITIONS, Action

SCREEN_ACTIONS = sorted(dispatch.PARAMS)
CALLERS = ["unit", "other_unit", "citizen", "anonymous"]


@pytest.fixture
def stage(procedure, ward_a, ward_b, agency_justice, make_staff, citizen, settings):
    settings.MOTCUA_NATIONAL_PORTAL_URL = "http://127.0.0.1:9/unused"  # portal rows are part of "nothing"
    with services.clock_at(MONDAY):
        yield Stage(procedure, ward_a, ward_b, agency_justice, make_staff, citizen)


def expected_targets(action: str, source: str) -> tuple[str, ...]:
    return TRANSITIONS[action].possible_targets(source)


def test_every_action_has_one_door_and_the_api_names_come_from_the_table():
    from motcua.dossiers.services.engine import EFFECTS

    assert set(EFFECTS) == set(Action.values)
    assert set(API_ACTIONS) <= set(dispatch.PARAMS) <= set(Action.values)


# --- the API ----------------------------------------------------------------------------------------
def _api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("action", API_ACTIONS)
def test_api_four_callers(stage, action, caller):
    d, values, allowed, other = stage.ready(action)
    user = {"unit": allowed, "other_unit": other, "citizen": stage.citizen, "anonymous": None}[caller]
    before = snapshot(d)
    body = {"action": action, "version": d.version, **values}
    if "hours" in body:
        body["hours"] = float(body["hours"])
    response = _api(user).post(f"/api/v1/dossiers/{d.code}/transitions/", body, format="json")
    if caller == "unit":
        assert response.status_code == 200, response.content
        assert response.json()["status"] in expected_targets(action, before[0])
        assert response.json()["version"] == before[1] + 1
        return
    expected = {"other_unit": (404, "not_found"), "citizen": (403, None), "anonymous": (401, None)}[caller]
    assert response.status_code == expected[0], response.content
    if expected[1]:
        assert response.json()["code"] == expected[1]
    assert snapshot(d) == before


# --- the officer screens --------------------------------------------------------------------------
def _form(values: dict, action: str) -> dict:
    form = {k: "\n".join(v) if isinstance(v, list) else v for k, v in values.items()}
    if action == Action.ATTACH_RESULT:
        form["file"] = SimpleUploadedFile("kq.pdf", PDF)
    if action == Action.SUPPLEMENT:
        form["files"] = SimpleUploadedFile("bs.pdf", PDF)
    return form


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("action", SCREEN_ACTIONS)
def test_screen_four_callers(stage, client, action, caller):
    d, values, allowed, other = stage.ready(action)
    user = {"unit": allowed, "other_unit": other, "citizen": stage.citizen, "anonymous": None}[caller]
    if user is not None:
        client.force_login(user)
    before = snapshot(d)
    form = {"version": d.version, **_form(values, action)}
    response = client.post(reverse("dossiers:act", args=[d.code, action]), form)
    if caller == "unit":
        assert response.status_code == 302, response.content.decode()[:2000]
        after = Dossier.objects.get(pk=d.pk)
        assert after.status in expected_targets(action, before[0]) and after.version == before[1] + 1
        return
    if caller == "anonymous":
        assert response.status_code == 302 and "/staff/login/" in response["Location"]
    else:
        assert response.status_code == {"other_unit": 404, "citizen": 403}[caller]
    assert snapshot(d) == before


# --- perform itself (no HTTP scoping in front of it) ----------------------------------------------
@pytest.mark.parametrize("caller", ["other_unit", "citizen", "anonymous"])
@pytest.mark.parametrize("action", SCREEN_ACTIONS)
def test_perform_refuses_callers_the_table_does_not_name(stage, action, caller):
    d, values, _allowed, other = stage.ready(action)
    user = {"other_unit": other, "citizen": stage.other_citizen(), "anonymous": None}[caller]
    before = snapshot(d)
    files = {"file": SimpleUploadedFile("kq.pdf", PDF), "files": [SimpleUploadedFile("bs.pdf", PDF)]}
    with pytest.raises(DossierError) as refused:
        dispatch.run(d, action, user, values, files)
    expected = "not_citizen_owner" if (caller, action) == ("citizen", Action.SUPPLEMENT) else "not_allowed"
    assert refused.value.code == expected
    assert snapshot(d) == before
