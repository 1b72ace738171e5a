"""Dossiers: one application for one procedure, from intake to returned result.

The statuses and the transitions between them live in `workflow.py` (one table); every change goes
through a function in `services.py`. Each dossier carries its competent unit as `unit` (the scoping
key) and, separately, the unit whose service desk received it (NĐ 118/2025: receive anywhere in the
province, route by competence).
"""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.scoping import ChildQuerySet, ScopedQuerySet


class DossierStatus(models.TextChoices):
    """The dossier flow of domain.md (NĐ 118/2025 + TT 03/2025) with the national portal codes 1-10."""

    SUBMITTED = "submitted", _("Mới nộp, chờ tiếp nhận")  # 1
    RECEIVED = "received", _("Đã tiếp nhận")  # 2
    NOT_RECEIVED = "not_received", _("Từ chối tiếp nhận")  # 3
    PROCESSING = "processing", _("Đang xử lý")  # 4
    LINKED = "linked", _("Đang xử lý liên thông")  # 4
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")  # 5
    FEE_REQUESTED = "fee_requested", _("Chờ thực hiện nghĩa vụ tài chính")  # 6
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")  # 7
    STOPPED = "stopped", _("Dừng xử lý")  # 8
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")  # 9
    REFUSED = "refused", _("Từ chối giải quyết, chờ trả")  # 9
    RETURNED = "returned", _("Đã trả kết quả")  # 10


# The national portal's de-facto status list (domain.md; verify per province).
PORTAL_CODES: dict[str, int] = {
    DossierStatus.SUBMITTED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.NOT_RECEIVED: 3,
    DossierStatus.PROCESSING: 4,
    DossierStatus.LINKED: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.FEE_REQUESTED: 6,
    DossierStatus.WITHDRAWN: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.RESULT_READY: 9,
    DossierStatus.REFUSED: 9,
    DossierStatus.RETURNED: 10,
}

OPEN_STATUSES = [
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.LINKED,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.FEE_REQUESTED,
]
CLOSED_STATUSES = [
    DossierStatus.NOT_RECEIVED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
    DossierStatus.RETURNED,
]


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp tại quầy")
    POST = "post", _("Dịch vụ bưu chính")
    ONLINE = "online", _("Trực tuyến")
    KIOSK = "kiosk", _("Ki-ốt")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


LINKED_LITERAL_LIMIT = 2000


class DossierQuerySet(ScopedQuerySet):
    """Staff see dossiers of their units: competent, receiving, or an agency in linked processing.

    Three IN-lists on indexed columns, OR-ed (PostgreSQL answers with a BitmapOr of index scans, or walks
    the (submitted_at, id) index for a page): the competent unit, the receiving unit, and the ids of
    dossiers transferred to one of the units by a unit outside them (fetched first through the `to_unit`
    index; `from_unit` is the dossier's competent unit, which never changes). An agency holding more than
    LINKED_LITERAL_LIMIT such dossiers gets the transfer subquery instead of a huge literal list.
    """

    personal_data = True  # applicants' names, IDs, addresses: never for the hotline operator

    def scope_filter(self, ids: tuple[int, ...]) -> Q:
        condition = Q(unit__in=ids) | Q(receiving_unit__in=ids)
        incoming = Transfer.objects.filter(to_unit__in=ids).exclude(from_unit__in=ids)
        linked = list(incoming.values_list("dossier_id", flat=True).distinct()[: LINKED_LITERAL_LIMIT + 1])
        if len(linked) > LINKED_LITERAL_LIMIT:
            return condition | Q(pk__in=incoming.values("dossier_id"))
        if linked:
            condition |= Q(pk__in=linked)
        return condition

    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)


class DossierChildQuerySet(ChildQuerySet):
    """Papers, results and events: visible exactly when their dossier is."""

    parent_relation = "dossier"


class Dossier(models.Model):
    code = models.CharField(_("mã số hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    # No single-column index on the two unit keys: (receiving_unit, submitted_at) and (unit, status) below
    # start with them and serve every lookup; one index less each to maintain on every insert.
    receiving_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("đơn vị tiếp nhận"),
        db_index=False,
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("đơn vị có thẩm quyền"),
        db_index=False,
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
        verbose_name=_("tài khoản công dân"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cán bộ tiếp nhận"),
    )
    # applicant
    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=200)
    applicant_personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, db_index=True
    )
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    notify_zalo = models.BooleanField(_("nhận tin qua Zalo"), default=False)
    field_sources = models.JSONField(
        _("nguồn dữ liệu từng trường"),
        default=dict,
        blank=True,
        help_text=_('{"applicant_name": "registry" | "typed", ...}'),
    )
    form_data = models.JSONField(_("tờ khai"), default=dict, blank=True)
    paper_answers = models.JSONField(
        _("trả lời về các trường hợp cần giấy tờ"),
        default=dict,
        blank=True,
        help_text=_("Mã giấy tờ có điều kiện -> người nộp có thuộc trường hợp đó không."),
    )
    result_delivery = models.CharField(
        _("cách nhận kết quả"),
        max_length=10,
        choices=[
            ("counter", _("tại Bộ phận Một cửa")),
            ("post", _("qua dịch vụ bưu chính")),
            ("online", _("bản điện tử trên cổng")),
        ],
        default="counter",
    )
    sighted_papers = models.JSONField(
        _("giấy tờ đã xuất trình"),
        default=list,
        blank=True,
        help_text=_("Mã các giấy tờ cán bộ đã xem bản chính."),
    )
    # state
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=DossierStatus.choices,
        default=DossierStatus.SUBMITTED,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    submitted_at = models.DateTimeField(_("nộp lúc"))
    received_at = models.DateTimeField(_("tiếp nhận hợp lệ lúc"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    apologised_at = models.DateTimeField(_("xin lỗi, hẹn lại lúc"), null=True, blank=True)
    apology_reason = models.TextField(_("lý do hẹn lại"), blank=True)
    supplement_requested_at = models.DateTimeField(_("yêu cầu bổ sung lúc"), null=True, blank=True)
    supplement_items = models.JSONField(_("nội dung yêu cầu bổ sung"), default=list, blank=True)
    supplement_reason = models.TextField(_("lý do yêu cầu bổ sung"), blank=True)
    supplemented_at = models.DateTimeField(_("bổ sung lúc"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    stop_reason = models.TextField(_("lý do dừng"), blank=True)
    result_ready_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    return_channel = models.CharField(_("hình thức trả"), max_length=10, choices=Channel.choices, blank=True)
    outcome = models.CharField(_("kết quả đúng hạn"), max_length=10, choices=Outcome.choices, blank=True)
    overdue = models.BooleanField(_("quá hạn"), default=False, db_index=True)
    idempotency_key = models.CharField(
        max_length=100, null=True, blank=True, unique=True, verbose_name=_("khóa chống trùng")
    )
    public_token = models.UUIDField(
        default=uuid.uuid4, editable=False, verbose_name=_("mã tra cứu công khai")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("cập nhật lúc"))

    objects = DossierQuerySet.as_manager()

    # Not stored: state of this instance within one transaction, set by the services.
    replayed = False  # intake returned the dossier an idempotency key already made (the API answers 200)
    _portal_last_seq: int | None = None  # the national-portal message seq last written through it

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["receiving_unit", "submitted_at"]),
            # every staff list is ordered by (-submitted_at, -id): a page walks this index and stops at
            # 25 rows of the scope instead of sorting all of them (city-wide: 1 M rows)
            models.Index(fields=["-submitted_at", "-id"], name="dossier_list_order"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def portal_code(self) -> int:
        return PORTAL_CODES[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class PersonRole(models.TextChoices):
    APPLICANT = "applicant", _("người nộp")
    CONCERNED = "concerned", _("người có liên quan")


class DossierPerson(models.Model):
    """A personal ID number named in a dossier: the applicant's, and those the declaration names (the
    child, the mother, the spouse ...). A signed-in citizen with that verified number sees the dossier in
    "My dossiers", whatever channel it came through (counter dossiers included)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="persons")
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, db_index=True)
    role = models.CharField(_("vai trò"), max_length=10, choices=PersonRole.choices)

    class Meta:
        verbose_name = _("người trong hồ sơ")
        verbose_name_plural = _("người trong hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "personal_id", "role"], name="dossier_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}:{self.role}"


class DossierPaper(models.Model):
    """One scan or upload for one required paper (TT 01/2023 Art 8: scanned one-to-one)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    requirement_id = models.BigIntegerField(_("thành phần hồ sơ"), null=True, blank=True)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(_("tệp"), upload_to="dossiers/papers/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_supplement = models.BooleanField(_("bổ sung"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DossierChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["id"]


class ResultPaper(models.Model):
    """A result paper (decision, certificate, refusal letter), archived electronically."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(_("tên kết quả"), max_length=300)
    file = models.FileField(_("tệp"), upload_to="dossiers/results/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DossierChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        ordering = ["id"]


class TaskStatus(models.TextChoices):
    WAITING = "waiting", _("Chưa đến bước")
    OPEN = "open", _("Chờ nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")
    RETURNED = "returned", _("Trả lại bước trước")
    CANCELLED = "cancelled", _("Hủy")


ACTIVE_TASK = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS]


class TaskQuerySet(DossierChildQuerySet):
    """Scoped through the dossier (a step is visible exactly when its dossier is); the queue of a unit
    filters on the task's own `unit` on top."""

    def active(self) -> Self:
        return self.filter(status__in=ACTIVE_TASK)


class Task(models.Model):
    """One step of the dossier's internal process: who may do it (role + unit), who does it, by when."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("hồ sơ")
    )
    order = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò"), max_length=20)
    # unit and assignee: covered by the (unit, status) and (assignee, status) indexes below
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="dossier_tasks",
        verbose_name=_("đơn vị thực hiện"),
        db_index=False,
    )
    hours = models.FloatField(_("thời gian (giờ làm việc)"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_tasks",
        verbose_name=_("người xử lý"),
        db_index=False,
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.WAITING, db_index=True
    )
    opened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("mở lúc"))
    due_at = models.DateTimeField(_("hạn xử lý bước"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("hoàn thành lúc"))
    note = models.TextField(_("ý kiến"), blank=True)
    is_leader_approval = models.BooleanField(default=False, verbose_name=_("bước lãnh đạo phê duyệt"))

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["dossier_id", "order", "id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["assignee", "status"])]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.order} {self.name}"


class TransferQuerySet(ScopedQuerySet):
    """A transfer belongs to the agency it was sent to."""

    unit_lookup = "to_unit"


class Transfer(models.Model):
    """Linked processing: the dossier handed to another agency with its own time share."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
        verbose_name=_("cơ quan phối hợp"),
    )
    hours = models.FloatField(_("thời gian được phân bổ (giờ làm việc)"))
    sent_at = models.DateTimeField()
    due_at = models.DateTimeField()
    note = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("liên thông")
        verbose_name_plural = _("liên thông")
        ordering = ["id"]


class DossierEvent(models.Model):
    """One line of the process control sheet (form 06): who did what, when, from which status to which."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("hồ sơ")
    )
    at = models.DateTimeField(db_index=True, verbose_name=_("thời điểm"))
    action = models.CharField(max_length=40, verbose_name=_("thao tác"))
    from_status = models.CharField(max_length=24, blank=True, verbose_name=_("từ trạng thái"))
    to_status = models.CharField(max_length=24, blank=True, verbose_name=_("sang trạng thái"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_label = models.CharField(max_length=200, blank=True, verbose_name=_("tên người thực hiện"))
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("bước xử lý"),
    )
    note = models.TextField(blank=True, verbose_name=_("ghi chú"))
    public = models.BooleanField(default=True, verbose_name=_("công khai với công dân"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("dữ liệu kèm theo"))

    objects = DossierChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện của hồ sơ")
        verbose_name_plural = _("quá trình xử lý hồ sơ")
        ordering = ["at", "id"]


class PortalMessage(models.Model):
    """Outbox row for the national portal: one per status change, sent in `seq` order per dossier."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="portal_messages", verbose_name=_("hồ sơ")
    )
    seq = models.PositiveIntegerField(verbose_name=_("số thứ tự"))
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, verbose_name=_("mã thông điệp"))
    status_code = models.PositiveSmallIntegerField(verbose_name=_("mã trạng thái"))
    payload = models.JSONField(verbose_name=_("nội dung gửi"))
    state = models.CharField(
        max_length=10,
        choices=State.choices,
        default=State.PENDING,
        db_index=True,
        verbose_name=_("tình trạng gửi"),
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("số lần thử"))
    last_error = models.TextField(blank=True, verbose_name=_("lỗi gần nhất"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("thử lại lúc"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("gửi lúc"))

    class Meta:
        verbose_name = _("thông điệp gửi Cổng Dịch vụ công quốc gia")
        verbose_name_plural = _("thông điệp gửi Cổng Dịch vụ công quốc gia")
        ordering = ["dossier_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="portal_message_seq_unique")]
