"""What each workflow action does to a locked document (the table and the door are in `workflow`).

An action never writes `status`: it returns a `Step` naming the target status, what to audit, and the
effects to run in the same transaction (status messages to the sender, notifications).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import audit
from motcua.core.calendar import LegalTimeUnit, calendar_for
from motcua.core.notify import queue_message
from motcua.core.uploads import DOCUMENTS, check_upload
from motcua.documents import exchange, extract, ocr, storage
from motcua.documents.errors import DocumentError
from motcua.documents.models import (
    URGENCY_RANK,
    ArrivalCounter,
    Directive,
    Document,
    DocumentStatus,
    DocumentTask,
    FileKind,
    OcrStatus,
    ProgressNote,
    ReceivedVia,
    Reply,
    Secrecy,
    TaskRole,
    TaskStatus,
    Urgency,
)
from motcua.org.models import Role, Unit, User, UserKind

S = DocumentStatus
MAX_TEXT = 5000
MAX_WORKING_DAYS = 90


@dataclass
class Step:
    target: str | None
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    effects: Callable[[Document], None] | None = None


@dataclass
class Upload:
    """A file handed to intake: its bytes and the name the sender gave it (shown, never used as a path)."""

    name: str
    data: bytes
    content_type: str = ""
    sha256: str = ""


def well_formed(text: str) -> bool:
    """No NUL and no lone surrogate (the request middleware refuses them too; services check again)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text_param(value: object, *, required: bool = True, limit: int = MAX_TEXT, name: str = "") -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        if required:
            raise DocumentError("text_required")
        return ""
    if len(text) > limit or not well_formed(text):
        raise DocumentError("bad_field", reason=name or _("nội dung"))
    return text


def checked(files: list[IO[bytes]]) -> list[Upload]:
    """Each uploaded file by its content (PDF, JPEG, PNG) and size, read once."""
    if not files:
        raise DocumentError("file_required")
    out = []
    for upload in files:
        info = check_upload(upload, kinds=DOCUMENTS, error=DocumentError)
        upload.seek(0)
        out.append(
            Upload(
                name=str(getattr(upload, "name", "") or ""),
                data=upload.read(),
                content_type=info.content_type,
                sha256=info.sha256,
            )
        )
    return out


def combined_hash(uploads: list[Upload]) -> str:
    if len(uploads) == 1:
        return uploads[0].sha256
    return hashlib.sha256("".join(u.sha256 for u in uploads).encode()).hexdigest()


def _choice(value: object, choices: type[models.TextChoices], default: str, name: str) -> str:
    if value in (None, ""):
        return default
    if value not in choices.values:
        raise DocumentError("bad_field", reason=name)
    return str(value)


def next_arrival_number(unit: Unit, year: int) -> int:
    """Lock the organisation's counter for the year and take the next number (inside the intake
    transaction: a failed intake gives its number back, so there is no gap and no duplicate)."""
    ArrivalCounter.objects.get_or_create(unit=unit, year=year)
    counter = ArrivalCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _readers(unit: Unit, names: list[str]) -> list[User]:
    people = []
    for name in names:
        user = User.objects.filter(username=name, is_active=True, kind=UserKind.STAFF).first()
        if user is None or not user.can_see_unit(unit):
            raise DocumentError("bad_handler")
        people.append(user)
    return people


def register(
    actor: User,
    *,
    rule: Any,
    allowed: Callable[[Document, Any, Any], bool],
    files: list[IO[bytes]] | None = None,
    uploads: list[Upload] | None = None,
    unit: Unit | None = None,
    received_via: str = "",
    urgency: str = "",
    secrecy: str = "",
    readers: list[str] | None = None,
    header: dict[str, Any] | None = None,
    package: bytes | None = None,
) -> Document:
    """Intake: check the files, take the next arrival number, store, audit, queue OCR. The same file(s)
    registered before in this organisation: the earlier document with `duplicate=True`, no number taken."""
    unit = unit or actor.primary_unit
    if unit is None:
        raise DocumentError("no_unit")
    if not allowed(Document(unit=unit), rule, actor):
        raise DocumentError("forbidden")
    received_via = _choice(received_via, ReceivedVia, ReceivedVia.DESK, "received_via")
    urgency = _choice(urgency, Urgency, Urgency.NORMAL, "urgency")
    secrecy = _choice(secrecy, Secrecy, Secrecy.NONE, "secrecy")
    uploads = uploads if uploads is not None else checked(files or [])
    if not uploads:
        raise DocumentError("file_required")
    digest = combined_hash(uploads)
    earlier = (
        Document.objects.filter(unit=unit, sha256=digest).exclude(status=S.WITHDRAWN).order_by("pk").first()
    )
    if earlier is not None:
        earlier.duplicate = True  # type: ignore[attr-defined]
        return earlier
    named = _readers(unit, readers or [])
    try:
        pdf = ocr.collate([(u.data, u.content_type) for u in uploads])
    except Exception as exc:  # noqa: BLE001 - any parser failure means the scan cannot be read
        raise DocumentError("bad_file", name=uploads[0].name or "tệp") from exc
    text = ocr.text_layer(pdf) if any(u.content_type == "application/pdf" for u in uploads) else ""
    fields = {"issuer": "", "number_notation": "", "issued_on": "", "doc_type": "", "summary": ""}
    if header is not None:
        status, note = (
            OcrStatus.OFF,
            _("Văn bản điện tử (edXML): thông tin lấy từ gói tin, không cần nhận dạng."),
        )
        fields.update({k: str(header.get(k) or "") for k in fields})
    elif text:
        status, note = OcrStatus.DONE, _("Tệp PDF đã có lớp chữ: không cần nhận dạng.")
        fields.update(extract.propose(text))
    else:
        reason = ocr.unavailable_reason()
        status, note = (OcrStatus.OFF, reason) if reason else (OcrStatus.PENDING, "")
    now = timezone.now()
    with transaction.atomic():
        document = Document(
            unit=unit,
            year=timezone.localtime(now).year,
            arrival_at=now,
            received_via=received_via,
            urgency=urgency,
            urgency_rank=URGENCY_RANK[Urgency(urgency)],
            secrecy=secrecy,
            ocr_status=status,
            ocr_note=note,
            proposed=fields if header is None else {},
            fields_confirmed=header is not None,
            text=text,
            search_text=extract.fold(" ".join([*fields.values(), text])),
            sha256=digest,
            created_by=actor,
        )
        _apply_fields(document, fields)
        if header is not None:
            document.signer = str(header.get("signer") or "")[:200]
            document.sender_code = str(header.get("sender_code") or "")[:60]
            document.sender_name = str(header.get("sender_name") or "")[:300]
            document.exchange_id = str(header.get("exchange_id") or "")[:100]
            document.due_on = header.get("due_on")
        document.arrival_number = next_arrival_number(unit, document.year)
        document.save()
        if secrecy != Secrecy.NONE:
            document.readers.add(actor, *named)
        if header is not None:
            for upload in uploads:
                storage.save(
                    document,
                    kind=FileKind.ATTACHMENT,
                    name=upload.name,
                    content_type=upload.content_type,
                    data=upload.data,
                    sha256=upload.sha256,
                )
            if package is not None:
                storage.save(
                    document,
                    kind=FileKind.EDXML,
                    name="goi-tin.edxml",
                    content_type="application/xml",
                    data=package,
                    sha256=hashlib.sha256(package).hexdigest(),
                )
        else:
            storage.save(
                document,
                kind=FileKind.ORIGINAL,
                name=uploads[0].name,
                content_type="application/pdf",
                data=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
        audit.record(
            "documents.register",
            actor=actor,
            obj=document,
            after={
                "arrival_number": document.arrival_number,
                "year": document.year,
                "received_via": received_via,
                "urgency": urgency,
                "secrecy": secrecy,
                "sha256": digest,
                "ocr_status": status,
            },
        )
        if document.sender_code:
            exchange.queue_status(document, "received")
        if document.is_urgent:
            notify_urgent(document)
        if status == OcrStatus.PENDING:
            from motcua.documents.tasks import ocr_document  # noqa: PLC0415 - tasks import this module

            pk = document.pk
            transaction.on_commit(lambda: ocr_document.enqueue(pk))
    document.duplicate = False  # type: ignore[attr-defined]
    return document


def _apply_fields(document: Document, fields: dict[str, str]) -> None:
    document.issuer = fields.get("issuer", "")[:300]
    document.number_notation = fields.get("number_notation", "")[:100]
    document.doc_type = fields.get("doc_type", "")[:100]
    document.summary = fields.get("summary", "")[:MAX_TEXT]
    issued = fields.get("issued_on") or ""
    try:
        document.issued_on = dt.date.fromisoformat(issued) if issued else None
    except ValueError as exc:
        raise DocumentError("bad_field", reason="issued_on") from exc


def notify_urgent(document: Document) -> None:
    """Urgent documents reach the unit's leaders at once (secret ones without their content)."""
    leaders = User.objects.filter(roles__unit=document.unit, roles__role=Role.UNIT_LEADER, roles__active=True)
    label = document.get_urgency_display()
    if document.is_secret:
        body = _("Có văn bản đến %(urgency)s số %(number)s/%(year)s (văn bản mật): xem tại hệ thống.")
    else:
        body = _("Văn bản đến %(urgency)s số %(number)s/%(year)s: %(summary)s")
    text = body % {
        "urgency": label,
        "number": document.arrival_number,
        "year": document.year,
        "summary": (document.summary or document.number_notation)[:200],
    }
    for leader in leaders.distinct():
        if leader.email:
            channel, recipient = "email", leader.email
        elif leader.phone:
            channel, recipient = "sms", leader.phone
        else:
            continue
        queue_message(
            key=f"documents:urgent:{document.pk}:{leader.pk}",
            channel=channel,
            recipient=recipient,
            subject=_("Văn bản khẩn cần cho ý kiến"),
            body=text,
            unit_id=document.unit_id,
            obj=document,
        )


# --- actions on a registered document ----------------------------------------------------------


def confirm_fields(document: Document, actor: User, **fields: Any) -> Step:
    before = document.fields()
    clean = {
        "issuer": text_param(fields.get("issuer"), required=False, limit=300, name="issuer"),
        "number_notation": text_param(
            fields.get("number_notation"), required=False, limit=100, name="number_notation"
        ),
        "issued_on": text_param(fields.get("issued_on"), required=False, limit=10, name="issued_on"),
        "doc_type": text_param(fields.get("doc_type"), required=False, limit=100, name="doc_type"),
        "summary": text_param(fields.get("summary"), required=False, name="summary"),
    }
    _apply_fields(document, clean)
    document.fields_confirmed = True
    document.search_text = extract.fold(" ".join([*clean.values(), document.text]))
    return Step(None, before=before, after=document.fields())


def present(document: Document, actor: User, *, handler: User | None = None) -> Step:
    """The clerk presents the document to the leader, proposing a handler (optional)."""
    if handler is not None and not handler.can_act_in(document.unit):
        raise DocumentError("bad_handler")
    document.proposed_handler = handler
    return Step(S.AWAITING_DIRECTIVE, after={"proposed_handler": handler.pk if handler else None})


def _overlays(raw: object) -> list[dict[str, Any]]:
    """Handwriting strokes: [{"page": n, "strokes": [[[x, y], ...], ...]}], coordinates within 0..1."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > 50:
        raise DocumentError("bad_overlay")
    out = []
    total = 0
    for page in raw:
        if (
            not isinstance(page, dict)
            or not isinstance(page.get("page"), int)
            or not 1 <= page["page"] <= 500
        ):
            raise DocumentError("bad_overlay")
        strokes = page.get("strokes")
        if not isinstance(strokes, list):
            raise DocumentError("bad_overlay")
        clean = []
        for stroke in strokes:
            if not isinstance(stroke, list) or not stroke:
                raise DocumentError("bad_overlay")
            points = []
            for point in stroke:
                if (
                    not isinstance(point, list)
                    or len(point) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in point)
                    or not all(0 <= v <= 1 for v in point)
                ):
                    raise DocumentError("bad_overlay")
                points.append([round(float(point[0]), 4), round(float(point[1]), 4)])
            total += len(points)
            clean.append(points)
        if total > 20000:
            raise DocumentError("bad_overlay")
        out.append({"page": page["page"], "strokes": clean})
    return out


def direct(
    document: Document,
    actor: User,
    *,
    text: object = "",
    lead_unit: Unit | None = None,
    lead_person: User | None = None,
    co_units: list[Unit] | None = None,
    co_people: list[User] | None = None,
    working_days: object = 5,
    overlays: object = None,
) -> Step:
    """The leader's directive: tasks for the lead and co-operating units/people with a working-day deadline."""
    body = text_param(text)
    if lead_unit is None and lead_person is None:
        raise DocumentError("handler_required")
    if not isinstance(working_days, int) or isinstance(working_days, bool):
        try:
            working_days = int(str(working_days))
        except ValueError as exc:
            raise DocumentError("bad_deadline") from exc
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise DocumentError("bad_deadline")
    people = [p for p in [lead_person, *(co_people or [])] if p is not None]
    for person in people:
        if not person.is_officer or not person.can_act_in(document.unit):
            raise DocumentError("bad_handler")
    # Units (lead or co-operating) may be any unit or agency: the directive names them, each receives a task.
    strokes = _overlays(overlays)
    now = timezone.now()
    deadline = calendar_for(document.unit.province_code).due_at(
        now, working_days, LegalTimeUnit.WORKING_DAYS, document.unit.schedule
    )
    directive = Directive.objects.create(
        document=document,
        leader=actor,
        lead_unit=lead_unit,
        lead_person=lead_person,
        working_days=working_days,
        deadline=deadline,
        text=body,
        overlays=strokes,
    )
    directive.co_units.set(co_units or [])
    directive.co_people.set(co_people or [])
    tasks = [
        DocumentTask(
            document=document,
            directive=directive,
            unit=lead_unit or document.unit,
            assignee=lead_person,
            role=TaskRole.LEAD,
            deadline=deadline,
        )
    ]
    for unit in co_units or []:
        tasks.append(
            DocumentTask(
                document=document, directive=directive, unit=unit, role=TaskRole.COOPERATE, deadline=deadline
            )
        )
    for person in co_people or []:
        tasks.append(
            DocumentTask(
                document=document,
                directive=directive,
                unit=document.unit,
                assignee=person,
                role=TaskRole.COOPERATE,
                deadline=deadline,
            )
        )
    DocumentTask.objects.bulk_create(tasks)
    if document.is_secret:
        document.readers.add(actor, *people)
    document.due_on = timezone.localtime(deadline).date()

    def effects(row: Document) -> None:
        if row.sender_code:
            exchange.queue_status(row, "assigned")

    return Step(
        S.ASSIGNED,
        after={
            "directive": directive.pk,
            "lead_unit": lead_unit.pk if lead_unit else None,
            "lead_person": lead_person.pk if lead_person else None,
            "deadline": deadline.isoformat(),
            "tasks": len(tasks),
            "overlay_pages": [o["page"] for o in strokes],
        },
        effects=effects,
    )


def note(document: Document, actor: User, *, text: object = "") -> Step:
    body = text_param(text)
    first = document.status == S.ASSIGNED
    created = ProgressNote.objects.create(document=document, author=actor, text=body)

    def effects(row: Document) -> None:
        if row.sender_code and first:
            exchange.queue_status(row, "in_progress")

    return Step(S.IN_PROGRESS, after={"note": created.pk}, effects=effects)


def link_reply(
    document: Document,
    actor: User,
    *,
    number_notation: object = "",
    issued_on: object = "",
    summary: object = "",
) -> Step:
    notation = text_param(number_notation, limit=100, name="number_notation")
    day = text_param(issued_on, limit=10, name="issued_on")
    try:
        issued = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise DocumentError("bad_field", reason="issued_on") from exc
    reply = Reply.objects.create(
        document=document,
        number_notation=notation,
        issued_on=issued,
        summary=text_param(summary),
        author=actor,
    )
    return Step(S.IN_PROGRESS, after={"reply": reply.pk, "number_notation": notation})


def complete(document: Document, actor: User, *, text: object = "") -> Step:
    body = text_param(text, required=False)
    if body:
        ProgressNote.objects.create(document=document, author=actor, text=body)
    now = timezone.now()
    DocumentTask.objects.filter(document=document, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, done_at=now
    )
    document.completed_at = now

    def effects(row: Document) -> None:
        if row.sender_code:
            exchange.queue_status(row, "done")

    return Step(S.DONE, after={"completed_at": now.isoformat()}, effects=effects)


def withdraw(document: Document, actor: User) -> Step:
    """The clerk confirms a copy recognised after OCR: its number is withdrawn (shown so in the register)."""
    if document.duplicate_of_id is None:
        raise DocumentError("not_duplicate")
    return Step(S.WITHDRAWN, after={"duplicate_of": document.duplicate_of_id})
