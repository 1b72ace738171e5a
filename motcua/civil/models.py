"""Civil status records (Luật Hộ tịch 2014): birth, marriage, death and changes; extract copies and marital
status certificates.

Every record keeps its register book and page (the paper register prevails over the database) and the
registering unit (`unit`, used by ScopedQuerySet for writes). Reads for extracts are province-wide through
`selectors.search_records()`, which audits each search with its purpose.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.scoping import ScopedQuerySet
from motcua.org.selectors import fold


class RecordKind(models.TextChoices):
    BIRTH = "birth", _("Khai sinh")
    MARRIAGE = "marriage", _("Kết hôn")
    DEATH = "death", _("Khai tử")
    CHANGE = "change", _("Thay đổi, cải chính, công nhận, ghi chú")


class Source(models.TextChoices):
    DIRECT = "direct", _("Đăng ký trực tiếp")
    DOSSIER = "dossier", _("Từ hồ sơ thủ tục")
    LEGACY = "legacy", _("Nhập từ sổ cũ")


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class CivilRecord(models.Model):
    """What every civil status record carries."""

    code = models.CharField(_("mã đăng ký"), max_length=40, unique=True)
    # In URLs instead of the row id, so pages cannot be walked by counting (issue 11, item 7).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("nơi đăng ký"), on_delete=models.PROTECT, related_name="+"
    )
    register_book = models.CharField(_("quyển sổ"), max_length=40)
    register_page = models.PositiveIntegerField(_("trang"))
    register_number = models.CharField(_("số đăng ký"), max_length=40, blank=True)
    registered_on = models.DateField(_("ngày đăng ký"), db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.DIRECT)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=60, blank=True, db_index=True)
    extract_count = models.PositiveIntegerField(_("số bản trích lục đã cấp"), default=0)
    override_reason = models.CharField(_("lý do vẫn đăng ký khi trùng"), max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lãnh đạo cho phép"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Folded names (lower case, no diacritics) for an indexed prefix search: "nguyen minh khang".
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    name_key2 = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    kind: str = ""

    class Meta:
        abstract = True
        ordering = ["-registered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def title(self) -> str:
        return ""

    @property
    def kind_label(self) -> str:
        return str(RecordKind(self.kind).label)

    def names(self) -> tuple[str, str]:
        return "", ""

    def compute_name_keys(self) -> None:
        first, second = self.names()
        self.name_key, self.name_key2 = fold(first)[:200], fold(second)[:200]

    def save(self, *args, **kwargs):
        self.compute_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = list(set(update_fields) | {"name_key", "name_key2"})
        super().save(*args, **kwargs)

    def person_ids(self) -> list[str]:
        return []


class BirthRecord(CivilRecord):
    kind = RecordKind.BIRTH
    child_name = models.CharField(_("họ tên người được khai sinh"), max_length=200)
    child_personal_id = models.CharField(_("số định danh"), max_length=12, blank=True, db_index=True)
    child_sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    child_date_of_birth = models.DateField(_("ngày sinh"))
    place_of_birth = models.CharField(_("nơi sinh"), max_length=300)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, default="Kinh")
    nationality = models.CharField(_("quốc tịch"), max_length=50, default="Việt Nam")
    hometown = models.CharField(_("quê quán"), max_length=200, blank=True)
    father_name = models.CharField(_("họ tên cha"), max_length=200, blank=True)
    father_personal_id = models.CharField(_("số định danh của cha"), max_length=12, blank=True, db_index=True)
    mother_name = models.CharField(_("họ tên mẹ"), max_length=200, blank=True)
    mother_personal_id = models.CharField(_("số định danh của mẹ"), max_length=12, blank=True, db_index=True)

    class Meta(CivilRecord.Meta):
        verbose_name = _("đăng ký khai sinh")
        verbose_name_plural = _("đăng ký khai sinh")
        indexes = [models.Index(fields=["child_date_of_birth", "child_name"], name="civil_birth_dob_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["child_personal_id"],
                condition=~Q(child_personal_id="") & Q(override_reason=""),
                name="civil_birth_child_unique",
            )
        ]

    @property
    def title(self) -> str:
        return self.child_name

    def names(self) -> tuple[str, str]:
        return self.child_name, ""

    def person_ids(self) -> list[str]:
        return [p for p in (self.child_personal_id, self.father_personal_id, self.mother_personal_id) if p]


class MarriageRecord(CivilRecord):
    kind = RecordKind.MARRIAGE
    husband_name = models.CharField(_("họ tên chồng"), max_length=200)
    husband_personal_id = models.CharField(_("số định danh của chồng"), max_length=12, db_index=True)
    husband_date_of_birth = models.DateField(_("ngày sinh của chồng"), null=True, blank=True)
    wife_name = models.CharField(_("họ tên vợ"), max_length=200)
    wife_personal_id = models.CharField(_("số định danh của vợ"), max_length=12, db_index=True)
    wife_date_of_birth = models.DateField(_("ngày sinh của vợ"), null=True, blank=True)
    ended_on = models.DateField(_("chấm dứt ngày"), null=True, blank=True)
    ended_reason = models.CharField(
        _("lý do chấm dứt"),
        max_length=20,
        blank=True,
        choices=[("divorce", _("Ly hôn")), ("death", _("Vợ/chồng chết"))],
    )

    class Meta(CivilRecord.Meta):
        verbose_name = _("đăng ký kết hôn")
        verbose_name_plural = _("đăng ký kết hôn")
        constraints = [
            models.UniqueConstraint(
                fields=["husband_personal_id", "wife_personal_id"],
                condition=Q(ended_on__isnull=True) & Q(override_reason=""),
                name="civil_marriage_active_unique",
            )
        ]

    @property
    def title(self) -> str:
        return f"{self.husband_name} – {self.wife_name}"

    def names(self) -> tuple[str, str]:
        return self.husband_name, self.wife_name

    def person_ids(self) -> list[str]:
        return [self.husband_personal_id, self.wife_personal_id]


class DeathRecord(CivilRecord):
    kind = RecordKind.DEATH
    deceased_name = models.CharField(_("họ tên người chết"), max_length=200)
    deceased_personal_id = models.CharField(_("số định danh"), max_length=12, blank=True, db_index=True)
    deceased_sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    deceased_date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    date_of_death = models.DateField(_("ngày chết"))
    place_of_death = models.CharField(_("nơi chết"), max_length=300)
    cause = models.CharField(_("nguyên nhân"), max_length=200, blank=True)

    class Meta(CivilRecord.Meta):
        verbose_name = _("đăng ký khai tử")
        verbose_name_plural = _("đăng ký khai tử")
        indexes = [models.Index(fields=["date_of_death", "deceased_name"], name="civil_death_date_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["deceased_personal_id"],
                condition=~Q(deceased_personal_id="") & Q(override_reason=""),
                name="civil_death_person_unique",
            )
        ]

    @property
    def title(self) -> str:
        return self.deceased_name

    def names(self) -> tuple[str, str]:
        return self.deceased_name, ""

    def person_ids(self) -> list[str]:
        return [self.deceased_personal_id] if self.deceased_personal_id else []


class ChangeKind(models.TextChoices):
    CORRECTION = "correction", _("Thay đổi, cải chính hộ tịch")
    RECOGNITION = "recognition", _("Nhận cha, mẹ, con")
    DIVORCE_NOTE = "divorce_note", _("Ghi chú ly hôn")


class ChangeRecord(CivilRecord):
    kind = RecordKind.CHANGE
    change_kind = models.CharField(_("loại việc"), max_length=20, choices=ChangeKind.choices)
    target_kind = models.CharField(
        _("loại bản ghi gốc"), max_length=10, choices=RecordKind.choices, blank=True
    )
    target_code = models.CharField(_("mã bản ghi gốc"), max_length=40, blank=True, db_index=True)
    subject_name = models.CharField(_("họ tên người được thay đổi"), max_length=200)
    subject_personal_id = models.CharField(_("số định danh"), max_length=12, blank=True, db_index=True)
    other_personal_id = models.CharField(_("số định danh người liên quan"), max_length=12, blank=True)
    other_name = models.CharField(_("họ tên người liên quan"), max_length=200, blank=True)
    field_changed = models.CharField(_("nội dung thay đổi"), max_length=100, blank=True)
    old_value = models.CharField(_("nội dung cũ"), max_length=300, blank=True)
    new_value = models.CharField(_("nội dung mới"), max_length=300, blank=True)
    decision = models.CharField(_("căn cứ (bản án, quyết định)"), max_length=300, blank=True)

    class Meta(CivilRecord.Meta):
        verbose_name = _("thay đổi hộ tịch")
        verbose_name_plural = _("thay đổi hộ tịch")

    @property
    def title(self) -> str:
        return f"{self.get_change_kind_display()}: {self.subject_name}"

    def names(self) -> tuple[str, str]:
        return self.subject_name, self.other_name

    def person_ids(self) -> list[str]:
        return [p for p in (self.subject_personal_id, self.other_personal_id) if p]


RECORD_MODELS: dict[str, type[CivilRecord]] = {
    RecordKind.BIRTH: BirthRecord,
    RecordKind.MARRIAGE: MarriageRecord,
    RecordKind.DEATH: DeathRecord,
    RecordKind.CHANGE: ChangeRecord,
}
CODE_PREFIX = {
    RecordKind.BIRTH: "KS",
    RecordKind.MARRIAGE: "KH",
    RecordKind.DEATH: "KT",
    RecordKind.CHANGE: "TD",
}


class ExtractCopy(models.Model):
    """One certified extract copy (bản sao trích lục), issued by any unit of the province."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_kind = models.CharField(_("loại"), max_length=10, choices=RecordKind.choices)
    record_id = models.PositiveBigIntegerField()
    record_code = models.CharField(_("mã đăng ký"), max_length=40, db_index=True)
    registering_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("nơi đăng ký"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("nơi cấp bản sao"), on_delete=models.PROTECT, related_name="+"
    )
    copy_number = models.PositiveIntegerField(_("bản số"))
    issued_at = models.DateTimeField(_("ngày cấp"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    collector_name = models.CharField(_("người nhận"), max_length=200)
    collector_personal_id = models.CharField(_("số định danh người nhận"), max_length=12)
    purpose = models.CharField(_("mục đích"), max_length=300, blank=True)
    fee = models.DecimalField(_("lệ phí (đồng)"), max_digits=12, decimal_places=0)
    template_version = models.CharField(max_length=20)
    verification_code = models.CharField(max_length=60, unique=True, blank=True)
    pdf = models.FileField(upload_to="civil/extracts/%Y/%m/", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản sao trích lục")
        verbose_name_plural = _("bản sao trích lục")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_kind", "record_id", "copy_number"], name="civil_copy_unique"
            )
        ]


class MaritalOutcome(models.TextChoices):
    ISSUED = "issued", _("Đã cấp")
    REFUSED = "refused", _("Từ chối")


class MaritalStatusCertificate(models.Model):
    """A marital status certificate request (1.004873): issued with its validity, or refused with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("nơi cấp"), on_delete=models.PROTECT, related_name="+"
    )
    personal_id = models.CharField(_("số định danh"), max_length=12, db_index=True)
    full_name = models.CharField(_("họ tên"), max_length=200)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    residence = models.CharField(_("nơi cư trú"), max_length=300, blank=True)
    marital_status = models.CharField(_("tình trạng hôn nhân"), max_length=20, blank=True)
    status_detail = models.CharField(_("diễn giải"), max_length=400, blank=True)
    purpose = models.CharField(_("mục đích sử dụng"), max_length=300)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=MaritalOutcome.choices)
    refusal_reason = models.CharField(_("lý do từ chối"), max_length=500, blank=True)
    checked = models.JSONField(_("đã kiểm tra"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("ngày cấp"))
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=60, blank=True)
    template_version = models.CharField(max_length=20, blank=True)
    verification_code = models.CharField(max_length=60, blank=True, db_index=True)
    pdf = models.FileField(upload_to="civil/marital/%Y/%m/", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("xác nhận tình trạng hôn nhân")
        verbose_name_plural = _("xác nhận tình trạng hôn nhân")
        ordering = ["-issued_at"]
