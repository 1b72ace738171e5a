"""The feedback work on the staff home (`org.home`): for the 1022 hotline operator, reports to route and
answer (and nothing about dossiers); for the units' officers and leaders, their reports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.feedback import selectors
from motcua.feedback.models import ReportStatus
from motcua.org.home import Section, Tile, roles_of
from motcua.org.models import Role, User


def sections(user: User) -> list[Section]:
    roles = roles_of(user)
    if not roles & {Role.HOTLINE_OPERATOR, Role.SPECIALIST, Role.UNIT_LEADER}:
        return []
    reports = selectors.reports_for(user)
    tiles = []
    if Role.HOTLINE_OPERATOR in roles:
        tiles.append(
            Tile(_("Nhận cuộc gọi 1022"), "/staff/feedback/hotline/", note=_("Ghi nhận phản ánh mới"))
        )
    tiles += [
        Tile(
            _("Chờ phân loại, chuyển xử lý"),
            "/staff/feedback/?status=received",
            reports.filter(status=ReportStatus.RECEIVED).count(),
            urgent=True,
        ),
        Tile(
            _("Đang xử lý, chờ trả lời"),
            "/staff/feedback/?status=assigned",
            reports.filter(status__in=[ReportStatus.ASSIGNED, ReportStatus.REOPENED]).count(),
        ),
        Tile(
            _("Trả lời chờ lãnh đạo duyệt"),
            "/staff/feedback/?status=awaiting_approval",
            reports.filter(status=ReportStatus.AWAITING_APPROVAL).count(),
            urgent=Role.UNIT_LEADER in roles,
        ),
    ]
    order = 10 if Role.HOTLINE_OPERATOR in roles else 40
    return [Section(_("Phản ánh, kiến nghị"), tiles, order=order)]
