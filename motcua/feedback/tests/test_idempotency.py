"""One message, one report: the same channel and external id can never make two reports, even when a chat
platform retries 12 times at once (a database constraint, not a look-up before the insert)."""

import threading
import uuid

import pytest
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.feedback.models import Report
from motcua.feedback.tests.workflow_helpers import new_report
from motcua.org.models import User, UserKind

pytestmark = pytest.mark.urls("motcua.feedback.tests.urls")
URL = "/api/v1/feedback/reports"


def test_the_database_refuses_a_second_report_for_one_message(categories):
    first = new_report(channel="chat", external_id="zalo-msg-1")
    clone = Report.objects.get(pk=first.pk)
    clone.pk, clone.code, clone.token = None, first.code + "X", uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    # another channel may use the same id, and blank ids are not unique
    assert new_report(channel="api", external_id="zalo-msg-1").created
    assert new_report(channel="chat").created and new_report(channel="chat").created


def test_the_same_external_id_returns_the_first_report(categories):
    first = new_report(channel="chat", external_id="zalo-msg-2")
    again = new_report(channel="chat", external_id="zalo-msg-2", description="Nội dung khác hẳn lần đầu")
    assert again.pk == first.pk and again.created is False
    assert Report.objects.filter(external_id="zalo-msg-2").count() == 1


@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_posts_with_one_external_id_make_one_report(province):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    bot = User.objects.create_user(username="chat-bot", kind=UserKind.SYSTEM)
    key = Token.objects.create(user=bot).key
    barrier = threading.Barrier(12)
    statuses: list[int] = []
    codes: list[str] = []

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            barrier.wait()
            body = {
                "description": "Rác thải ùn ứ ở đầu hẻm 12",
                "address": "12 Lê Lợi",
                "external_id": "m-42",
            }
            response = client.post(URL, body, format="json")
            statuses.append(response.status_code)
            codes.append(response.json().get("code", ""))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Report.objects.filter(external_id="m-42").count() == 1
    assert sorted(statuses) == [200] * 11 + [201]
    assert len(set(codes)) == 1
