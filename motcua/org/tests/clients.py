"""Test helper: a connected system bound to roles of a unit, and an API client holding its OAuth2 token."""

from __future__ import annotations

import itertools

from django.test import Client
from rest_framework.test import APIClient

from motcua.org import clients

_n = itertools.count(1)


def system_api(unit, *roles: str, scope: str | None = None) -> APIClient:
    """An APIClient with a client-credentials token of a new connected system holding `roles` in `unit`
    (all the working roles when none are named), taken from /o/token/ as an integrator would."""
    n = next(_n)
    client_id, secret = f"sys-{unit.code}-{n}", f"secret-{unit.code}-{n}"
    clients.register_client(
        client_id=client_id,
        secret=secret,
        name=f"Hệ thống {n}",
        roles=[(unit, role) for role in (roles or clients.CLIENT_ROLES)],
    )
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope is not None:
        data["scope"] = scope
    answer = Client().post("/o/token/", data)
    assert answer.status_code == 200, answer.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['access_token']}")
    return api
