"""Dashboard error codes with Vietnamese messages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class DashboardErrorCode(models.TextChoices):
    BAD_DATE = "bad_date", _("Ngày không hợp lệ: %(value)s (định dạng YYYY-MM-DD hoặc dd/mm/yyyy).")
    BAD_PERIOD = "bad_period", _("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    UNIT_MISSING = "unit_missing", _("Vui lòng chọn đơn vị (tham số unit).")
    UNIT_UNKNOWN = "unit_unknown", _("Không tìm thấy đơn vị có mã %(code)s.")
    OUTSIDE_SCOPE = "outside_scope", _("Bạn không có quyền xem số liệu của đơn vị này.")
    BAD_VALUE = "bad_value", _("Giá trị không hợp lệ: %(value)s.")


class DashboardError(MotcuaError):
    codes = DashboardErrorCode
    statuses = {
        DashboardErrorCode.BAD_DATE: 400,
        DashboardErrorCode.BAD_PERIOD: 400,
        DashboardErrorCode.UNIT_MISSING: 400,
        DashboardErrorCode.BAD_VALUE: 400,
        DashboardErrorCode.UNIT_UNKNOWN: 404,
        DashboardErrorCode.OUTSIDE_SCOPE: 403,
    }
