"""Incoming official documents (NĐ 30/2020 Arts 20-24): the register, files, directive, tasks, notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core import scoping
from motcua.core.scoping import ScopedQuerySet


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Thường")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    FLASH = "hoa_toc", _("Hỏa tốc")


URGENT = (Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH)
# Higher first in every queue: hỏa tốc, thượng khẩn, khẩn, thường.
URGENCY_RANK = {Urgency.FLASH: 0, Urgency.VERY_URGENT: 1, Urgency.URGENT: 2, Urgency.NORMAL: 3}


class Secrecy(models.TextChoices):
    NONE = "none", _("Thường")
    CONFIDENTIAL = "mat", _("Mật")
    SECRET = "toi_mat", _("Tối mật")
    TOP_SECRET = "tuyet_mat", _("Tuyệt mật")


class ReceivedVia(models.TextChoices):
    DESK = "desk", _("Văn thư tiếp nhận trực tiếp")
    POST = "post", _("Bưu chính")
    EMAIL = "email", _("Thư điện tử")
    FOLDER = "folder", _("Thư mục quét")
    API = "api", _("Hệ thống khác (API)")
    EDXML = "edxml", _("Trục liên thông (edXML)")


class DocumentStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ")
    AWAITING_DIRECTIVE = "awaiting_directive", _("Chờ lãnh đạo cho ý kiến")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")
    WITHDRAWN = "withdrawn", _("Đã rút số (bản trùng)")


class OcrStatus(models.TextChoices):
    PENDING = "pending", _("Đang nhận dạng")
    DONE = "done", _("Đã nhận dạng")
    FAILED = "failed", _("Nhận dạng lỗi")
    OFF = "off", _("Không nhận dạng")


class ArrivalCounter(models.Model):
    """The last arrival number given by an organisation in a calendar year; locked by every intake."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="documents_counter_unique")]


class DocumentQuerySet(ScopedQuerySet):
    # Incoming letters and petitions name citizens: roles that never read personal data (the 1022 hotline
    # operator, org.models.NO_PERSONAL_DATA) reach no document, by the one scope rule.
    personal_data = True

    def readable_by(self, user: object) -> DocumentQuerySet:
        """The unit scope, and for secret documents only the people named on them."""
        qs = self.visible_to(user)
        if not getattr(user, "is_authenticated", False):
            return qs.none()
        return qs.filter(Q(secrecy=Secrecy.NONE) | Q(readers=user)).distinct()


class Document(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveIntegerField(_("năm"))
    arrival_number = models.PositiveIntegerField(_("số đến"))
    arrival_at = models.DateTimeField(_("thời gian đến"))
    received_via = models.CharField(_("nguồn"), max_length=10, choices=ReceivedVia.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    number_notation = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    doc_type = models.CharField(_("loại văn bản"), max_length=100, blank=True)
    summary = models.TextField(_("trích yếu"), blank=True)
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_rank = models.PositiveSmallIntegerField(default=3, editable=False)
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=Secrecy.choices, default=Secrecy.NONE)
    due_on = models.DateField(_("hạn xử lý"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.REGISTERED
    )
    ocr_status = models.CharField(_("nhận dạng"), max_length=8, choices=OcrStatus.choices)
    ocr_note = models.CharField(_("ghi chú nhận dạng"), max_length=300, blank=True)
    proposed = models.JSONField(_("trường đề xuất"), default=dict, blank=True)
    fields_confirmed = models.BooleanField(_("đã xác nhận trường"), default=False)
    text = models.TextField(_("nội dung"), blank=True)
    search_text = models.TextField(blank=True, editable=False)
    sha256 = models.CharField(max_length=64, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trùng với"),
    )
    sender_code = models.CharField(_("mã cơ quan gửi"), max_length=60, blank=True)
    sender_name = models.CharField(_("cơ quan gửi"), max_length=300, blank=True)
    exchange_id = models.CharField(max_length=100, blank=True)
    proposed_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-year", "-arrival_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "arrival_number"], name="documents_arrival_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "status", "urgency_rank"], name="documents_queue_idx")]

    def __str__(self) -> str:
        return f"{self.arrival_number}/{self.year}"

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def is_urgent(self) -> bool:
        return self.urgency in URGENT

    def fields(self) -> dict[str, str]:
        return {
            "issuer": self.issuer,
            "number_notation": self.number_notation,
            "issued_on": self.issued_on.isoformat() if self.issued_on else "",
            "doc_type": self.doc_type,
            "summary": self.summary,
        }


class ChildQuerySet(scoping.ChildQuerySet):
    """Rows that belong to a document: visible exactly when their document is (core.scoping)."""

    parent_relation = "document"
    unit_lookup = "document__unit"


class FileKind(models.TextChoices):
    ORIGINAL = "original", _("Bản quét/bản gốc")
    SEARCHABLE = "searchable", _("Bản PDF/A có lớp chữ")
    ATTACHMENT = "attachment", _("Tệp đính kèm")
    EDXML = "edxml", _("Gói edXML")


class DocumentFile(models.Model):
    """A file of a document, written to the storage its secrecy allows (`documents.storage`)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=FileKind.choices)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    storage = models.CharField(max_length=30)
    path = models.CharField(max_length=300)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)

    objects = ChildQuerySet.as_manager()


class Directive(models.Model):
    """The leader's directive (bút phê): lead unit or person, co-operating units, deadline, text."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="directives")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lead_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField("org.Unit", blank=True, related_name="+")
    co_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    deadline = models.DateTimeField(_("hạn xử lý"))
    text = models.TextField(_("ý kiến chỉ đạo"))
    # Handwriting over the page: {"page": n, "strokes": [[[x, y], ...], ...]}, coordinates 0..1.
    overlays = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()


class TaskRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATE = "cooperate", _("Phối hợp")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")


class DocumentTask(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=10, choices=TaskRole.choices)
    deadline = models.DateTimeField()
    status = models.CharField(max_length=6, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "deadline"], name="documents_task_due_idx")]


class ProgressNote(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()


class Reply(models.Model):
    """An outgoing reply document linked to the incoming one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="replies")
    number_notation = models.CharField(max_length=100)
    issued_on = models.DateField()
    summary = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()


class ExchangeMessage(models.Model):
    """A status message back to the sender over the exchange (received, assigned, in progress, done)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="exchange_messages")
    status = models.CharField(max_length=20)
    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
