import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.feedback.models import Category, RoutingRule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=9, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


@pytest.fixture
def categories(province, agency_justice):
    rac = Category.objects.create(
        code="rac-thai",
        name="Rác thải, vệ sinh môi trường",
        group="Môi trường",
        keywords="rác, xả rác, bãi rác, vệ sinh",
        order=1,
    )
    den = Category.objects.create(
        code="chieu-sang",
        name="Chiếu sáng công cộng",
        group="Hạ tầng",
        keywords="đèn đường, đèn, chiếu sáng",
        order=2,
        attributes=[
            {
                "code": "pole",
                "datatype": "string",
                "required": False,
                "description": "Số hiệu trụ đèn",
                "order": 1,
            },
            {
                "code": "kind",
                "datatype": "singlevaluelist",
                "required": True,
                "description": "Tình trạng",
                "order": 2,
                "values": [{"key": "off", "name": "Đèn tắt"}, {"key": "blink", "name": "Đèn chập chờn"}],
            },
        ],
    )
    tthc = Category.objects.create(
        code="thu-tuc-hanh-chinh",
        name="Thủ tục hành chính",
        group="Hành chính",
        keywords="hồ sơ, thủ tục, công chứng, chứng thực",
        order=3,
        route_to_ward=False,
        default_unit=agency_justice,
        multi_agency=True,
    )
    RoutingRule.objects.create(category=tthc, target=agency_justice, priority=10)
    return {"rac": rac, "den": den, "tthc": tthc}
