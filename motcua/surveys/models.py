"""Satisfaction ratings: one per dossier, answers to configurable questions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.scoping import ScopedQuerySet


class QuestionSubject(models.TextChoices):
    SERVICE = "service", _("Dịch vụ")
    OFFICER = "officer", _("Cán bộ")


class Question(models.Model):
    """A rating question (scale 1-5). Edited in the admin; inactive questions keep their old answers."""

    code = models.SlugField(_("mã câu hỏi"), max_length=40, unique=True)
    text = models.CharField(_("nội dung câu hỏi"), max_length=300)
    subject = models.CharField(
        _("đánh giá về"), max_length=10, choices=QuestionSubject.choices, default=QuestionSubject.SERVICE
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("câu hỏi đánh giá")
        verbose_name_plural = _("câu hỏi đánh giá")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Channel(models.TextChoices):
    QR = "qr", _("Mã QR trên giấy hẹn")
    KIOSK = "kiosk", _("Ki-ốt")
    PORTAL = "portal", _("Cổng dịch vụ công")
    SMS = "sms", _("Đường dẫn trong tin nhắn")


class RatingQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class Rating(models.Model):
    """The citizen's rating of one dossier (the service and the officer's attitude)."""

    dossier_code = models.CharField(_("mã số hồ sơ"), max_length=64, unique=True)
    dossier_id = models.BigIntegerField(_("hồ sơ"), db_index=True)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("đơn vị")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings_received",
        verbose_name=_("cán bộ"),
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings_given",
        verbose_name=_("công dân"),
    )
    channel = models.CharField(_("kênh đánh giá"), max_length=10, choices=Channel.choices)
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
    score = models.DecimalField(_("điểm trung bình"), max_digits=3, decimal_places=2)
    satisfied = models.BooleanField(_("hài lòng"))
    created_at = models.DateTimeField(_("đánh giá lúc"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    editable_until = models.DateTimeField(_("được sửa đến"))

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá sự hài lòng")
        verbose_name_plural = _("đánh giá sự hài lòng")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["officer", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_code}: {self.score}"


class Answer(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(_("điểm"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "question"], name="surveys_answer_unique")]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value}"
