"""The hotline's look-up by phone answers only within the operator's scope, is audited with its purpose,
and is rate-limited per operator."""

import pytest

from motcua.core.models import AuditEntry
from motcua.feedback.tests.workflow_helpers import new_report
from motcua.org.models import Role

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")
LOOKUP = "/staff/feedback/hotline/lookup/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_lookup_stays_in_the_operators_scope_and_is_audited(client, categories, make_staff, ward_a, ward_b):
    mine = new_report(phone="0901000777")
    theirs = new_report(phone="0901000777", address="phường Sài Gòn", description="Rác thải ở phường Sài Gòn")
    assert mine.unit_id == ward_a.pk and theirs.unit_id == ward_b.pk
    client.force_login(make_staff(Role.DESK_OFFICER, ward_a))
    data = client.get(LOOKUP, {"phone": "090 100 0777"}).json()
    assert [e["code"] for e in data["earlier"]] == [mine.code]
    entry = AuditEntry.objects.filter(action="feedback.phone_lookup").get()
    assert entry.purpose == "hotline_intake"
    assert entry.after == {"phone": "*******777", "found": [mine.code]}


def test_a_city_operator_sees_the_city(client, categories, make_staff, province):
    a = new_report(phone="0901000778")
    b = new_report(phone="0901000778", address="phường Sài Gòn", description="Rác thải ở phường Sài Gòn")
    client.force_login(make_staff(Role.HOTLINE_OPERATOR, province))
    data = client.get(LOOKUP, {"phone": "0901000778"}).json()
    assert {e["code"] for e in data["earlier"]} == {a.code, b.code}


def test_lookups_are_rate_limited_per_operator(client, categories, make_staff, ward_a):
    from motcua.feedback import views

    operator = make_staff(Role.DESK_OFFICER, ward_a)
    client.force_login(operator)
    limit = views.LOOKUP_LIMIT[0]
    for _ in range(limit):
        assert client.get(LOOKUP, {"phone": "0901000779"}).status_code == 200
    refused = client.get(LOOKUP, {"phone": "0901000779"})
    assert refused.status_code == 429
    assert AuditEntry.objects.filter(action="feedback.phone_lookup").count() == limit
    other = make_staff(Role.DESK_OFFICER, ward_a)
    client.force_login(other)
    assert client.get(LOOKUP, {"phone": "0901000779"}).status_code == 200
