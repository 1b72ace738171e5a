"""Follow-up: the assignee's queue (urgent first), reminders before and escalation after the deadline (once
each, audited, no secret content), urgent documents notify the leaders at registration."""

import datetime as dt

from motcua.core.models import AuditEntry, OutboundMessage
from motcua.documents import selectors, services
from motcua.documents.models import DocumentTask
from motcua.documents.tests.helpers import new_document
from motcua.documents.workflow import Action, perform


def _assigned(clerk, leader, specialist, **params):
    document = new_document(clerk, **params)
    if params.get("secrecy"):
        document.readers.add(leader)
    perform(document, Action.DIRECT, leader, text="Giao xử lý", lead_person=specialist, working_days=2)
    return document


def test_queue_puts_urgent_first(clerk, leader, specialist):
    normal = _assigned(clerk, leader, specialist)
    flash = _assigned(clerk, leader, specialist, urgency="hoa_toc")
    urgent = _assigned(clerk, leader, specialist, urgency="khan")
    assert [t.document_id for t in selectors.my_tasks(specialist)] == [flash.pk, urgent.pk, normal.pk]


def test_urgent_registration_notifies_leaders_at_once(clerk, leader):
    document = new_document(clerk, urgency="thuong_khan")
    message = OutboundMessage.objects.get(recipient=leader.email)
    assert f"số {document.arrival_number}/" in message.body and "Thượng khẩn" in message.body


def test_reminder_then_escalation_once_each(clerk, leader, specialist):
    document = _assigned(clerk, leader, specialist)
    task = DocumentTask.objects.get(document=document)
    assert services.remind_and_escalate(now=task.deadline - dt.timedelta(days=5)) == 0
    assert services.remind_and_escalate(now=task.deadline - dt.timedelta(hours=2)) == 1
    assert services.remind_and_escalate(now=task.deadline - dt.timedelta(hours=1)) == 0
    reminder = OutboundMessage.objects.get(recipient=specialist.email)
    assert "Sắp đến hạn" in reminder.body
    assert services.remind_and_escalate(now=task.deadline + dt.timedelta(hours=1)) == 1
    assert services.remind_and_escalate(now=task.deadline + dt.timedelta(hours=3)) == 0
    assert "Quá hạn" in OutboundMessage.objects.filter(recipient=leader.email).latest("pk").body
    actions = set(AuditEntry.objects.filter(object_id=str(document.pk)).values_list("action", flat=True))
    assert {"documents.task_reminded", "documents.task_escalated"} <= actions


def test_completed_tasks_are_not_chased(clerk, leader, specialist):
    document = _assigned(clerk, leader, specialist)
    perform(document, Action.COMPLETE, specialist, text="Xong")
    task = DocumentTask.objects.get(document=document)
    assert services.remind_and_escalate(now=task.deadline + dt.timedelta(days=1)) == 0


def test_secret_reminders_carry_no_content(clerk, leader, specialist):
    document = _assigned(clerk, leader, specialist, secrecy="mat")
    task = DocumentTask.objects.get(document=document)
    services.remind_and_escalate(now=task.deadline - dt.timedelta(hours=1))
    body = OutboundMessage.objects.get(recipient=specialist.email).body
    assert "văn bản mật" in body and "Văn bản thử" not in body
