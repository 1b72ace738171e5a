"""The population-registry message log (append-only, hash-chained), citizens' consents to auto-fill, and
the counter intake sessions that officers' look-ups before a dossier are bound to."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.scoping import ScopedQuerySet


class LookupStatus(models.TextChoices):
    OK = "ok", _("Thành công")
    NOT_FOUND = "not_found", _("Không tìm thấy")
    DENIED = "denied", _("Không được phép")
    TIMEOUT = "timeout", _("Quá thời gian chờ")
    UNAVAILABLE = "unavailable", _("Hệ thống không sẵn sàng")
    ERROR = "error", _("Lỗi")


class AppendOnlyError(Exception):
    pass


class RegistryMessage(models.Model):
    """One call to the population registry (or one refused attempt), kept forever.

    Holds who asked, about whom (the personal ID only, never the returned data), why, and the SHA-256 of the
    request and of the response. Each entry carries the hash of the previous one, so editing or deleting an
    entry (even with SQL) is detected by `motcua registry verify-log`.
    """

    seq = models.PositiveBigIntegerField(_("số thứ tự"), unique=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    message_id = models.CharField(_("mã thông điệp"), max_length=36)
    client_id = models.CharField(_("hệ thống gọi"), max_length=100)
    service = models.CharField(_("dịch vụ"), max_length=30)
    subject_id = models.CharField(_("số định danh được tra cứu"), max_length=12, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tra cứu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("tên người tra cứu"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure_code = models.CharField(_("thủ tục"), max_length=40, blank=True)
    dossier_code = models.CharField(_("hồ sơ"), max_length=60, blank=True, db_index=True)
    purpose = models.CharField(_("mục đích"), max_length=300)
    status = models.CharField(_("kết quả"), max_length=12, choices=LookupStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("độ trễ (ms)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần gọi"), default=0)
    request_hash = models.CharField(_("băm yêu cầu"), max_length=64, blank=True)
    response_hash = models.CharField(_("băm phản hồi"), max_length=64, blank=True)
    registry_request_hash = models.CharField(_("băm yêu cầu (phía CSDL)"), max_length=64, blank=True)
    fields_returned = models.JSONField(_("trường dữ liệu nhận"), default=list, blank=True)
    error = models.CharField(_("lỗi"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("nhật ký tra cứu CSDL dân cư")
        verbose_name_plural = _("nhật ký tra cứu CSDL dân cư")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["service", "at"], name="citizens_msg_service_at")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} → {self.subject_id} ({self.service})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("registry messages are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("registry messages are append-only")


class RegistryLogHead(models.Model):
    """The last sequence number and hash of the message log (one row), locked while appending."""

    name = models.CharField(max_length=20, unique=True, default="registry")
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)


class PrefillConsent(models.Model):
    """A citizen's consent to fill a form from the population registry (who, when, for which procedure)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    personal_id = models.CharField(max_length=12, db_index=True)
    procedure_code = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đồng ý chia sẻ dữ liệu dân cư")
        verbose_name_plural = _("đồng ý chia sẻ dữ liệu dân cư")
        ordering = ["-at"]


class IntakeOutcome(models.TextChoices):
    OPEN = "open", _("Đang tiếp nhận")
    LINKED = "linked", _("Đã lập hồ sơ")
    CLOSED = "closed", _("Đã đóng, không lập hồ sơ")


class IntakeSession(models.Model):
    """A counter intake an officer has started for one procedure and one applicant (by personal ID).

    The case a registry look-up is bound to before the dossier exists: short-lived, the officer's own,
    audited when opened and when it leads to a dossier (or a certificate), and closed then. Sessions that
    lead to nothing count against the officer's daily limit.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    procedure_code = models.CharField(_("thủ tục"), max_length=40)
    personal_id = models.CharField(_("số định danh người nộp"), max_length=12)
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn"))
    closed_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=IntakeOutcome.choices, default=IntakeOutcome.OPEN
    )
    case_ref = models.CharField(_("hồ sơ/giấy tờ đã lập"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()  # leaders see their units' sessions, auditors every unit

    class Meta:
        verbose_name = _("lượt tiếp nhận tại quầy")
        verbose_name_plural = _("lượt tiếp nhận tại quầy")
        indexes = [models.Index(fields=["officer", "opened_at"], name="citizens_intake_officer_at")]

    def __str__(self) -> str:
        return f"{self.procedure_code} {self.personal_id} ({self.get_outcome_display()})"
