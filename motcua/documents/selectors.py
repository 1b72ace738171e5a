"""Reads of incoming documents for views, the API and reports (already scoped by the caller's query)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from motcua.documents.models import Document, DocumentStatus, DocumentTask, TaskStatus


def register_entry(document: Document) -> dict[str, Any]:
    """The register entry as the API shows it."""
    directive = (
        document.directives.order_by("-pk").select_related("leader", "lead_unit", "lead_person").first()
    )
    tasks = document.tasks.select_related("unit", "assignee").order_by("pk")
    return {
        "id": document.pk,
        "arrival_number": document.arrival_number,
        "year": document.year,
        "arrival_at": document.arrival_at.isoformat(),
        "received_via": document.received_via,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "status": document.status,
        "ocr_status": document.ocr_status,
        "ocr_note": document.ocr_note,
        "duplicate_of": document.duplicate_of_id,
        "fields": document.fields(),
        "fields_confirmed": document.fields_confirmed,
        "text": document.text,
        "directive": (
            {
                "leader": str(directive.leader),
                "lead_unit": str(directive.lead_unit) if directive.lead_unit else None,
                "lead_person": str(directive.lead_person) if directive.lead_person else None,
                "co_units": [str(u) for u in directive.co_units.all()],
                "deadline": directive.deadline.isoformat(),
                "text": directive.text,
                "overlay_pages": [o["page"] for o in directive.overlays],
            }
            if directive
            else None
        ),
        "tasks": [
            {
                "id": t.pk,
                "role": t.role,
                "unit": str(t.unit),
                "assignee": str(t.assignee) if t.assignee else None,
                "deadline": t.deadline.isoformat(),
                "status": t.status,
            }
            for t in tasks
        ],
        "replies": [
            {"number_notation": r.number_notation, "issued_on": r.issued_on.isoformat(), "summary": r.summary}
            for r in document.replies.order_by("pk")
        ],
    }


def queue(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Open documents, urgent first (hỏa tốc, thượng khẩn, khẩn), then by arrival."""
    return documents.exclude(status__in=[DocumentStatus.DONE, DocumentStatus.WITHDRAWN]).order_by(
        "urgency_rank", "arrival_at"
    )


def my_tasks(user: Any) -> QuerySet[DocumentTask]:
    """An assignee's queue: open tasks named to them, urgent and nearest deadline first."""
    return (
        DocumentTask.objects.filter(assignee=user, status=TaskStatus.OPEN)
        .select_related("document", "unit")
        .order_by("document__urgency_rank", "deadline")
    )


def register_rows(documents: QuerySet[Document]) -> list[list[Any]]:
    """Rows of the incoming register (sổ đăng ký văn bản đến, NĐ 30/2020 Phụ lục IV)."""
    rows = []
    for d in documents.order_by("year", "arrival_number").prefetch_related("tasks__unit", "tasks__assignee"):
        lead = next((t for t in d.tasks.all() if t.role == "lead"), None)
        receiver = ""
        if lead is not None:
            receiver = str(lead.assignee or lead.unit)
        secret = d.is_secret
        rows.append(
            [
                timezone.localtime(d.arrival_at).strftime("%d/%m/%Y"),
                d.arrival_number,
                d.issuer,
                d.number_notation,
                d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "",
                d.doc_type,
                "(văn bản mật)" if secret else d.summary,
                receiver,
                d.get_status_display(),
                "Đã rút số (bản trùng)" if d.status == DocumentStatus.WITHDRAWN else "",
            ]
        )
    return rows


REGISTER_HEADER = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày văn bản",
    "Loại",
    "Trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Tình trạng",
    "Ghi chú",
]


def status_rows(documents: QuerySet[Document]) -> list[list[Any]]:
    """The handling-status report: each document's status, lead, deadline and lateness."""
    now = timezone.now()
    rows = []
    for d in documents.order_by("year", "arrival_number").prefetch_related("tasks__unit", "tasks__assignee"):
        lead = next((t for t in d.tasks.all() if t.role == "lead"), None)
        deadline = lead.deadline if lead else None
        late = bool(deadline and (d.completed_at or now) > deadline)
        rows.append(
            [
                d.arrival_number,
                d.number_notation,
                "(văn bản mật)" if d.is_secret else d.summary,
                str(lead.assignee or lead.unit) if lead else "",
                timezone.localtime(deadline).strftime("%d/%m/%Y") if deadline else "",
                d.get_status_display(),
                "Quá hạn" if late else ("Đúng hạn" if d.status == DocumentStatus.DONE else ""),
            ]
        )
    return rows


STATUS_HEADER = ["Số đến", "Số, ký hiệu", "Trích yếu", "Chủ trì", "Hạn xử lý", "Tình trạng", "Kết quả"]
