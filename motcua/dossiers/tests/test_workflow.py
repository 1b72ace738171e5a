import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.models import AuditEntry, OutboundMessage
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent, Outcome, TaskStatus
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.tests.conftest import APPLICANT, files_for, pdf
from motcua.org.models import Role


def test_counter_accept_issues_code_due_time_tasks_and_messages(intake, ward_a, desk_officer, monday_morning):
    with services.clock_at(monday_morning):
        d = intake()
    assert d.status == S.RECEIVED
    assert d.code.startswith(f"{ward_a.agency_identifier}-260309-")
    assert d.received_at == monday_morning and d.submitted_at == monday_morning
    # 3 working days after Monday: Thursday 17:00
    assert d.due_at.astimezone(monday_morning.tzinfo) == dt.datetime(
        2026, 3, 12, 17, 0, tzinfo=monday_morning.tzinfo
    )
    assert d.original_due_at == d.due_at
    tasks = list(d.tasks.order_by("order"))
    assert [t.status for t in tasks] == [TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.WAITING]
    assert tasks[0].assignee == desk_officer
    # the specialist's 8 working hours start at receipt (before 15:00): Tuesday 09:00
    assert tasks[1].due_at.astimezone(monday_morning.tzinfo) == dt.datetime(
        2026, 3, 10, 9, 0, tzinfo=monday_morning.tzinfo
    )
    assert d.papers.count() == 2
    assert d.field_sources["applicant_name"] == "typed"
    channels = set(OutboundMessage.objects.filter(object_id=str(d.pk)).values_list("channel", flat=True))
    assert channels == {"sms", "email"}
    assert AuditEntry.objects.filter(action="dossiers.receive", object_id=str(d.pk)).count() == 1
    assert DossierEvent.objects.filter(dossier=d, action="receive", to_status=S.RECEIVED).count() == 1


def test_after_15h_goes_to_the_specialist_next_working_day(intake, monday_morning):
    with services.clock_at(monday_morning.replace(hour=16)):
        d = intake()
    task = d.tasks.get(order=2)
    assert task.opened_at.astimezone(monday_morning.tzinfo) == dt.datetime(
        2026, 3, 10, 7, 30, tzinfo=monday_morning.tzinfo
    )


def test_accept_refused_when_required_papers_missing_and_nothing_created(intake, procedure):
    files = files_for(procedure)
    files.pop(next(iter(files)))
    before = Dossier.objects.count()
    with pytest.raises(DossierError) as err:
        intake(files=files)
    assert err.value.code == "missing_papers"
    assert Dossier.objects.count() == before


def test_upload_checked_by_content_not_name(intake, procedure):
    files = files_for(procedure)
    key = next(iter(files))
    files[key] = SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DossierError) as err:
        intake(files=files)
    assert err.value.code == "file_type"
    assert Dossier.objects.count() == 0


def test_upload_size_limit(intake, procedure, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 100
    files = files_for(procedure)
    files[next(iter(files))] = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 200)
    with pytest.raises(DossierError) as err:
        intake(files=files)
    assert err.value.code == "file_size"


def test_intake_supplement_lists_everything_missing_at_once(intake, procedure):
    files = files_for(procedure)
    files.pop(next(iter(files)))
    d = intake(files=files, outcome="supplement", missing=["Bản sao giấy khai sinh của con"])
    assert d.status == S.SUPPLEMENT_REQUESTED
    assert d.received_at is None and d.due_at is None
    assert d.supplement_items == ["Tờ khai theo mẫu (01 bản chính)", "Bản sao giấy khai sinh của con"]
    assert OutboundMessage.objects.filter(object_id=str(d.pk), subject__icontains="bổ sung").exists()


def test_intake_refusal_needs_reasons(intake):
    with pytest.raises(DossierError) as err:
        intake(outcome="refuse", reason=" ")
    assert err.value.code == "reason_required"
    d = intake(outcome="refuse", reason="Không thuộc thẩm quyền")
    assert d.status == S.NOT_RECEIVED and d.refusal_reason == "Không thuộc thẩm quyền"


def test_full_path_specialist_leader_return(intake, specialist, leader, desk_officer, monday_morning):
    with services.clock_at(monday_morning):
        d = intake()
    task = d.tasks.get(order=2)
    with services.clock_at(monday_morning + dt.timedelta(hours=1)):
        services.claim_task(task, actor=specialist)
        services.complete_task(task, actor=specialist, note="Đủ điều kiện")
    d.refresh_from_db()
    assert d.status == S.PROCESSING
    approval = d.tasks.get(order=3)
    assert approval.status == TaskStatus.OPEN and approval.is_leader_approval
    with pytest.raises(DossierError) as err:
        services.claim_task(approval, actor=specialist)
    assert err.value.code == "not_allowed"
    with services.clock_at(monday_morning + dt.timedelta(hours=2)):
        services.claim_task(approval, actor=leader)
        services.complete_task(approval, actor=leader, note="Đồng ý")
    d.refresh_from_db()
    assert d.status == S.RESULT_READY
    with pytest.raises(DossierError) as err:
        services.return_result(d, actor=desk_officer)
    assert err.value.code == "no_result"
    services.attach_result(d, actor=specialist, file=pdf("ket-qua.pdf"), name="Giấy chứng nhận")
    with services.clock_at(monday_morning + dt.timedelta(hours=3)):
        d = services.return_result(d, actor=desk_officer, channel="counter")
    assert d.status == S.RETURNED and d.outcome == Outcome.EARLY
    assert OutboundMessage.objects.filter(object_id=str(d.pk), subject__icontains="kết quả").exists()


def test_return_to_previous_step_with_reason(intake, specialist, leader):
    d = intake()
    task = d.tasks.get(order=2)
    services.claim_task(task, actor=specialist)
    services.complete_task(task, actor=specialist)
    approval = d.tasks.get(order=3)
    services.claim_task(approval, actor=leader)
    with pytest.raises(DossierError):
        services.return_task(approval, actor=leader, reason="")
    back = services.return_task(approval, actor=leader, reason="Thiếu xác minh nơi cư trú")
    assert back.pk == task.pk
    back.refresh_from_db()
    assert back.status == TaskStatus.IN_PROGRESS and back.assignee == specialist
    assert d.tasks.get(order=3).status == TaskStatus.WAITING
    assert d.events.filter(action="return_step", note="Thiếu xác minh nơi cư trú").exists()


def test_assign_and_reassign_by_leader(intake, make_staff, ward_a, specialist, leader):
    other = make_staff(Role.SPECIALIST, ward_a)
    d = intake()
    task = d.tasks.get(order=2)
    with pytest.raises(DossierError):
        services.assign_task(task, actor=specialist, assignee=other)
    services.assign_task(task, actor=leader, assignee=specialist)
    services.assign_task(task, actor=leader, assignee=other)
    task.refresh_from_db()
    assert task.assignee == other
    with pytest.raises(DossierError) as err:
        services.claim_task(task, actor=specialist)
    assert err.value.code == "task_taken"
    assert str(other) in err.value.message


def test_stale_form_post_is_rejected(intake, specialist):
    d = intake()
    task = d.tasks.get(order=2)
    stale = d.version
    services.claim_task(task, actor=specialist)
    with pytest.raises(DossierError) as err:
        services.complete_task(task, actor=specialist, expected_version=stale)
    assert err.value.code == "stale"
    assert "vừa được người khác cập nhật" in err.value.message


def test_failure_inside_a_transition_changes_nothing(intake, specialist, leader, monkeypatch):
    d = intake()
    task = d.tasks.get(order=2)
    services.claim_task(task, actor=specialist)
    d.refresh_from_db()
    snapshot = (d.status, d.version)
    tasks = list(d.tasks.values_list("id", "status", "assignee_id", "due_at"))
    outbox = OutboundMessage.objects.count()
    events = d.events.count()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    # the last step of the transition fails after rows were already written
    monkeypatch.setattr(services.audit, "record", boom)
    services_apologise_args = dict(
        actor=leader, new_due_date=d.due_at.date() + dt.timedelta(days=7), reason="x"
    )
    with pytest.raises(RuntimeError):
        services.complete_task(task, actor=specialist)
    with pytest.raises(RuntimeError):
        services.apologise(d, **services_apologise_args)
    d.refresh_from_db()
    assert (d.status, d.version) == snapshot
    assert list(d.tasks.values_list("id", "status", "assignee_id", "due_at")) == tasks
    assert OutboundMessage.objects.count() == outbox
    assert d.events.count() == events
    assert d.apologised_at is None


def test_routing_by_competence(procedure, ward_a, ward_b, desk_officer):
    # received at ward A's desk, the applicant lives in ward B: ward B is competent
    d = services.receive_at_counter(
        procedure=procedure,
        receiving_unit=ward_a,
        actor=desk_officer,
        applicant={**APPLICANT, "address": "5 Lê Lợi, phường Sài Gòn"},
        form_data={"ho_ten": "A"},
        files=files_for(procedure),
    )
    assert d.receiving_unit == ward_a and d.unit == ward_b


def test_form_fields_validated(intake):
    with pytest.raises(DossierError) as err:
        intake(form_data={})
    assert err.value.code == "form_required"
    with pytest.raises(DossierError) as err:
        intake(form_data={"ho_ten": "A", "gioi_tinh": "Khác"})
    assert err.value.code == "form_choice"
    with pytest.raises(DossierError) as err:
        intake(form_data={"ho_ten": "A", "ngay_sinh": "31/02/1990"})
    assert err.value.code == "form_date"


def test_other_ward_and_citizen_cannot_act(intake, other_ward_specialist, citizen, specialist):
    d = intake()
    task = d.tasks.get(order=2)
    for actor in (other_ward_specialist, citizen, None):
        with pytest.raises(DossierError) as err:
            services.claim_task(task, actor=actor) if actor is not None else services.stop(
                d, actor=None, reason="x"
            )
        assert err.value.code == "not_allowed"
    task.refresh_from_db()
    d.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.assignee is None and d.status == S.RECEIVED


def test_idempotent_counter_intake(intake):
    a = intake(idempotency_key="k-1")
    b = intake(idempotency_key="k-1")
    assert a.pk == b.pk and Dossier.objects.count() == 1


def test_stop_on_request_cancels_tasks(intake, desk_officer):
    d = intake()
    d = services.stop(d, actor=desk_officer, reason="Công dân có đơn xin dừng")
    assert d.status == S.STOPPED
    assert not d.tasks.filter(status__in=["open", "in_progress", "waiting"]).exists()


def test_linked_processing_round_trip(intake, specialist, agency_justice, make_staff):
    justice = make_staff(Role.SPECIALIST, agency_justice)
    d = intake()
    task = d.tasks.get(order=2)
    services.claim_task(task, actor=specialist)
    with pytest.raises(DossierError):
        services.transfer_out(d, actor=specialist, to_unit=d.unit, hours=8)
    transfer = services.transfer_out(d, actor=specialist, to_unit=agency_justice, hours=16, note="Xác minh")
    d.refresh_from_db()
    assert d.status == S.LINKED and transfer.due_at > transfer.sent_at
    assert Dossier.objects.visible_to(justice).filter(pk=d.pk).exists()
    from motcua.dossiers import selectors

    assert [t.pk for t in selectors.incoming_transfers(justice)] == [transfer.pk]
    with pytest.raises(DossierError):
        services.transfer_back(transfer, actor=specialist, reply="x")
    services.transfer_back(transfer, actor=justice, reply="Đã xác minh")
    d.refresh_from_db()
    assert d.status == S.PROCESSING


def test_failure_after_the_first_message_rolls_back_the_outbox_too(intake, specialist, leader, monkeypatch):
    d = intake()
    for order, actor in ((2, specialist), (3, leader)):
        services.claim_task(d.tasks.get(order=order), actor=actor)
        if order == 2:
            services.complete_task(d.tasks.get(order=2), actor=specialist)
    d.refresh_from_db()
    before = (d.status, d.version, d.result_ready_at)
    tasks = list(d.tasks.values_list("id", "status", "completed_at"))
    outbox = OutboundMessage.objects.count()
    from motcua.core import notify

    real = notify.queue_message
    calls = []

    def second_message_fails(**kwargs):
        calls.append(kwargs["channel"])
        if len(calls) == 2:
            raise ConnectionError("e-mail gateway misconfigured")
        return real(**kwargs)

    monkeypatch.setattr(notify, "queue_message", second_message_fails)
    with pytest.raises(ConnectionError):
        services.complete_task(d.tasks.get(order=3), actor=leader)  # last step: result ready + messages
    assert calls == ["sms", "email"]  # the SMS row had been written before the failure
    d.refresh_from_db()
    assert (d.status, d.version, d.result_ready_at) == before
    assert list(d.tasks.values_list("id", "status", "completed_at")) == tasks
    assert OutboundMessage.objects.count() == outbox
