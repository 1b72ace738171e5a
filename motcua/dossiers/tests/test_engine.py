"""The workflow engine governs: statuses come only from the table, the leader's decisions are the
leader's on every surface, intake enters through the same door, outward effects share its transaction."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.core import notify
from motcua.core.models import OutboundMessage
from motcua.dossiers import portal, services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, PortalMessage, Task, TaskStatus
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.services import engine
from motcua.dossiers.tests.arrange import snapshot
from motcua.dossiers.tests.conftest import APPLICANT, files_for, make_procedure
from motcua.dossiers.workflow import TRANSITIONS, Action
from motcua.org.models import Role


@pytest.fixture
def portal_on(settings):
    settings.MOTCUA_NATIONAL_PORTAL_URL = "http://127.0.0.1:9/unused"


@pytest.fixture
def claimed(intake, specialist):
    d = intake()
    task = d.tasks.get(order=2)
    services.claim_task(task, actor=specialist)
    return Dossier.objects.get(pk=d.pk), task


# --- the leader's decisions --------------------------------------------------------------------------
def test_specialist_cannot_refuse_through_the_api(claimed, specialist, portal_on):
    d, task = claimed
    before = snapshot(d)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=specialist).key}")
    body = {"action": "complete", "task": task.pk, "decision": "refuse", "note": "Không đủ điều kiện"}
    response = api.post(f"/api/v1/dossiers/{d.code}/transitions/", body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "leader_decision"
    assert snapshot(d) == before


def test_specialist_cannot_refuse_through_the_screen(client, claimed, specialist, portal_on):
    d, task = claimed
    before = snapshot(d)
    client.force_login(specialist)
    response = client.post(
        reverse("dossiers:act", args=[d.code, "complete"]),
        {"task": task.pk, "version": d.version, "decision": "refuse", "note": "Không đủ điều kiện"},
    )
    assert response.status_code == 403
    assert "Chỉ lãnh đạo đơn vị mới được quyết định kết quả" in response.content.decode()
    assert snapshot(d) == before


def test_the_leader_refuses_at_the_approval_step(claimed, specialist, leader):
    d, task = claimed
    services.complete_task(task, actor=specialist, note="Đề xuất từ chối")
    approval = d.tasks.get(order=3)
    services.claim_task(approval, actor=leader)
    services.complete_task(approval, actor=leader, decision="refuse", note="Không đủ điều kiện")
    d.refresh_from_db()
    assert d.status == S.REFUSED and d.refusal_reason == "Không đủ điều kiện"


def test_without_a_leader_step_only_the_leader_makes_the_result_ready(ward_a, intake, specialist, leader):
    lone = make_procedure(
        "1.000009", steps=[("Tiếp nhận", Role.DESK_OFFICER, 2), ("Xử lý", Role.SPECIALIST, 8)]
    )
    d = intake(procedure=lone, files=files_for(lone))
    task = d.tasks.get(order=2)
    services.claim_task(task, actor=specialist)
    before = snapshot(d)
    with pytest.raises(DossierError) as refused:
        services.complete_task(task, actor=specialist)  # the last step: this would approve the result
    assert refused.value.code == "leader_decision" and snapshot(d) == before
    services.complete_task(task, actor=leader)
    assert Dossier.objects.get(pk=d.pk).status == S.RESULT_READY


# --- statuses come from the table only -------------------------------------------------------------
def test_assign_moves_to_the_status_the_table_names(intake, leader, specialist):
    assert TRANSITIONS[Action.ASSIGN].target == S.PROCESSING
    d = intake()
    services.assign_task(d.tasks.get(order=2), actor=leader, assignee=specialist)
    assert Dossier.objects.get(pk=d.pk).status == S.PROCESSING


def test_an_effect_that_writes_a_status_is_stopped_and_nothing_is_written(intake, desk_officer, monkeypatch):
    d = intake()
    before = snapshot(d)
    real = engine.EFFECTS[Action.STOP]

    def rogue(ctx):
        real.apply(ctx)
        ctx.dossier.status = S.RETURNED  # not the table's target

    monkeypatch.setitem(engine.EFFECTS, Action.STOP, engine.Effect(rogue))
    with pytest.raises(AssertionError, match="only perform"):
        services.stop(d, actor=desk_officer, reason="x")
    assert snapshot(d) == before


def test_an_effect_that_picks_a_target_outside_the_table_is_stopped(claimed, specialist, monkeypatch):
    d, task = claimed
    before = snapshot(d)
    real = engine.EFFECTS[Action.COMPLETE_STEP]

    def rogue(ctx):
        real.apply(ctx)
        ctx.target = S.RETURNED

    monkeypatch.setitem(engine.EFFECTS, Action.COMPLETE_STEP, engine.Effect(rogue, real.locate))
    with pytest.raises(AssertionError, match="not in the table"):
        services.complete_task(task, actor=specialist)
    assert snapshot(d) == before


def test_counter_intake_enters_through_perform(monkeypatch, intake):
    seen = []
    real = engine.perform

    def spy(dossier, action, actor, **params):
        seen.append((dossier.pk, action))
        return real(dossier, action, actor, **params)

    monkeypatch.setattr("motcua.dossiers.services.intake.perform", spy)
    intake()
    intake(outcome="refuse", reason="Không thuộc thẩm quyền")
    assert seen == [(None, Action.RECEIVE), (None, Action.REFUSE_RECEIPT)]


# --- the online receipt and the portal push ----------------------------------------------------------
def _online(procedure, citizen, ward_a, key="web-1"):
    return services.submit_online(
        procedure=procedure,
        citizen_user=citizen,
        applicant=dict(APPLICANT),
        form_data={"ho_ten": "Nguyễn Văn An"},
        files=files_for(procedure),
        idempotency_key=key,
        receiving_unit=ward_a,
        competent_unit=ward_a,
    )


def test_online_receipt_is_queued_in_the_submission_transaction(
    procedure, citizen, ward_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        d = _online(procedure, citizen, ward_a)
    acks = OutboundMessage.objects.filter(key__startswith=f"portal.submitted.{d.pk}.")
    assert sorted(acks.values_list("channel", flat=True)) == ["email", "sms"]
    assert len(callbacks) == 1  # one delivery task, enqueued when the submission commits


def test_a_failing_receipt_leaves_no_dossier(procedure, citizen, ward_a, monkeypatch):
    def down(**kwargs):
        raise ConnectionError("outbox unavailable")

    monkeypatch.setattr(notify, "queue_message", down)
    with pytest.raises(ConnectionError):
        _online(procedure, citizen, ward_a)
    assert not Dossier.objects.exists() and not OutboundMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_portal_push_holds_no_transaction_or_lock_while_calling(intake, settings, monkeypatch, specialist):
    settings.MOTCUA_NATIONAL_PORTAL_URL = "http://127.0.0.1:9/unused"
    d = intake()
    services.claim_task(d.tasks.get(order=2), actor=specialist)
    calls = []
    monkeypatch.setattr(portal, "post", lambda url, payload: calls.append(connection.in_atomic_block))
    assert portal.push(d.pk) == 2
    assert calls == [False, False]
    assert not PortalMessage.objects.filter(dossier=d, state="pending").exists()


# --- idempotency under concurrency -------------------------------------------------------------------
def _race(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_api_posts_create_one_dossier(procedure, ward_a, desk_officer):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    token = Token.objects.create(user=desk_officer).key
    body = {
        "procedure": procedure.code,
        "receiving_unit": ward_a.code,
        "channel": "post",
        "applicant": dict(APPLICANT),
        "form_data": {"ho_ten": "A"},
    }

    def post():
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return api.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="race-1").status_code

    results = _race(8, post)
    assert sorted(results) == [200] * 7 + [201], results
    assert Dossier.objects.filter(idempotency_key="race-1").count() == 1 == Dossier.objects.count()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_online_submissions_create_one_dossier(procedure, citizen, ward_a):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    results = _race(6, lambda: _online(procedure, citizen, ward_a, key="race-web").pk)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1 and Dossier.objects.count() == 1
    assert OutboundMessage.objects.filter(key__startswith="portal.submitted.").count() == 2
    assert not Task.objects.exists()  # the dossier waits for the desk


def test_withdrawal_during_a_supplement_request_cancels_the_open_step(
    procedure, citizen, ward_a, desk_officer, specialist
):
    """Found by the state machine: a dossier withdrawn while a supplement was awaited kept its open step
    in the officers' queue."""
    d = services.receive(_online(procedure, citizen, ward_a), actor=desk_officer)
    services.request_supplement(d, actor=specialist, items=["Ảnh rõ hơn"])
    services.withdraw(d, citizen_user=citizen, reason="Không làm nữa")
    d.refresh_from_db()
    assert d.status == S.WITHDRAWN
    assert not d.tasks.filter(
        status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.WAITING]
    ).exists()
