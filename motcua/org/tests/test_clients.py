"""Connected systems: client-credentials tokens bound to units and roles, acting through the scope rule."""

import base64

import pytest

from motcua.core.models import AuditEntry
from motcua.org import clients
from motcua.org.models import Role, UserKind


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token(client, client_id="ward-a-system", secret="s3cret-ward-a", scope=None) -> dict:
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    response = client.post("/o/token/", data, HTTP_AUTHORIZATION=_basic(client_id, secret))
    return {"status": response.status_code, **response.json()}


@pytest.fixture
def ward_a_client(db, ward_a):
    return clients.register_client(
        client_id="ward-a-system",
        secret="s3cret-ward-a",
        name="Hệ thống A",
        roles=[(ward_a, role) for role in clients.CLIENT_ROLES],
    )


def test_client_credentials_token_names_every_role_of_the_client(client, ward_a_client, ward_a):
    got = token(client)
    assert got["status"] == 200, got
    assert set(got["scope"].split()) == {f"{r}@{ward_a.code}" for r in clients.CLIENT_ROLES}
    assert ward_a_client.user.kind == UserKind.SYSTEM
    assert AuditEntry.objects.filter(action="org.system_client_registered").exists()


def test_wrong_secret_and_foreign_scope_get_no_token(client, ward_a_client, ward_b):
    assert token(client, secret="wrong")["status"] == 401
    refused = token(client, scope=f"desk_officer@{ward_b.code}")
    assert refused["status"] == 400 and refused["error"] == "invalid_scope"


def test_token_acts_only_through_the_roles_it_names(client, ward_a_client, ward_a):
    from rest_framework.test import APIClient

    narrow = token(client, scope=f"clerk@{ward_a.code}")
    assert narrow["status"] == 200 and narrow["scope"] == f"clerk@{ward_a.code}"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {narrow['access_token']}")
    request_user = api.get("/api/v1/dossiers/")
    assert request_user.status_code == 200
    user = ward_a_client.user
    user.restrict_roles(lambda a: a.role == Role.CLERK)
    assert user.can_act_in(ward_a, Role.CLERK) and not user.can_act_in(ward_a, Role.DESK_OFFICER)


def test_a_bad_bearer_token_is_401(client, ward_a_client):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api.get("/api/v1/dossiers/")
    assert response.status_code == 401


def test_a_disabled_client_gets_no_token_use(client, ward_a_client):
    from rest_framework.test import APIClient

    got = token(client)
    system = ward_a_client.user
    system.is_active = False
    system.save(update_fields=["is_active"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {got['access_token']}")
    assert api.get("/api/v1/dossiers/").status_code == 401


def test_a_token_issued_to_a_person_is_no_api_credential(citizen, ward_a_client):
    import datetime as dt

    from django.utils import timezone
    from oauth2_provider.models import AccessToken
    from rest_framework.test import APIClient

    AccessToken.objects.create(
        user=citizen,
        application=ward_a_client,
        token="citizen-sign-in-token",
        expires=timezone.now() + dt.timedelta(hours=1),
        scope="openid profile",
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer citizen-sign-in-token")
    assert api.get("/api/v1/dossiers/").status_code == 401
