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
