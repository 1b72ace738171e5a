"""Demo units (Ho Chi Minh City, 168 commune-level units plus agencies) and demo staff."""

from typing import TextIO

from django.conf import settings

from motcua.org import clients
from motcua.org.loader import load_province
from motcua.org.models import Role, StaffRole, Unit, User, UserKind

PASSWORD = "motcua-demo"
PROVINCE = "79"
WARD_A = "26758"  # Phường Cầu Ông Lãnh (absorbed the old phường Cầu Kho)
WARD_B = "26740"  # Phường Sài Gòn

# username, full name, unit code (None = province), role
STAFF = [
    ("quantri", "Quản trị Thành phố", None, Role.PROVINCE_ADMIN),
    ("kiemtoan", "Thanh tra Lê Minh", None, Role.AUDITOR),
    ("tongdai", "Tổng đài viên 1022 Ngô Thị Hoa", None, Role.HOTLINE_OPERATOR),
    ("lanhdao.tp", "Lãnh đạo Thành phố Phan Văn Quang", None, Role.UNIT_LEADER),
    ("tiepnhan.col", "Nguyễn Thị Lan", WARD_A, Role.DESK_OFFICER),
    ("chuyenvien.col", "Trần Văn Minh", WARD_A, Role.SPECIALIST),
    ("lanhdao.col", "Lê Thị Hồng", WARD_A, Role.UNIT_LEADER),
    ("vanthu.col", "Phạm Văn Nam", WARD_A, Role.CLERK),
    ("quantri.col", "Hoàng Văn Bình", WARD_A, Role.UNIT_ADMIN),
    ("tiepnhan.sg", "Võ Thị Mai", WARD_B, Role.DESK_OFFICER),
    ("chuyenvien.sg", "Đặng Văn Tùng", WARD_B, Role.SPECIALIST),
    ("lanhdao.sg", "Bùi Thị Thu", WARD_B, Role.UNIT_LEADER),
    ("chuyenvien.stp", "Đỗ Văn Khoa", "79-STP", Role.SPECIALIST),
]

LOGINS = [
    ("admin", "superuser: /admin/"),
    ("quantri", "province administrator, Thành phố Hồ Chí Minh"),
    ("kiemtoan", "auditor (read-only, everything)"),
    ("tongdai", "1022 hotline operator"),
    ("tiepnhan.col", "desk officer, Phường Cầu Ông Lãnh"),
    ("chuyenvien.col", "specialist, Phường Cầu Ông Lãnh"),
    ("lanhdao.col", "leader, Phường Cầu Ông Lãnh"),
    ("vanthu.col", "clerk, Phường Cầu Ông Lãnh"),
    ("tiepnhan.sg", "desk officer, Phường Sài Gòn"),
    ("chuyenvien.sg", "specialist, Phường Sài Gòn"),
    ("lanhdao.sg", "leader, Phường Sài Gòn"),
    ("congdan", "citizen Nguyễn Văn An (portal)"),
    (
        settings.DEMO_INTEGRATOR_CLIENT_ID,
        f"API client, not a login: POST /o/token/ grant_type=client_credentials, secret "
        f"{settings.DEMO_INTEGRATOR_CLIENT_SECRET}; every working role of Phường Cầu Ông Lãnh",
    ),
]


def seed(stdout: TextIO | None = None) -> None:
    if (
        not Unit.objects.filter(code=PROVINCE, valid_to__isnull=True).exists()
        or not Unit.objects.filter(code=f"{PROVINCE}-STP").exists()
    ):
        load_province(PROVINCE, with_legacy=True, with_agencies=True)
    province = Unit.objects.get(code=PROVINCE, valid_to__isnull=True)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@motcua.local", PASSWORD, full_name="Quản trị hệ thống")
    for username, full_name, unit_code, role in STAFF:
        unit = province if unit_code is None else Unit.objects.get(code=unit_code, valid_to__isnull=True)
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "kind": UserKind.STAFF}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        StaffRole.objects.get_or_create(user=user, unit=unit, role=role)
    citizen, created = User.objects.get_or_create(
        username="congdan",
        defaults={
            "full_name": "Nguyễn Văn An",
            "kind": UserKind.CITIZEN,
            "phone": "0901234567",
            "personal_id": "079090001234",
            "email": "an.nguyen@example.vn",
        },
    )
    if created:
        citizen.set_password(PASSWORD)
        citizen.save()
    ward = Unit.objects.get(code=WARD_A, valid_to__isnull=True)
    clients.register_client(
        client_id=settings.DEMO_INTEGRATOR_CLIENT_ID,
        secret=settings.DEMO_INTEGRATOR_CLIENT_SECRET,
        name="Hệ thống tích hợp mẫu (demo)",
        roles=[(ward, role) for role in clients.CLIENT_ROLES],
    )
