"""The assistant's knowledge (guide entries, abbreviations, learned examples) and its conversations.

Procedures themselves stay in the catalog: the assistant stores only their national codes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.scoping import ScopedQuerySet
from motcua.org.selectors import fold


class Synonym(models.Model):
    """An abbreviation, slang word or colloquial phrase and the catalog wording it stands for."""

    phrase = models.CharField(
        _("cách viết của người dân"), max_length=120, unique=True, help_text=_("Ví dụ: ko, cccd, sổ đỏ")
    )
    replacement = models.CharField(
        _("nghĩa trong danh mục"), max_length=300, help_text=_("Ví dụ: không, thẻ căn cước, giấy chứng nhận")
    )
    expand = models.BooleanField(
        _("giữ cả từ gốc"),
        default=True,
        help_text=_("Bật: thêm nghĩa vào câu hỏi. Tắt: thay hẳn từ gốc (dùng cho viết tắt như ko, dc)."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("từ viết tắt, từ đồng nghĩa")
        verbose_name_plural = _("từ viết tắt, từ đồng nghĩa")
        ordering = ["phrase"]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.replacement}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.phrase = fold(self.phrase)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class GuideEntry(models.Model):
    """A short how-to written by officers (e.g. creating a national-portal account, paying online)."""

    slug = models.SlugField(_("mã mục"), max_length=80, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung trả lời"), help_text=_("Ngắn gọn, vừa một tin nhắn."))
    keywords = models.TextField(
        _("cách người dân hỏi"), blank=True, help_text=_("Mỗi dòng một cách hỏi, có dấu hoặc không dấu.")
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mục hướng dẫn")
        verbose_name_plural = _("mục hướng dẫn")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Example(models.Model):
    """A citizen question an officer linked to its answer (a procedure or a guide entry)."""

    text = models.TextField(_("câu hỏi"))
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20, blank=True)
    guide = models.ForeignKey(
        GuideEntry, verbose_name=_("mục hướng dẫn"), null=True, blank=True, on_delete=models.CASCADE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dạy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("câu hỏi mẫu đã học")
        verbose_name_plural = _("câu hỏi mẫu đã học")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(procedure_code="") | models.Q(guide__isnull=False),
                name="assistant_example_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ConversationChannel(models.TextChoices):
    WEB = "web", _("Cổng dịch vụ công")
    KIOSK = "kiosk", _("Ki-ốt")
    ZALO = "zalo", _("Zalo OA")
    API = "api", _("Ứng dụng kết nối")


class Intent(models.TextChoices):
    PROCEDURE = "procedure", _("Hỏi thủ tục")
    STATUS = "status", _("Tra cứu hồ sơ")
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị")
    HANDOVER = "handover", _("Chuyển cán bộ")


def new_public_id() -> str:
    return uuid.uuid4().hex


class ConversationQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class Conversation(models.Model):
    """One citizen's chat on one channel; `public_id` is what the chat box sends back."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    channel = models.CharField(_("kênh"), max_length=10, choices=ConversationChannel.choices)
    external_user = models.CharField(_("người dùng trên kênh"), max_length=100, blank=True, db_index=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    last_procedure_code = models.CharField(max_length=20, blank=True)
    last_guide = models.ForeignKey(
        GuideEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc trò chuyện")
        verbose_name_plural = _("cuộc trò chuyện")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.public_id


class Sender(models.TextChoices):
    CITIZEN = "citizen", _("Người dân")
    ASSISTANT = "assistant", _("Trợ lý")
    OFFICER = "officer", _("Cán bộ")


class MessageQuerySet(ScopedQuerySet):
    """A message is visible exactly when its conversation is (the conversation's unit)."""

    unit_lookup = "conversation__unit"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("người gửi"), max_length=10, choices=Sender.choices)
    text = models.TextField(_("nội dung"))
    folded = models.TextField(blank=True, default="", editable=False)
    intent = models.CharField(_("ý định"), max_length=10, choices=Intent.choices, blank=True)
    procedure_codes = models.JSONField(default=list, blank=True)
    guide = models.ForeignKey(GuideEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dossier_code = models.CharField(max_length=64, blank=True)
    feedback_code = models.CharField(max_length=32, blank=True)
    score = models.FloatField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("tin nhắn")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: object, **kwargs: object) -> None:
        self.folded = fold(self.text)[:4000]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("Chờ cán bộ trả lời")
    RESOLVED = "resolved", _("Đã trả lời")


class HandoverQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class Handover(models.Model):
    """A question the assistant could not answer from stored facts, waiting in the unit's queue."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("cuộc trò chuyện"), on_delete=models.CASCADE, related_name="handovers"
    )
    question = models.ForeignKey(
        Message, verbose_name=_("câu hỏi"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    folded = models.CharField(_("câu hỏi (bỏ dấu)"), max_length=300, db_index=True, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.OPEN
    )
    reason = models.CharField(_("lý do"), max_length=40, blank=True)
    procedure_code = models.CharField(_("thủ tục đã chọn"), max_length=20, blank=True)
    guide = models.ForeignKey(
        GuideEntry,
        verbose_name=_("mục hướng dẫn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(_("trả lời của cán bộ"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("chuyển lúc"), auto_now_add=True, db_index=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi chuyển cán bộ")
        verbose_name_plural = _("câu hỏi chuyển cán bộ")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["unit", "status"], name="assistant_handover_queue")]

    def __str__(self) -> str:
        return self.folded[:80]
