"""Shared kernel tables: the audit chain, calendar overrides, code sequences."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditError(Exception):
    pass


class AuditHead(models.Model):
    """The last hash of one audit chain; its row is locked while an entry is appended.

    Chains are per unit (or "system"), so writes in different wards do not queue behind one lock.
    """

    chain = models.CharField(max_length=64, primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")


class AuditEntry(models.Model):
    """One append-only audit entry, hash-chained to the previous entry of its chain."""

    chain = models.CharField(_("chuỗi"), max_length=64, db_index=True)
    seq = models.BigIntegerField(_("số thứ tự"))
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor_id = models.BigIntegerField(_("mã người thực hiện"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=100, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=100, blank=True, db_index=True)
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    purpose = models.CharField(_("mục đích"), max_length=500, blank=True)
    # The client address of the request that caused the entry (core.clientip: trusted proxies only).
    client_ip = models.GenericIPAddressField(_("địa chỉ máy khách"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, verbose_name=_("mã băm mục trước"))
    hash = models.CharField(max_length=64, verbose_name=_("mã băm"))

    class Meta:
        verbose_name = _("nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        ordering = ["chain", "seq"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditError("Audit entries are append-only")

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"


class CalendarOverride(models.Model):
    """A province's official change to the legal calendar for one day.

    The government fixes Tết and 2/9 days and swapped days each year; the `holidays` package gives
    defaults and the province records what differs here.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Ngày nghỉ")
        WORKING_DAY = "work", _("Ngày làm việc bù")

    province_code = models.CharField(_("mã tỉnh"), max_length=8, db_index=True)
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    note = models.CharField(_("căn cứ, ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        constraints = [
            models.UniqueConstraint(fields=["province_code", "date"], name="calendar_override_unique")
        ]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class CodeSequence(models.Model):
    """Per-agency, per-day counter behind dossier codes (TT 01/2018 Art 19)."""

    scope = models.CharField(max_length=80)
    day = models.DateField()
    last = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "day"], name="code_sequence_unique")]


class OutboundMessage(models.Model):
    """The outbox: every SMS, e-mail or Zalo message to a citizen, queued in the transaction that caused it.

    `key` is unique, so the same business event never produces two messages; the delivery task sends a
    message only while it is still pending, so a retried task never sends twice. `body` never holds a
    secret in clear (see `motcua.core.notify`).
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Thư điện tử")
        ZALO = "zalo", _("Zalo")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    key = models.CharField(_("khóa chống trùng"), max_length=200, unique=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=320)  # an e-mail address may have 254
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))  # secrets masked (notify.SECRET_MASK)
    # The message's secret (one-time code, signed link), sealed; erased once delivery ends.
    secret = models.TextField(blank=True, default="", editable=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    provider_ref = models.CharField(_("mã nhà cung cấp"), max_length=100, blank=True)
    # Delivery is claimed with a lease (see motcua.core.notify.deliver): while `lease_until` is in the future
    # one worker owns the attempt; a worker killed mid-send lets the lease expire and the sweep takes it up.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    # The earliest time of the next attempt (backoff per message after a failure); null = now.
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tin nhắn gửi đi")
        verbose_name_plural = _("hộp thư gửi đi")
        ordering = ["-created_at"]
        indexes = [
            # The sweep's question: pending messages, oldest first (a partial index: only pending rows).
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_pending_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"


class PeriodicSlot(models.Model):
    """One row per periodic task and period: the scheduler that inserts it enqueues the task, so a periodic job
    runs once per period however many schedulers (`motcua periodic`) run (motcua.core.periodic)."""

    task = models.CharField(max_length=200)
    slot = models.BigIntegerField()  # whole periods since the epoch
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "slot"], name="periodic_slot_once")]

    def __str__(self) -> str:
        return f"{self.task}#{self.slot}"
class DemoPhoneMessage(models.Model):
    """The demo's stand-in for a citizen's phone: the text an SMS or Zalo message to a demo number carried.

    Written only by the local outbox gateway while `MOTCUA_DEMO_PHONE` is on (refused in production,
    check motcua.E003) and only for the numbers in `MOTCUA_DEMO_PHONE_NUMBERS`; read on the demo's
    phone inbox page (`/demo/dien-thoai/`), which the sign-in page names.
    """

    recipient = models.CharField(_("số điện thoại"), max_length=20, db_index=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=OutboundMessage.Channel.choices)
    body = models.TextField(_("nội dung"))
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tin nhắn trên điện thoại trình diễn")
        verbose_name_plural = _("điện thoại trình diễn")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.body[:40]}"
