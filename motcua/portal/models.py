"""Citizen sign-in by phone number and one-time code."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PhoneOTP(models.Model):
    """One one-time code sent by SMS. Only a hash of the code is stored."""

    phone = models.CharField(_("số điện thoại"), max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập"), default=0)
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã đăng nhập một lần")
        verbose_name_plural = _("mã đăng nhập một lần")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.created_at:%Y-%m-%d %H:%M}"


class ExternalIdentity(models.Model):
    """A citizen's account at an OpenID Connect provider (VNeID): the provider's stable `sub`."""

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(_("nhà cung cấp"), max_length=200)
    subject = models.CharField(_("định danh tại nhà cung cấp"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản định danh điện tử")
        verbose_name_plural = _("tài khoản định danh điện tử")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="portal_identity_unique")]

    def __str__(self) -> str:
        return f"{self.issuer}:{self.subject}"


class QueueField(models.TextChoices):
    """The counters of a ward's one-stop hall a citizen takes a number for."""

    GENERAL = "chung", _("Tiếp nhận, trả kết quả chung")
    CIVIL = "ho-tich", _("Hộ tịch")
    CERTIFICATION = "chung-thuc", _("Chứng thực")
    LAND = "dat-dai", _("Đất đai, xây dựng")


class QueueTicket(models.Model):
    """One number taken at a ward's kiosk: consecutive per ward and day (one sequence, unique)."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    field = models.CharField(_("quầy, lĩnh vực"), max_length=20, choices=QueueField.choices)
    issued_at = models.DateTimeField(_("lấy số lúc"), default=timezone.now)
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    called_by = models.ForeignKey(
        "org.User",
        verbose_name=_("cán bộ gọi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    desk = models.CharField(_("quầy số"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "number"], name="portal_queue_number_unique")
        ]
        indexes = [models.Index(fields=["unit", "day", "field", "called_at"], name="portal_queue_waiting")]

    def __str__(self) -> str:
        return f"{self.number:04d} · {self.get_field_display()}"
