"""The dossier work on the staff home (`org.home`): today's intake and the queue for the desk, assigned
tasks and those due soon for the specialist, decisions awaiting the leader, the city's overview."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers import selectors
from motcua.dossiers.models import DossierStatus, Task, TaskStatus
from motcua.org.home import Section, Tile, roles_of
from motcua.org.models import Role, UnitKind, User

DUE_SOON = dt.timedelta(days=2)


def sections(user: User) -> list[Section]:
    roles = roles_of(user)
    out: list[Section] = []
    dossiers = selectors.staff_dossiers(user)
    if Role.DESK_OFFICER in roles:
        today = timezone.localdate()
        out.append(
            Section(
                _("Tiếp nhận và trả kết quả"),
                [
                    Tile(_("Tiếp nhận hồ sơ mới"), "/staff/dossiers/new/", note=_("Tại quầy một cửa")),
                    Tile(
                        _("Hồ sơ tiếp nhận hôm nay"),
                        "/staff/dossiers/?status=received",
                        dossiers.filter(received_at__date=today).count(),
                    ),
                    Tile(
                        _("Hồ sơ trực tuyến chờ tiếp nhận"),
                        "/staff/dossiers/?status=submitted",
                        selectors.awaiting_receipt(user).count(),
                        urgent=True,
                    ),
                    Tile(
                        _("Chờ trả kết quả"),
                        "/staff/dossiers/?status=result_ready",
                        selectors.ready_to_return(user).count(),
                    ),
                    Tile(
                        _("Chờ công dân bổ sung"),
                        "/staff/dossiers/?status=supplement_requested",
                        dossiers.filter(status=DossierStatus.SUPPLEMENT_REQUESTED).count(),
                    ),
                ],
                order=10,
            )
        )
    if roles & {Role.SPECIALIST, Role.CLERK}:
        mine = selectors.my_tasks(user)
        soon = timezone.now() + DUE_SOON
        out.append(
            Section(
                _("Việc được giao"),
                [
                    Tile(_("Hồ sơ tôi đang xử lý"), "/staff/dossiers/#my-tasks", mine.count()),
                    Tile(
                        _("Sắp đến hạn (2 ngày)"),
                        "/staff/dossiers/#my-tasks",
                        mine.filter(due_at__lte=soon).count(),
                        urgent=True,
                    ),
                    Tile(
                        _("Chờ nhận trong đơn vị"),
                        "/staff/dossiers/#unit-queue",
                        selectors.unit_queue(user).filter(status=TaskStatus.OPEN).count(),
                    ),
                ],
                order=20,
            )
        )
    leading = [r for r in user._active_roles() if r.role == Role.UNIT_LEADER]
    if leading:
        awaiting = Task.objects.filter(
            status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
            role=Role.UNIT_LEADER,
            unit_id__in=[r.unit_id for r in leading],
        )
        out.append(
            Section(
                _("Chờ lãnh đạo quyết định"),
                [
                    Tile(
                        _("Hồ sơ chờ ký duyệt"), "/staff/dossiers/#unit-queue", awaiting.count(), urgent=True
                    ),
                    Tile(
                        _("Hồ sơ quá hạn của đơn vị"),
                        "/staff/dossiers/?status=overdue",
                        dossiers.filter(overdue=True).count(),
                        urgent=True,
                    ),
                ],
                order=15,
            )
        )
        if any(r.unit.kind == UnitKind.PROVINCE for r in leading):
            out.append(
                Section(
                    _("Tổng quan thành phố"),
                    [
                        Tile(_("Hồ sơ toàn thành phố"), "/staff/dossiers/", dossiers.count()),
                        Tile(
                            _("Phản ánh, kiến nghị"),
                            "/staff/feedback/",
                            note=_("Theo dõi, đúng hạn, hài lòng"),
                        ),
                        Tile(_("Đánh giá sự hài lòng"), "/staff/surveys/", note=_("Theo đơn vị, cán bộ")),
                        Tile(
                            _("Cải cách thủ tục"),
                            "/staff/catalog/tai-cau-truc/",
                            note=_("Tái cấu trúc quy trình"),
                        ),
                    ],
                    order=5,
                )
            )
    if roles & {Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK}:
        tiles = [
            Tile(_("Tất cả hồ sơ"), "/staff/dossiers/"),
            Tile(_("Sổ theo dõi hồ sơ (mẫu 07)"), "/staff/dossiers/log-book/"),
            Tile(_("Thủ tục hành chính"), "/staff/catalog/"),
        ]
        if roles & {Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER}:  # the civil-status roles
            tiles.insert(
                2, Tile(_("Hộ tịch"), "/staff/civil/", note=_("Khai sinh, kết hôn, khai tử, trích lục"))
            )
        out.append(Section(_("Tra cứu và sổ sách"), tiles, order=60))
    return out
