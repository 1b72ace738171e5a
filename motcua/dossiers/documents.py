"""The one-stop-shop forms (TT 01/2018 Art 9; TT 03/2025 Phụ lục I) as PDF (WeasyPrint) and XLSX.

01 receipt and appointment (with a QR code to the public tracking page), 02 supplement request,
03 refusal of receipt, 04 apology and new date, 05 stop notice, 06 process control sheet,
07 dossier log book. The dossier code is also the PDF's title, so an archive can index it.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import exports
from motcua.core.calendar import LegalTimeUnit
from motcua.core.codes import qr_png
from motcua.core.links import dossier_tracking_url
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import clock
from motcua.dossiers.services.catalog import checklist

FORMS = {
    "01": _("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "02": _("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "03": _("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "04": _("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    "05": _("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    "06": _("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}


def qr_payload(dossier: Dossier) -> str:
    """What the receipt's QR code encodes: the public tracking page of the dossier."""
    return dossier_tracking_url(dossier.code)


def available_forms(dossier: Dossier) -> list[str]:
    forms = ["06"]
    if dossier.received_at:
        forms.insert(0, "01")
    if dossier.supplement_requested_at:
        forms.append("02")
    if dossier.status == "not_received" or (dossier.refusal_reason and dossier.received_at):
        forms.append("03")
    if dossier.apologised_at:
        forms.append("04")
    if dossier.status in ("stopped", "withdrawn"):
        forms.append("05")
    return sorted(forms)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy (fonts, cairo): loaded on the first PDF, not at start-up

    pdf: bytes = HTML(string=html).write_pdf(uncompressed_pdf=True)  # untyped library: bytes without a target
    return pdf


def form_pdf(dossier: Dossier, number: str) -> bytes:
    if number not in FORMS:
        raise KeyError(number)
    moment = timezone.localtime(clock.now())
    context = {
        "d": dossier,
        "number": number,
        "title": form_title(dossier, number),
        "legal_time": legal_time_text(dossier),
        "place": _place(dossier),
        "receiver": _receiver(dossier),
        "papers": list(dossier.papers.all()),
        "checklist": checklist(dossier) if number == "01" else [],
        "tasks": list(dossier.tasks.select_related("unit", "assignee").order_by("order", "id")),
        "events": selectors.timeline(dossier, public=False),
        "now": moment,
        "tracking_url": qr_payload(dossier),
        "qr": base64.b64encode(qr_png(qr_payload(dossier), scale=4)).decode() if number == "01" else "",
        "receipt_key": selectors.receipt_key(dossier.code) if number == "01" else "",
    }
    return _pdf(render_to_string("dossiers/pdf/form.html", context))


def form_title(dossier: Dossier, number: str) -> str:
    """The legal title: a refusal after processing is a notice refusing to settle the dossier, not the
    desk's refusal of receipt (form 03 is that one)."""
    if number == "03" and dossier.status in ("refused", "returned") and dossier.received_at:
        return _("THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ")
    return str(FORMS[number])


def legal_time_text(dossier: Dossier) -> str:
    """'05 ngày làm việc', 'trong ngày' (never '0 trong ngày'), '08 giờ làm việc'."""
    procedure = dossier.procedure
    unit = procedure.time_unit or LegalTimeUnit.WORKING_DAYS
    value = float(procedure.time_value or 0)
    if unit == LegalTimeUnit.SAME_DAY or value <= 0:
        return _("trong ngày")
    number = f"{value:g}".replace(".", ",")
    if value.is_integer() and value < 10:
        number = f"{int(value):02d}"
    return f"{number} {LegalTimeUnit(unit).label.lower()}"


def _place(dossier: Dossier) -> str:
    """Where the paper is signed, as the legal forms head their date line ('Phường Cầu Ông Lãnh')."""
    return dossier.receiving_unit.name


def _receiver(dossier: Dossier) -> str:
    """The desk officer who signs the desk's forms: the one who received the dossier, or (for a
    supplement request or refusal at the counter) the staff member who recorded it first."""
    officer = dossier.received_by
    if officer is None:
        first = (
            dossier.events.filter(actor__isnull=False).select_related("actor").order_by("at", "id").first()
        )
        actor = first.actor if first is not None else None
        officer = actor if actor is not None and not actor.is_citizen else None
    return (officer.full_name or officer.get_username()) if officer is not None else ""


def log_book_pdf(dossiers: Iterable[Dossier], *, unit_name: str, start: dt.date, end: dt.date) -> bytes:
    context = {
        "dossiers": list(dossiers),
        "unit_name": unit_name,
        "start": start,
        "end": end,
        "now": timezone.localtime(clock.now()),
    }
    return _pdf(render_to_string("dossiers/pdf/log_book.html", context))


def _fmt(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    return exports.xlsx_bytes([(title, header, rows)], fit_columns=True)


def control_sheet_xlsx(dossier: Dossier) -> bytes:
    rows = [
        [
            _fmt(dt.datetime.fromisoformat(e["at"]) if e["at"] else None),
            e["label"],
            e.get("actor", ""),
            e["unit"],
            e["status_label"],
            e.get("note", ""),
        ]
        for e in selectors.timeline(dossier, public=False)
    ]
    return _xlsx(
        dossier.code,
        [_("Thời điểm"), _("Công việc"), _("Người thực hiện"), _("Đơn vị"), _("Trạng thái"), _("Ghi chú")],
        rows,
    )


def log_book_xlsx(dossiers: Iterable[Dossier]) -> bytes:
    rows = [
        [
            i,
            d.code,
            d.procedure.name,
            d.applicant_name,
            d.get_channel_display(),
            _fmt(d.submitted_at),
            _fmt(d.received_at),
            _fmt(d.due_at),
            d.get_status_display(),
            _fmt(d.returned_at),
            d.get_outcome_display() if d.outcome else "",
        ]
        for i, d in enumerate(dossiers, start=1)
    ]
    return _xlsx(
        _("Sổ theo dõi hồ sơ"),
        [
            _("STT"),
            _("Mã hồ sơ"),
            _("Thủ tục"),
            _("Người nộp"),
            _("Kênh"),
            _("Nộp lúc"),
            _("Tiếp nhận"),
            _("Hẹn trả"),
            _("Trạng thái"),
            _("Trả kết quả"),
            _("Đúng hạn"),
        ],
        rows,
    )
