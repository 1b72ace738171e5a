"""Writes and audited reads of incoming documents besides the workflow actions: OCR, edXML import and
export, reading a document (secret ones audited on every read and refusal), reminders and escalation."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import audit
from motcua.core.notify import queue_message
from motcua.core.uploads import max_upload_bytes
from motcua.documents import actions, edxml, exchange, extract, ocr, storage
from motcua.documents.errors import DocumentError
from motcua.documents.models import (
    Document,
    DocumentFile,
    DocumentStatus,
    DocumentTask,
    FileKind,
    OcrStatus,
    ReceivedVia,
    Secrecy,
    TaskStatus,
)
from motcua.documents.workflow import Action, ensure_may_register, named, perform, refuse_unnamed
from motcua.org.actors import signed_in
from motcua.org.models import Role, User, UserKind

log = logging.getLogger(__name__)


def register_upload(actor: Any, files: list[Any], **params: Any) -> Document:
    """Intake of scans or files (desk, post, e-mail, watched folder, API): the workflow's REGISTER."""
    return perform(None, Action.REGISTER, actor, files=files, **params)


def import_edxml(actor: Any, raw: bytes, *, unit: Any = None) -> Document:
    """Register an edXML message: fields from its header, no OCR; malformed -> `bad_edxml`, nothing kept."""
    unit = ensure_may_register(actor, unit)
    package = edxml.parse(raw)
    return perform(
        None,
        Action.REGISTER,
        actor,
        uploads=package.attachments,
        header=package.header,
        package=raw,
        received_via=ReceivedVia.EDXML,
        urgency=package.urgency,
        unit=unit,
    )


def export_edxml(document: Document, actor: Any, *, to_id: str = "", to_name: str = "") -> bytes:
    """The document as an edXML message (secret documents never leave: `forbidden`)."""
    if document.secrecy != Secrecy.NONE:
        raise DocumentError("forbidden")
    files = list(document.files.filter(kind=FileKind.ATTACHMENT).order_by("pk"))
    if not files:
        files = list(document.files.filter(kind=FileKind.ORIGINAL).order_by("pk"))
    attachments = [(f.name, f.content_type, storage.read(f)) for f in files]
    our = exchange.organ_id(document)
    raw = edxml.build(
        document, attachments, to_id=to_id or our, to_name=to_name or document.unit.name, our_id=our
    )
    with transaction.atomic():
        audit.record("documents.edxml_export", actor=actor, obj=document, after={"to": to_id or our})
    return raw


def readable(actor: Any) -> Any:
    """Documents `actor` may read: the unit scope (officers), their own intake (connected systems), and
    for secret documents only the people named on them."""
    if not signed_in(actor):
        return Document.objects.none()
    if actor.kind == UserKind.SYSTEM:
        return Document.objects.filter(created_by=actor, secrecy=Secrecy.NONE)
    return Document.objects.readable_by(actor)


def read(actor: Any, pk: object, *, what: str = "read") -> Document:
    """One document for `actor`, or 404. Every read of a secret document and every refusal of one is audited."""
    if isinstance(pk, str) and pk.isascii() and pk.isdigit() and len(pk) < 12:
        pk = int(pk)
    if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**31:
        raise DocumentError("not_found")
    document = readable(actor).filter(pk=pk).first()
    if document is None:
        hidden = Document.objects.filter(pk=pk).exclude(secrecy=Secrecy.NONE).first()
        if hidden is not None:
            raise refuse_unnamed(hidden, actor, what)
        raise DocumentError("not_found")
    if document.secrecy != Secrecy.NONE:
        if not named(document, actor):
            raise refuse_unnamed(document, actor, what)
        with transaction.atomic():
            audit.record("documents.secret_read", actor=actor, obj=document, after={"what": what})
    return document


def run_ocr(document_id: int) -> str:
    """OCR a pending document outside any lock, then store the searchable PDF/A, the text and the proposed
    fields; flag a copy of a registered document (same issuer, number and notation, date) for the clerk."""
    document = Document.objects.filter(pk=document_id, ocr_status=OcrStatus.PENDING).first()
    if document is None:
        return "skipped"
    original = document.files.filter(kind=FileKind.ORIGINAL).order_by("pk").first()
    if original is None:
        return "skipped"
    try:
        pdf, text = ocr.run(storage.read(original))
    except Exception as exc:  # noqa: BLE001 - any OCR failure leaves the document usable, marked failed
        log.warning("documents: OCR failed for %s", document_id, exc_info=True)
        with transaction.atomic():
            Document.objects.filter(pk=document_id, ocr_status=OcrStatus.PENDING).update(
                ocr_status=OcrStatus.FAILED,
                ocr_note=_("Nhận dạng lỗi: %(error)s") % {"error": str(exc)[:200]},
            )
        return "failed"
    with transaction.atomic():
        row = Document.objects.select_for_update().get(pk=document_id)
        if row.ocr_status != OcrStatus.PENDING:
            return "skipped"
        fields = extract.propose(text)
        storage.save(
            row,
            kind=FileKind.SEARCHABLE,
            name="van-ban-pdfa.pdf",
            content_type="application/pdf",
            data=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        row.text = text
        row.proposed = fields
        row.ocr_status = OcrStatus.DONE
        row.ocr_note = ""
        if not row.fields_confirmed:
            actions._apply_fields(row, fields)
        row.search_text = extract.fold(" ".join([*row.fields().values(), text]))
        copy = _copy_of(row)
        if copy is not None:
            row.duplicate_of = copy
        row.save()
        audit.record(
            "documents.ocr_done",
            actor="system:ocr",
            obj=row,
            after={"fields": fields, "duplicate_of": copy.pk if copy else None, "chars": len(text)},
        )
    return "done"


def _copy_of(document: Document) -> Document | None:
    if not (document.number_notation and document.issued_on and document.issuer):
        return None
    for other in (
        Document.objects.filter(
            unit=document.unit, number_notation=document.number_notation, issued_on=document.issued_on
        )
        .exclude(pk=document.pk)
        .exclude(status=DocumentStatus.WITHDRAWN)
        .order_by("pk")
    ):
        if extract.fold(other.issuer) == extract.fold(document.issuer):
            return other
    return None


def _notify(user: User | None, document: Document, key: str, subject: str, body: str) -> bool:
    if user is None:
        return False
    channel, recipient = ("email", user.email) if user.email else ("sms", user.phone)
    if not recipient:
        return False
    queue_message(
        key=key, channel=channel, recipient=recipient, subject=subject, body=body, unit_id=document.unit_id
    )
    return True


def _label(document: Document) -> str:
    if document.secrecy != Secrecy.NONE:
        return _("văn bản đến số %(n)s/%(y)s (văn bản mật)") % {
            "n": document.arrival_number,
            "y": document.year,
        }
    return _("văn bản đến số %(n)s/%(y)s: %(s)s") % {
        "n": document.arrival_number,
        "y": document.year,
        "s": (document.summary or document.number_notation)[:150],
    }


def remind_and_escalate(now: dt.datetime | None = None) -> int:
    """Remind assignees `MOTCUA_DOCUMENTS_REMIND_HOURS` before a deadline; escalate to the unit's leaders
    after it. Each task is reminded once and escalated once (timestamps on the task, audited)."""
    now = now or timezone.now()
    soon = now + dt.timedelta(hours=settings.MOTCUA_DOCUMENTS_REMIND_HOURS)
    count = 0
    due = DocumentTask.objects.filter(status=TaskStatus.OPEN, reminded_at__isnull=True, deadline__lte=soon)
    for task_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            task = (
                DocumentTask.objects.select_for_update(of=("self",))
                .select_related("document", "assignee")
                .get(pk=task_id)
            )
            if task.reminded_at is not None or task.status != TaskStatus.OPEN:
                continue
            task.reminded_at = now
            task.save(update_fields=["reminded_at"])
            deadline = timezone.localtime(task.deadline).strftime("%H:%M %d/%m/%Y")
            _notify(
                task.assignee,
                task.document,
                f"documents:remind:{task.pk}",
                _("Nhắc hạn xử lý văn bản"),
                _("Sắp đến hạn (%(deadline)s) xử lý %(label)s")
                % {"deadline": deadline, "label": _label(task.document)},
            )
            audit.record(
                "documents.task_reminded",
                actor="system:reminders",
                obj=task.document,
                after={"task": task.pk},
            )
            count += 1
    late = DocumentTask.objects.filter(status=TaskStatus.OPEN, escalated_at__isnull=True, deadline__lt=now)
    for task_id in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            task = (
                DocumentTask.objects.select_for_update(of=("self",))
                .select_related("document__unit")
                .get(pk=task_id)
            )
            if task.escalated_at is not None or task.status != TaskStatus.OPEN:
                continue
            task.escalated_at = now
            task.save(update_fields=["escalated_at"])
            document = task.document
            leaders = User.objects.filter(
                roles__unit=document.unit, roles__role=Role.UNIT_LEADER, roles__active=True
            ).distinct()
            for leader in leaders:
                _notify(
                    leader,
                    document,
                    f"documents:escalate:{task.pk}:{leader.pk}",
                    _("Văn bản quá hạn xử lý"),
                    _("Quá hạn xử lý %(label)s") % {"label": _label(document)},
                )
            audit.record(
                "documents.task_escalated", actor="system:reminders", obj=document, after={"task": task.pk}
            )
            count += 1
    return count


def search(actor: Any, query: str) -> Any:
    """Full-text search with or without diacritics: every folded word of `query` in the folded text."""
    qs = readable(actor)
    for word in extract.fold(query).split()[:10]:
        qs = qs.filter(search_text__contains=word)
    return qs


def withdraw_copy(document: Document, actor: Any) -> Document:
    return perform(document, Action.WITHDRAW, actor)


def files_of(document: Document) -> list[DocumentFile]:
    return list(document.files.order_by("pk"))


def upload_limit() -> int:
    return max_upload_bytes()
