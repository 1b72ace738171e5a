"""Query budget of every page: the number of SQL statements a page runs does not grow with the rows it lists.

A class test over all apps (issue 13 item 0): it loads the demo data, signs in as each staff role of the demo,
and requests every page without URL parameters, counting statements; then it multiplies the rows of the
growing tables (dossiers, feedback reports, civil-status records, ... every model of ours with rows) and
asks again. A list that fetches something per row (an N+1) runs more statements the second time and fails
here, whichever app it is in, including apps added later.
"""

from __future__ import annotations

import uuid
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.test_pages_smoke import plain_routes

ROLES = ["tiepnhan.col", "chuyenvien.col", "lanhdao.col", "tongdai", "kiemtoan", "lanhdao.tp"]
# Tables that grow with the city's work; reference data (units, procedures, users) is not multiplied.
GROWING = {
    "dossiers.dossier",
    "dossiers.task",
    "feedback.report",
    "civil.civilrecord",
    "civil.extractcopy",
    "surveys.rating",
    "core.auditentry",
    "core.outboundmessage",
}
COPIES = 4
SLACK = 2  # statements a page may add when its data grows (e.g. a second page link), never per row


def _unique_groups(model: type[models.Model]) -> list[list[models.Field]]:
    groups = [[f] for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            groups.append([model._meta.get_field(name) for name in constraint.fields])
    return groups


def _perturb(field: models.Field, value: Any, copy: int) -> tuple[bool, Any]:
    """A different value for a unique field, or (False, value) when this field cannot be varied."""
    if isinstance(field, models.ForeignKey):
        return False, value
    if isinstance(field, models.UUIDField):
        return True, uuid.uuid4()
    if isinstance(field, models.CharField) and isinstance(value, str):
        suffix = f"~{copy}{uuid.uuid4().hex[:4]}"
        return True, (value[: (field.max_length or 40) - len(suffix)] + suffix)
    if isinstance(field, (models.IntegerField, models.BigIntegerField)) and isinstance(value, int):
        return True, value + 1_000_000 * copy
    if field.null:
        return True, None
    return False, value


def _clone_rows(model: type[models.Model]) -> int:
    rows = list(model.objects.all())
    clones = []
    for copy in range(1, COPIES + 1):
        for row in rows:
            values = {
                f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key
            }
            for group in _unique_groups(model):
                for field in group:
                    changed, new = _perturb(field, values[field.attname], copy)
                    if changed:
                        values[field.attname] = new
                        break
            clones.append(model(**values))
    model.objects.bulk_create(clones)
    return len(clones)


def _counts(client: Client, routes: list[str]) -> dict[str, int]:
    counts = {}
    for route in routes:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(route)
        if response.status_code == 200:
            counts[route] = len(queries)
    return counts


@pytest.mark.django_db
def test_no_page_runs_more_statements_when_its_lists_grow(django_user_model) -> None:
    call_command("seed_demo", stdout=StringIO())
    # the officers' pages and the API lists (public pages list nothing that grows per officer)
    routes = [
        r
        for r in plain_routes()
        if r.startswith(("/staff/", "/api/v1/")) and not r.endswith((".csv", ".xlsx", ".pdf", "/export/"))
    ]
    clients = {}
    for username in ROLES:
        client = Client()
        client.force_login(django_user_model.objects.get(username=username))
        clients[username] = client
    before = {username: _counts(client, routes) for username, client in clients.items()}
    grown = {label: _clone_rows(apps.get_model(label)) for label in sorted(GROWING) if _model_exists(label)}
    assert grown.get("dossiers.dossier", 0) > 0, "the demo data has dossiers to multiply"
    over = []
    for username, client in clients.items():
        after = _counts(client, routes)
        for route, count in after.items():
            if route in before[username] and count > before[username][route] + SLACK:
                over.append(f"{username} {route}: {before[username][route]} -> {count} statements")
    assert over == [], "\n".join(over)
    assert sum(len(c) for c in before.values()) > 30  # the walk reached the staff pages


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
