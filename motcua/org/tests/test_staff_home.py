"""The staff home shows each role its own work; the hotline operator sees no dossier personal data."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.org.models import Role

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    browser = Client()
    browser.force_login(user)
    response = browser.get("/staff/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "where", "expected", "absent"),
    [
        (
            Role.DESK_OFFICER,
            "ward_a",
            ["Hồ sơ tiếp nhận hôm nay", "Hồ sơ trực tuyến chờ tiếp nhận"],
            ["Chờ lãnh đạo quyết định"],
        ),
        (Role.SPECIALIST, "ward_a", ["Hồ sơ tôi đang xử lý", "Sắp đến hạn"], ["Tiếp nhận hồ sơ mới"]),
        (
            Role.UNIT_LEADER,
            "ward_a",
            ["Chờ lãnh đạo quyết định", "Hồ sơ chờ ký duyệt"],
            ["Tổng quan thành phố"],
        ),
        (Role.UNIT_LEADER, "province", ["Tổng quan thành phố"], []),
        (
            Role.HOTLINE_OPERATOR,
            "province",
            ["Nhận cuộc gọi 1022", "Chờ phân loại, chuyển xử lý"],
            ["Hồ sơ", "Sổ theo dõi"],
        ),
        (Role.AUDITOR, "province", ["Công cụ kiểm tra", "Nhật ký kiểm toán"], ["Tiếp nhận hồ sơ mới"]),
    ],
)
def test_each_role_sees_its_own_work(request, make_staff, role, where, expected, absent):
    page = _home(make_staff(role, request.getfixturevalue(where)))
    for text in expected:
        assert text in page, text
    main = page.split('id="main"')[1]
    for text in absent:
        assert f">{text}" not in main and f"> {text}" not in main, text
