"""The procedure catalog: procedures, their papers, fees, declaration forms, publishing decisions and
internal processes in versions.

Other apps read it through `motcua.catalog.selectors`; every write goes through `services.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.search import clear_cache, search_text_for
from motcua.core.calendar import LegalTimeUnit
from motcua.org.models import Role

HOURS_PER_WORKING_DAY = Decimal(8)


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class ProcedureStatus(models.TextChoices):
    ACTIVE = "active", _("Đang áp dụng")
    ABOLISHED = "abolished", _("Đã bãi bỏ")
    REPLACED = "replaced", _("Đã được thay thế")


class CompetentLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")
    MINISTRY = "ministry", _("Cấp bộ")
    AGENCY = "agency", _("Cơ quan chuyên môn, cơ quan khác")


class Channel(models.TextChoices):
    """Where a dossier is filed; legal time and fees may differ per channel."""

    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Dịch vụ bưu chính")
    ONLINE = "online", _("Trực tuyến")


class RequirementKind(models.TextChoices):
    SUBMIT = "submit", _("Giấy tờ phải nộp")
    SHOW = "show", _("Giấy tờ phải xuất trình")
    REGISTRY = "registry", _("Cơ quan tự khai thác từ cơ sở dữ liệu")
    NOTE = "note", _("Lưu ý")


class CopyKind(models.TextChoices):
    """What form of a paper is asked for (NĐ 23/2015: bản chính, bản sao, bản sao có chứng thực)."""

    ORIGINAL = "original", _("bản chính")
    COPY = "copy", _("bản sao")
    CERTIFIED_COPY = "certified", _("bản sao chứng thực")


class FormFieldType(models.TextChoices):
    TEXT = "text", _("Văn bản")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    CHOICE = "choice", _("Lựa chọn")
    PERSONAL_ID = "personal_id", _("Số định danh cá nhân")
    ADDRESS = "address", _("Địa chỉ")
    PERSON = "person", _("Họ và tên người")
    ATTACHMENT = "attachment", _("Tệp đính kèm")


class RegistryField(models.TextChoices):
    """Population-registry data (Luật Căn cước 2023 Art 9) a declaration field can be pre-filled from."""

    FULL_NAME = "full_name", _("Họ, chữ đệm và tên")
    OTHER_NAMES = "other_names", _("Tên gọi khác")
    PERSONAL_ID = "personal_id", _("Số định danh cá nhân")
    DATE_OF_BIRTH = "date_of_birth", _("Ngày, tháng, năm sinh")
    SEX = "sex", _("Giới tính")
    PLACE_OF_BIRTH = "place_of_birth", _("Nơi sinh")
    BIRTH_REGISTRATION_PLACE = "birth_registration_place", _("Nơi đăng ký khai sinh")
    HOME_TOWN = "home_town", _("Quê quán")
    ETHNICITY = "ethnicity", _("Dân tộc")
    RELIGION = "religion", _("Tôn giáo")
    NATIONALITY = "nationality", _("Quốc tịch")
    PERMANENT_ADDRESS = "permanent_address", _("Nơi thường trú")
    TEMPORARY_ADDRESS = "temporary_address", _("Nơi tạm trú")
    CURRENT_ADDRESS = "current_address", _("Nơi ở hiện tại")
    MARITAL_STATUS = "marital_status", _("Tình trạng hôn nhân")
    FATHER_NAME = "father_name", _("Họ tên cha")
    FATHER_ID = "father_id", _("Số định danh của cha")
    MOTHER_NAME = "mother_name", _("Họ tên mẹ")
    MOTHER_ID = "mother_id", _("Số định danh của mẹ")
    SPOUSE_NAME = "spouse_name", _("Họ tên vợ/chồng")
    SPOUSE_ID = "spouse_id", _("Số định danh của vợ/chồng")
    HOUSEHOLD_HEAD_RELATION = "household_head_relation", _("Quan hệ với chủ hộ")
    PHONE = "phone", _("Số điện thoại")
    EMAIL = "email", _("Thư điện tử")


class DecisionEffectKind(models.TextChoices):
    NEW = "new", _("Ban hành mới")
    STANDARDISED = "standardised", _("Chuẩn hóa")
    AMENDED = "amended", _("Sửa đổi, bổ sung")
    REPLACED = "replaced", _("Thay thế")
    ABOLISHED = "abolished", _("Bãi bỏ")


class StepUnitKind(models.TextChoices):
    RECEIVING = "receiving", _("Bộ phận Một cửa nơi tiếp nhận")
    COMPETENT = "competent", _("Đơn vị có thẩm quyền giải quyết")
    AGENCY = "agency", _("Cơ quan phối hợp (liên thông)")


class Field(models.Model):
    """A field of administration (lĩnh vực): Hộ tịch, Chứng thực, Đất đai..."""

    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True)
    slug = models.SlugField(_("mã"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure (thủ tục hành chính) as published, with its national code."""

    code = models.CharField(
        _("mã thủ tục"), max_length=16, unique=True, help_text=_("Mã quốc gia dạng N.NNNNNN, ví dụ 1.001193")
    )
    local_suffix = models.CharField(
        _("hậu tố địa phương"), max_length=60, blank=True, help_text=_("Ví dụ .000.00.00.H29")
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="procedures",
        null=True,
        blank=True,
    )
    competent_level = models.CharField(
        _("cấp thực hiện"), max_length=16, choices=CompetentLevel.choices, default=CompetentLevel.COMMUNE
    )
    level_text = models.CharField(_("cấp thực hiện (nguyên văn)"), max_length=300, blank=True)
    competent_agency = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan có thẩm quyền"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competent_procedures",
    )
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_text = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True, help_text=_("Mỗi văn bản một dòng"))
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ProcedureStatus.choices,
        default=ProcedureStatus.ACTIVE,
        db_index=True,
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("thủ tục thay thế"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    time_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Thời hạn mặc định; thời hạn theo từng kênh nộp ở bảng bên dưới"),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=LegalTimeUnit.choices, default=LegalTimeUnit.WORKING_DAYS
    )
    time_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    fee_note = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    publishing_ref = models.CharField(_("quyết định công bố (nguyên văn)"), max_length=120, blank=True)
    needs_review = models.BooleanField(
        _("cần rà soát"),
        default=False,
        db_index=True,
        help_text=_("Dữ liệu nhập có giá trị chưa chắc chắn (ví dụ thời hạn mất đơn vị)"),
    )
    review_note = models.TextField(_("nội dung cần rà soát"), blank=True)
    sources = models.JSONField(_("nguồn dữ liệu"), default=list, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    search_text = models.TextField(
        editable=False, blank=True, default="", verbose_name=_("nội dung tìm kiếm")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("tạo lúc"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("cập nhật lúc"))

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_text_for(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_text"}
        super().save(*args, **kwargs)
        clear_cache()  # this process's search index; other processes re-check within seconds

    def get_absolute_url(self) -> str:
        return f"/thu-tuc/{self.code}/"

    @property
    def full_code(self) -> str:
        return f"{self.code}{self.local_suffix}"

    @property
    def is_active(self) -> bool:
        return self.status == ProcedureStatus.ACTIVE

    @property
    def is_online(self) -> bool:
        return self.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)

    def legal_basis_list(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


class ProcedureTime(models.Model):
    """Legal time for one channel (the portal lists counter, post and online separately)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="times")
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    value = models.DecimalField(_("thời hạn"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("đơn vị"), max_length=16, choices=LegalTimeUnit.choices)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thời hạn theo kênh")
        verbose_name_plural = _("thời hạn theo kênh")
        constraints = [models.UniqueConstraint(fields=["procedure", "channel"], name="catalog_time_channel")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.value} {self.get_unit_display()}"


SHORT_NAME_LENGTH = 160


class Requirement(models.Model):
    """One paper in the dossier (to submit or to show)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.TextField(_("tên giấy tờ"))
    kind = models.CharField(
        _("loại"), max_length=8, choices=RequirementKind.choices, default=RequirementKind.SUBMIT
    )
    quantity_original = models.PositiveIntegerField(_("số bản chính"), default=0)
    quantity_copy = models.PositiveIntegerField(_("số bản sao"), default=0)
    quantity_text = models.CharField(_("số lượng (nguyên văn)"), max_length=100, blank=True)
    form_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=200, blank=True)
    required = models.BooleanField(
        _("bắt buộc"), default=True, help_text=_("Bỏ chọn với giấy tờ chỉ cần trong một số trường hợp")
    )
    condition = models.TextField(
        _("trường hợp cần nộp"),
        null=True,
        blank=True,
        help_text=_("Để trống khi luôn cần; người nộp được hỏi có thuộc trường hợp này không."),
    )
    copy_kind = models.CharField(
        _("hình thức"), max_length=10, choices=CopyKind.choices, default=CopyKind.ORIGINAL
    )
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    needs_review = models.BooleanField(
        _("cần rà soát"), default=False, help_text=_("Trình đọc văn bản thủ tục chưa chắc chắn.")
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name[:80]

    @property
    def short_name(self) -> str:
        """The paper's name without the legal explanation that follows it: its first sentence, cut at a
        word boundary when still long, without a closing full stop (it goes inside other sentences)."""
        text = " ".join(self.name.split())
        for stop in (". ", "; "):
            head, found, _rest = text.partition(stop)
            if found and len(head) >= 12:
                text = head
        text = text.rstrip(" .;:,")
        if len(text) > SHORT_NAME_LENGTH:
            text = text[:SHORT_NAME_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"
        return text

    @property
    def quantity_label(self) -> str:
        """'01 bản chính', '02 bản sao chứng thực' (as the legal forms list papers)."""
        return f"{self.quantity:02d} {self.get_copy_kind_display()}"

    def applies(self, answers: Mapping[str, bool] | None) -> bool:
        """Needed for this dossier: always when it has no condition, else when the applicant said yes."""
        if self.condition is None:
            return True
        return bool((answers or {}).get(str(self.pk)))


class Fee(models.Model):
    """A fee or charge for one channel (blank channel = every channel)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices, blank=True)
    amount = models.PositiveIntegerField(_("mức thu (đồng)"), default=0)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    exemption = models.TextField(_("miễn, giảm"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "channel", "id"]

    def __str__(self) -> str:
        return f"{self.amount:,} đ".replace(",", ".")


class FormField(models.Model):
    """One field of a procedure's declaration form (tờ khai), like an Open311 service attribute."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_fields")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    key = models.SlugField(_("mã trường"), max_length=60)
    label = models.CharField(_("nhãn"), max_length=200)
    field_type = models.CharField(
        _("kiểu"), max_length=16, choices=FormFieldType.choices, default=FormFieldType.TEXT
    )
    required = models.BooleanField(_("bắt buộc"), default=True)
    choices = models.JSONField(
        _("các lựa chọn"), default=list, blank=True, help_text=_('Ví dụ ["Nam", "Nữ"]')
    )
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)
    registry_field = models.CharField(
        _("lấy từ CSDL dân cư"),
        max_length=40,
        choices=RegistryField.choices,
        blank=True,
        help_text=_("Trường dữ liệu dân cư dùng để điền sẵn"),
    )
    registry_subject = models.CharField(
        _("của người"),
        max_length=20,
        blank=True,
        default="applicant",
        help_text=_("applicant (người nộp), father, mother, spouse, subject (người được khai)"),
    )
    max_length = models.PositiveIntegerField(_("độ dài tối đa"), null=True, blank=True)

    class Meta:
        verbose_name = _("trường tờ khai")
        verbose_name_plural = _("trường tờ khai")
        ordering = ["procedure", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "key"], name="catalog_formfield_key")]

    def __str__(self) -> str:
        return self.label


class Decision(models.Model):
    """A publishing decision (quyết định công bố) that adds, standardises, amends, replaces or abolishes."""

    number = models.CharField(_("số, ký hiệu"), max_length=80, unique=True)
    date = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("phạm vi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalog_decisions",
        help_text=_("Tỉnh hoặc đơn vị ban hành; để trống nếu là quyết định của Bộ"),
    )
    url = models.URLField(_("đường dẫn văn bản"), blank=True)
    applied_at = models.DateTimeField(_("đã áp dụng lúc"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-date", "number"]

    def __str__(self) -> str:
        return self.number


class DecisionEffect(models.Model):
    """What one decision did to one procedure."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="effects")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="decision_effects")
    effect = models.CharField(_("tác động"), max_length=16, choices=DecisionEffectKind.choices)
    successor = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục thay thế"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacing_effects",
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tác động của quyết định")
        verbose_name_plural = _("tác động của quyết định")
        constraints = [
            models.UniqueConstraint(fields=["decision", "procedure"], name="catalog_effect_unique"),
            models.CheckConstraint(
                condition=~Q(effect="replaced") | Q(successor__isnull=False),
                name="catalog_replaced_has_successor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.get_effect_display()} {self.procedure.code}"


class InternalProcess(models.Model):
    """One version of a procedure's internal process (quy trình nội bộ)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="processes", verbose_name=_("thủ tục")
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    effective_from = models.DateField(_("hiệu lực từ"), default=dt.date.today)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="processes",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("áp dụng tại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalog_processes",
        help_text=_("Để trống: áp dụng toàn tỉnh"),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="catalog_process_version")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"

    def total_hours(self) -> Decimal:
        return sum((s.hours for s in self.steps.all()), Decimal(0))


class ProcessStep(models.Model):
    """One step of an internal process: who does it, where, in how many working hours."""

    process = models.ForeignKey(InternalProcess, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("bước"), default=1)
    name = models.CharField(_("nội dung công việc"), max_length=300)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    unit_kind = models.CharField(
        _("nơi thực hiện"), max_length=12, choices=StepUnitKind.choices, default=StepUnitKind.COMPETENT
    )
    agency = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalog_steps",
    )
    hours = models.DecimalField(_("số giờ làm việc"), max_digits=6, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("bước quy trình")
        verbose_name_plural = _("bước quy trình")
        ordering = ["process", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ProcedureVolume(models.Model):
    """Dossiers received per year for a procedure (entered, imported, or filled from the dossier records).

    The re-engineering report multiplies hours saved by this volume when live dossier counts are missing.
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="volumes", verbose_name=_("thủ tục")
    )
    year = models.PositiveIntegerField(_("năm"))
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("đơn vị")
    )
    dossiers = models.PositiveIntegerField(_("số hồ sơ tiếp nhận"))

    class Meta:
        verbose_name = _("số hồ sơ theo năm")
        verbose_name_plural = _("số hồ sơ theo năm")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "year", "unit"], name="catalog_volume_unique"),
        ]
