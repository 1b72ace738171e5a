"""Citizen feedback (phản ánh, kiến nghị) under NĐ 20/2008 and the HCMC 1022 rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import LegalCalendar, calendar_for
from motcua.core.scoping import ScopedQuerySet, child_of


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Tổng đài 1022")
    WEB = "web", _("Cổng dịch vụ công")
    KIOSK = "kiosk", _("Ki-ốt")
    EMAIL = "email", _("Thư điện tử")
    CHAT = "chat", _("Kênh trò chuyện")
    API = "api", _("Ứng dụng kết nối")
    OPEN311 = "open311", _("Open311")


class Classification(models.TextChoices):
    """NĐ 20/2008 Art 9-10 classes."""

    PENDING = "", _("Chưa phân loại")
    NOT_ACCEPTED = "not_accepted", _("Không tiếp nhận")
    OFFICER_CONDUCT = "officer_conduct", _("Hành vi, thái độ cán bộ")
    WITHIN_COMPETENCE = "within", _("Thuộc thẩm quyền")
    OUTSIDE_COMPETENCE = "outside", _("Không thuộc thẩm quyền (chuyển)")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo duyệt")
    ANSWERED = "answered", _("Đã trả lời")
    REOPENED = "reopened", _("Mở lại (chưa được giải quyết)")
    CLOSED = "closed", _("Đã đóng")
    NOT_ACCEPTED = "not_accepted", _("Không tiếp nhận")
    MERGED = "merged", _("Đã gộp vào phản ánh khác")


OPEN_STATUSES = [
    ReportStatus.RECEIVED,
    ReportStatus.ASSIGNED,
    ReportStatus.AWAITING_APPROVAL,
    ReportStatus.REOPENED,
]
PUBLISHED_STATUSES = [ReportStatus.ANSWERED, ReportStatus.CLOSED]
DONE_STATUSES = [ReportStatus.ANSWERED, ReportStatus.CLOSED, ReportStatus.NOT_ACCEPTED, ReportStatus.MERGED]


class Category(models.Model):
    """A kind of feedback (an Open311 service)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    group = models.CharField(_("nhóm"), max_length=100, blank=True)
    keywords = models.CharField(
        _("từ khóa gợi ý"), max_length=500, blank=True, help_text=_("Cách nhau bởi dấu phẩy")
    )
    deadline_days = models.PositiveSmallIntegerField(_("thời hạn trả lời (ngày làm việc)"), default=10)
    multi_agency = models.BooleanField(_("nhiều cơ quan cùng tham gia"), default=False)
    multi_agency_deadline_days = models.PositiveSmallIntegerField(
        _("thời hạn khi nhiều cơ quan (ngày làm việc)"), default=15
    )
    route_to_ward = models.BooleanField(_("giao phường, xã nơi xảy ra"), default=True)
    default_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị xử lý mặc định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attributes = models.JSONField(
        _("thuộc tính bổ sung (Open311)"),
        default=list,
        blank=True,
        help_text=_("Danh sách {code, datatype, required, description, datatype_description, order, values}"),
    )
    public = models.BooleanField(_("công khai"), default=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveSmallIntegerField(default=100, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def reply_days(self) -> int:
        return self.multi_agency_deadline_days if self.multi_agency else self.deadline_days

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class RoutingRule(models.Model):
    """Category x location -> responsible unit. The most specific active rule with the lowest priority wins."""

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("lĩnh vực"),
    )
    ward = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("nơi xảy ra (phường, xã)"),
    )
    target = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị xử lý"),
        help_text=_("Để trống: giao phường, xã nơi xảy ra"),
    )
    priority = models.PositiveSmallIntegerField(_("thứ tự ưu tiên"), default=100)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    active = models.BooleanField(default=True, verbose_name=_("đang dùng"))

    class Meta:
        verbose_name = _("quy tắc điều phối")
        verbose_name_plural = _("quy tắc điều phối")
        ordering = ["priority", "pk"]


class ReportQuerySet(ScopedQuerySet):
    """Scoped like every unit-owned table (`core.scoping`: literal unit ids, index-friendly)."""

    unit_lookup = "unit"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def published(self):
        """The publishing rule: a public category, answered, the answer approved and published."""
        return self.filter(
            status__in=PUBLISHED_STATUSES,
            public_answer__gt="",
            category__public=True,
            answered_at__isnull=False,
        )


def _token() -> str:
    return secrets.token_urlsafe(24)


class Report(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=24, unique=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    external_id = models.CharField(
        _("mã ngoài"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("Message-ID của thư, mã tin nhắn..."),
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("mã tra cứu"))
    rating_token = models.CharField(
        max_length=64, default=_token, editable=False, verbose_name=_("mã đánh giá")
    )

    contact_name = models.CharField(_("họ tên người phản ánh"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_reports",
        verbose_name=_("tài khoản người phản ánh"),
    )
    device_id = models.CharField(max_length=100, blank=True, verbose_name=_("mã thiết bị"))
    account_id = models.CharField(max_length=100, blank=True, verbose_name=_("mã tài khoản"))
    # The Open311 client that filed the report: it may read the report back before it is published.
    api_key = models.ForeignKey(
        "ApiKey",
        verbose_name=_("khóa Open311 đã gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        editable=False,
    )

    description = models.TextField(_("nội dung"))
    search_text = models.TextField(editable=False, blank=True, verbose_name=_("nội dung tìm kiếm"))
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True, verbose_name=_("vĩ độ"))
    longitude = models.FloatField(null=True, blank=True, verbose_name=_("kinh độ"))
    ward = models.ForeignKey(
        "org.Unit",
        verbose_name=_("phường, xã nơi xảy ra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    photo = models.FileField(_("ảnh"), upload_to="feedback/%Y/%m/", blank=True)
    media_url = models.URLField(_("đường dẫn ảnh"), max_length=500, blank=True)
    attributes = models.JSONField(default=dict, blank=True, verbose_name=_("thuộc tính bổ sung"))

    category = models.ForeignKey(
        Category,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    classification = models.CharField(
        _("phân loại"), max_length=16, choices=Classification.choices, blank=True, default=""
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.RECEIVED,
        db_index=True,
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="feedback_reports"
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now, db_index=True)
    deadline = models.DateField(_("hạn trả lời"), null=True, blank=True)
    transfer_deadline = models.DateField(_("hạn chuyển đơn"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("mức nhắc"), default=0, help_text=_("0: chưa; 1: lãnh đạo đơn vị; 2: Thành phố")
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("trùng với"),
    )
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    status_note = models.CharField(
        _("ghi chú trạng thái"),
        max_length=500,
        blank=True,
        help_text=_("Lý do không tiếp nhận, chuyển đơn vị... (công khai)"),
    )
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("trả lời lúc"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("đóng lúc"))
    reopen_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("số lần mở lại"))
    answered_late = models.BooleanField(null=True, blank=True, verbose_name=_("trả lời quá hạn"))
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("mức hài lòng"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("cập nhật lúc"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status", "-received_at"], name="fb_unit_status_recv"),
            models.Index(fields=["category", "-received_at"], name="fb_cat_recv"),
            models.Index(fields=["status", "deadline"], name="fb_status_deadline"),
            models.Index(fields=["-answered_at"], name="fb_answered"),
        ]
        constraints = [
            # idempotency: one report per message of a channel (e-mail Message-ID, chat message id...),
            # enforced by the database so concurrent deliveries of one message cannot make two reports
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="fb_channel_external_id_uniq",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def deadline_state(self, today: dt.date | None = None, calendar: LegalCalendar | None = None) -> str:
        """'done', 'late', 'due_soon' (2 working days or less), 'on_track' or 'none'.

        A list passes one `calendar` (core.calendar.calendar_for()) for all its rows: it reads the database."""
        if not self.is_open:
            return "done_late" if self.answered_late else "done"
        if not self.deadline:
            return "none"
        today = today or timezone.localdate()
        if today > self.deadline:
            return "late"
        if (calendar or calendar_for()).working_days_between(today, self.deadline) <= 2:
            return "due_soon"
        return "on_track"


class Answer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        RETURNED = "returned", _("Lãnh đạo trả lại")
        PUBLISHED = "published", _("Đã duyệt, công bố")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(_("lần trả lời"), default=1)
    body = models.TextField(_("nội dung trả lời"))
    public_body = models.TextField(_("nội dung công khai"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    leader_note = models.TextField(blank=True)

    objects = child_of(Report, "report").as_manager()

    class Meta:
        ordering = ["report", "round", "pk"]


class Rating(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("mức hài lòng (1-5)"))
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = child_of(Report, "report").as_manager()

    @property
    def satisfied(self) -> bool:
        return self.score >= 4


class ReportEvent(models.Model):
    """The full trace of one report, shown to leaders."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    from_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = child_of(Report, "report").as_manager()

    class Meta:
        ordering = ["at", "pk"]

    # The trace stores short internal labels; people read these (item 4: no "system", "web", "category:ward").
    ACTOR_NAMES = {
        "system": _("Hệ thống (tự động)"),
        "reporter": _("Người phản ánh"),
        "mailbox": _("Hộp thư phản ánh"),
        **{value: label for value, label in Channel.choices},
    }
    NOTE_TEXTS = {
        "category:ward": _("Chuyển theo lĩnh vực về phường, xã nơi xảy ra sự việc"),
        "category:default_unit": _("Chuyển về đơn vị phụ trách lĩnh vực"),
        "city:triage": _("Chờ thành phố điều phối (chưa xác định được đơn vị)"),
    }

    @property
    def actor_display(self) -> str:
        return str(self.ACTOR_NAMES.get(self.actor_label, self.actor_label))

    @property
    def note_display(self) -> str:
        return str(self.NOTE_TEXTS.get(self.note, self.note))


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """An Open311 client key; only its SHA-256 is stored."""

    name = models.CharField(_("tên ứng dụng"), max_length=200)
    prefix = models.CharField(max_length=8, editable=False, verbose_name=_("tiền tố"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("mã băm khóa"))
    active = models.BooleanField(default=True, verbose_name=_("đang dùng"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("tạo lúc"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dùng gần nhất lúc"))

    class Meta:
        verbose_name = _("khóa Open311")
        verbose_name_plural = _("khóa Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
