"""Roll-up tables: the dashboard's figures per unit and day (or month), kept in step with every action.

Rows are keyed by plain integer ids (0 = none), not foreign keys: they are counters derived from the
dossiers and feedback tables, rebuilt from them by `motcua dashboard rebuild`, and never the source of
truth. A flow (received, returned...) is counted on the day it happened; a stock (in progress, overdue)
is the running sum of its in/out flows up to a day (`selectors.dossier_stats`). Definitions: docs/dashboard.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DOSSIER_DAY_MEASURES = (
    "received",
    "received_online",
    "received_counter",
    "received_kiosk",
    "received_post",
    "returned_early",
    "returned_on_time",
    "returned_late",
    "closed",
    "overdue_in",
    "overdue_out",
    "processed",
    "processing_seconds",
    "allowed_seconds",
)
PROCEDURE_MONTH_MEASURES = ("received", "received_online", "returned", "returned_late")
FEEDBACK_DAY_MEASURES = (
    "received",
    "answered",
    "answered_late",
    "done",
    "overdue_in",
    "overdue_out",
    "reopened",
)


class DossierDay(models.Model):
    """Dossiers of one receiving unit on one (local) day."""

    unit_id = models.IntegerField()
    day = models.DateField()
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_counter = models.IntegerField(default=0)
    received_kiosk = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)
    returned_early = models.IntegerField(default=0)
    returned_on_time = models.IntegerField(default=0)
    returned_late = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)  # left "in progress": handed over, withdrawn or stopped
    overdue_in = models.IntegerField(default=0)  # became overdue (due time on this day, still open then)
    overdue_out = models.IntegerField(default=0)  # an overdue dossier closed on this day
    processed = models.IntegerField(default=0)  # handed over, with a processing time
    processing_seconds = models.BigIntegerField(default=0)
    allowed_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu hồ sơ theo ngày")
        constraints = [models.UniqueConstraint(fields=["unit_id", "day"], name="dash_dossier_day_key")]


class DossierMonth(models.Model):
    """The same counters as DossierDay per month: a period or a stock reads whole months here and only the
    partial months from the day table, so the cost stays units x (months + 62 days) as history grows."""

    unit_id = models.IntegerField()
    month = models.DateField()  # first day of the month
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_counter = models.IntegerField(default=0)
    received_kiosk = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)
    returned_early = models.IntegerField(default=0)
    returned_on_time = models.IntegerField(default=0)
    returned_late = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    overdue_in = models.IntegerField(default=0)
    overdue_out = models.IntegerField(default=0)
    processed = models.IntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)
    allowed_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu hồ sơ theo tháng")
        constraints = [models.UniqueConstraint(fields=["unit_id", "month"], name="dash_dossier_month_key")]


class ProcedureMonth(models.Model):
    """Dossiers of one procedure, receiving unit and competent unit in one month (drill-down, hot spots)."""

    unit_id = models.IntegerField()
    competent_id = models.IntegerField()
    procedure_id = models.IntegerField()
    month = models.DateField()  # first day of the month
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    returned_late = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu hồ sơ theo thủ tục và tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "competent_id", "procedure_id", "month"], name="dash_procedure_month_key"
            )
        ]
        indexes = [models.Index(fields=["month"], name="dash_procedure_month_month")]


class FeedbackDay(models.Model):
    """Feedback reports of one handling unit, place (ward) and category on one (local) day."""

    unit_id = models.IntegerField()
    ward_id = models.IntegerField()
    category_id = models.IntegerField()
    day = models.DateField()
    received = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answered_late = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    overdue_in = models.IntegerField(default=0)
    overdue_out = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu phản ánh theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "ward_id", "category_id", "day"], name="dash_feedback_day_key"
            )
        ]
        indexes = [models.Index(fields=["day"], name="dash_feedback_day_day")]


class QualityGroup(models.TextChoices):
    """QĐ 766/QĐ-TTg (2022) index groups (domain.md)."""

    TRANSPARENCY = "transparency", _("Công khai, minh bạch")
    TIMELINESS = "timeliness", _("Tiến độ, kết quả giải quyết")
    ONLINE = "online", _("Cung cấp dịch vụ công trực tuyến")
    PAYMENT = "payment", _("Thanh toán trực tuyến")
    SATISFACTION = "satisfaction", _("Mức độ hài lòng")
    DIGITISATION = "digitisation", _("Số hóa hồ sơ, kết quả")


class QualityWeight(models.Model):
    """The points of one QĐ 766 group (configurable in the admin; the formulas are in `quality.py`)."""

    group = models.CharField(_("nhóm chỉ số"), max_length=20, choices=QualityGroup.choices, unique=True)
    points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    formula = models.TextField(_("công thức"), blank=True, help_text=_("Mô tả công thức (công khai)"))

    class Meta:
        verbose_name = _("trọng số chỉ số 766")
        verbose_name_plural = _("trọng số chỉ số 766")
        ordering = ["group"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.points}"
