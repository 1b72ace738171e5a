"""The incoming register (sổ đăng ký văn bản đến), the handling-status report and the handling slip
(phiếu giải quyết văn bản đến) as PDF (WeasyPrint) and XLSX (core.exports)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from motcua.core.exports import xlsx_bytes
from motcua.documents import selectors
from motcua.documents.models import Document


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    return HTML(string=render_to_string(template, context)).write_pdf()


def register_pdf(documents: QuerySet[Document], unit_name: str) -> bytes:
    return _pdf(
        "documents/register_pdf.html",
        {
            "title": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
            "unit_name": unit_name,
            "header": selectors.REGISTER_HEADER,
            "rows": selectors.register_rows(documents),
            "printed": timezone.localtime(),
        },
    )


def register_xlsx(documents: QuerySet[Document]) -> bytes:
    return xlsx_bytes(
        [("So van ban den", selectors.REGISTER_HEADER, selectors.register_rows(documents))], fit_columns=True
    )


def status_pdf(documents: QuerySet[Document], unit_name: str) -> bytes:
    return _pdf(
        "documents/register_pdf.html",
        {
            "title": "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN",
            "unit_name": unit_name,
            "header": selectors.STATUS_HEADER,
            "rows": selectors.status_rows(documents),
            "printed": timezone.localtime(),
        },
    )


def status_xlsx(documents: QuerySet[Document]) -> bytes:
    return xlsx_bytes(
        [("Tinh hinh giai quyet", selectors.STATUS_HEADER, selectors.status_rows(documents))],
        fit_columns=True,
    )


def slip_pdf(document: Document) -> bytes:
    directive = document.directives.order_by("-pk").first()
    return _pdf(
        "documents/slip_pdf.html",
        {
            "d": document,
            "directive": directive,
            "tasks": document.tasks.select_related("unit", "assignee").order_by("pk"),
            "notes": document.notes.select_related("author").order_by("pk"),
            "replies": document.replies.order_by("pk"),
        },
    )
