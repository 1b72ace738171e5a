"""Bring a document to any status through the real door, and snapshot everything an action may change."""

from __future__ import annotations

from typing import Any

from motcua.core.models import AuditEntry
from motcua.documents import services
from motcua.documents.models import Document, DocumentStatus
from motcua.documents.tests.conftest import unique_pdf
from motcua.documents.workflow import Action, perform

_n = iter(range(1000, 100000))


def new_document(clerk: Any, **params: Any) -> Document:
    return services.register_upload(clerk, [unique_pdf(next(_n))], **params)


def bring_to(status: str, *, clerk: Any, leader: Any, specialist: Any) -> Document:
    document = new_document(clerk)
    if status == DocumentStatus.REGISTERED:
        return document
    if status == DocumentStatus.AWAITING_DIRECTIVE:
        return perform(document, Action.PRESENT, clerk, handler=specialist)
    if status == DocumentStatus.WITHDRAWN:
        other = new_document(clerk)
        Document.objects.filter(pk=document.pk).update(duplicate_of=other)
        return perform(document, Action.WITHDRAW, clerk)
    perform(document, Action.DIRECT, leader, **params_for(Action.DIRECT, document, specialist=specialist))
    if status == DocumentStatus.ASSIGNED:
        return Document.objects.get(pk=document.pk)
    perform(document, Action.NOTE, specialist, text="Đã liên hệ đơn vị phối hợp")
    if status == DocumentStatus.IN_PROGRESS:
        return Document.objects.get(pk=document.pk)
    perform(document, Action.COMPLETE, specialist, text="Đã xong")
    return Document.objects.get(pk=document.pk)


def params_for(action: str, document: Document, *, specialist: Any, other: Document | None = None) -> dict:
    if action == Action.CONFIRM_FIELDS:
        return {
            "issuer": "SỞ TƯ PHÁP",
            "number_notation": "1/STP",
            "issued_on": "2026-03-01",
            "summary": "Thử",
        }
    if action == Action.PRESENT:
        return {"handler": specialist}
    if action == Action.DIRECT:
        return {
            "text": "Giao chuyên viên xử lý, báo cáo trước hạn",
            "lead_person": specialist,
            "working_days": 5,
        }
    if action == Action.NOTE:
        return {"text": "Đang xử lý"}
    if action == Action.LINK_REPLY:
        return {"number_notation": "12/UBND-VP", "issued_on": "2026-03-20", "summary": "Trả lời"}
    if action == Action.COMPLETE:
        return {"text": "Hoàn thành"}
    if action == Action.WITHDRAW:
        if other is not None:
            Document.objects.filter(pk=document.pk).update(duplicate_of=other)
        return {}
    return {}


def snapshot(document: Document) -> dict[str, Any]:
    row = Document.objects.get(pk=document.pk)
    return {
        "row": {f.name: getattr(row, f.attname) for f in Document._meta.concrete_fields},
        "directives": row.directives.count(),
        "tasks": row.tasks.count(),
        "notes": row.notes.count(),
        "replies": row.replies.count(),
        "audit": AuditEntry.objects.filter(object_type="documents.document", object_id=str(row.pk)).count(),
    }
