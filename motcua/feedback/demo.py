"""Demo data: categories with routing rules, an Open311 key, ~200 reports across wards and states.

Idempotent: the second run finds the demo reports and the key and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone

from motcua.feedback import services
from motcua.feedback.models import Category, Report, ReportStatus, RoutingRule
from motcua.org.models import User
from motcua.org.selectors import current_communes, unit_by_code

DEMO_REPORTS = 200
SEED = 1022

LIGHT_ATTRS = [
    {
        "code": "tinh_trang",
        "datatype": "singlevaluelist",
        "required": True,
        "order": 1,
        "description": "Tình trạng đèn",
        "values": [
            {"key": "tat", "name": "Đèn tắt"},
            {"key": "chap_chon", "name": "Đèn chập chờn"},
            {"key": "sang_ban_ngay", "name": "Đèn sáng ban ngày"},
        ],
    },
    {
        "code": "so_tru",
        "datatype": "string",
        "required": False,
        "order": 2,
        "description": "Số hiệu trụ đèn",
        "datatype_description": "Số ghi trên trụ, ví dụ Q1-123",
    },
]
FLOOD_ATTRS = [
    {
        "code": "do_sau_cm",
        "datatype": "number",
        "required": False,
        "order": 1,
        "description": "Độ sâu ngập (cm)",
    },
    {
        "code": "bat_dau",
        "datatype": "datetime",
        "required": False,
        "order": 2,
        "description": "Bắt đầu ngập lúc",
    },
    {
        "code": "anh_huong",
        "datatype": "multivaluelist",
        "required": False,
        "order": 3,
        "description": "Ảnh hưởng",
        "values": [
            {"key": "giao_thong", "name": "Giao thông"},
            {"key": "nha_dan", "name": "Nhà dân"},
            {"key": "truong_hoc", "name": "Trường học"},
        ],
    },
]
TREE_ATTRS = [
    {
        "code": "loai",
        "datatype": "singlevaluelist",
        "required": True,
        "order": 1,
        "description": "Vấn đề",
        "values": [
            {"key": "nga_do", "name": "Cây ngã đổ"},
            {"key": "nguy_hiem", "name": "Cây có nguy cơ gãy"},
            {"key": "can_tia", "name": "Cần cắt tỉa"},
        ],
    },
    {"code": "mo_ta_them", "datatype": "text", "required": False, "order": 2, "description": "Mô tả thêm"},
]

# code, name, group, keywords, route_to_ward, default agency code, multi_agency, attributes
CATEGORIES = [
    (
        "rac-thai",
        "Rác thải, vệ sinh môi trường",
        "Môi trường",
        "rác, xả rác, bãi rác, vệ sinh, hôi thối, rác thải",
        True,
        None,
        False,
        [],
    ),
    (
        "chieu-sang",
        "Chiếu sáng công cộng",
        "Hạ tầng đô thị",
        "đèn đường, đèn, chiếu sáng, tối om",
        True,
        None,
        False,
        LIGHT_ATTRS,
    ),
    (
        "ngap-nuoc",
        "Ngập nước, thoát nước",
        "Hạ tầng đô thị",
        "ngập, ngập nước, cống, thoát nước, nắp cống",
        True,
        None,
        True,
        FLOOD_ATTRS,
    ),
    (
        "lan-chiem-via-he",
        "Lấn chiếm vỉa hè, lòng đường",
        "Trật tự đô thị",
        "vỉa hè, lấn chiếm, lòng đường, buôn bán, đậu xe",
        True,
        None,
        False,
        [],
    ),
    (
        "trat-tu-xay-dung",
        "Trật tự xây dựng",
        "Trật tự đô thị",
        "xây dựng, xây dựng trái phép, công trình, giấy phép",
        True,
        None,
        True,
        [],
    ),
    ("tieng-on", "Tiếng ồn", "Môi trường", "tiếng ồn, ồn ào, karaoke, loa, hát", True, None, False, []),
    (
        "an-ninh-trat-tu",
        "An ninh trật tự",
        "An ninh",
        "trộm, cướp, đánh nhau, tụ tập, an ninh, ma túy",
        False,
        "79-CA",
        False,
        [],
    ),
    (
        "cay-xanh",
        "Cây xanh",
        "Hạ tầng đô thị",
        "cây, cây xanh, cành cây, cây đổ",
        True,
        None,
        False,
        TREE_ATTRS,
    ),
    (
        "giao-thong",
        "Hạ tầng giao thông",
        "Hạ tầng đô thị",
        "ổ gà, mặt đường, đường hư, đèn giao thông",
        True,
        None,
        True,
        [],
    ),
    (
        "thai-do-can-bo",
        "Thái độ, hành vi cán bộ",
        "Hành chính",
        "thái độ, cán bộ, nhũng nhiễu, gây khó khăn",
        True,
        None,
        False,
        [],
    ),
    (
        "thu-tuc-hanh-chinh",
        "Thủ tục hành chính",
        "Hành chính",
        "hồ sơ, thủ tục, trễ hẹn, giấy tờ",
        True,
        None,
        False,
        [],
    ),
    (
        "chung-thuc",
        "Chứng thực, hộ tịch liên thông",
        "Hành chính",
        "chứng thực, công chứng, hộ tịch, khai sinh",
        False,
        "79-STP",
        False,
        [],
    ),
    (
        "bao-hiem",
        "Bảo hiểm xã hội, y tế",
        "Xã hội",
        "bảo hiểm, bhxh, bhyt, thẻ bảo hiểm",
        False,
        "79-BHXH",
        False,
        [],
    ),
]

TEXTS = {
    "rac-thai": ["Rác thải tồn đọng nhiều ngày gây hôi thối", "Có người xả rác ra kênh vào ban đêm"],
    "chieu-sang": ["Đèn đường tắt cả tuần, đi đêm rất nguy hiểm", "Đèn đường chập chờn suốt đêm"],
    "ngap-nuoc": ["Mưa lớn là ngập nước sâu, nắp cống bị nghẹt", "Cống thoát nước bị vỡ gây ngập"],
    "lan-chiem-via-he": [
        "Quán ăn lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường",
        "Đậu xe trên vỉa hè kín lối đi",
    ],
    "trat-tu-xay-dung": [
        "Công trình xây dựng không che chắn, bụi và vật liệu rơi",
        "Nhà bên cạnh xây dựng lấn ranh",
    ],
    "tieng-on": ["Karaoke hát đến khuya, tiếng ồn lớn", "Xưởng gây tiếng ồn cả ban đêm"],
    "an-ninh-trat-tu": ["Nhóm thanh niên tụ tập đua xe ban đêm", "Có trộm xe máy nhiều lần trong hẻm"],
    "cay-xanh": ["Cây xanh nghiêng có nguy cơ ngã đổ", "Cành cây gãy treo lơ lửng trên đường"],
    "giao-thong": ["Mặt đường có ổ gà lớn gây nguy hiểm", "Đèn giao thông tại ngã tư bị hỏng"],
    "thai-do-can-bo": ["Cán bộ tiếp nhận có thái độ không đúng mực", "Cán bộ hẹn nhiều lần gây khó khăn"],
    "thu-tuc-hanh-chinh": [
        "Hồ sơ nộp đã quá hẹn chưa có kết quả",
        "Thủ tục yêu cầu thêm giấy tờ không cần thiết",
    ],
    "chung-thuc": ["Chứng thực bản sao mất nhiều thời gian chờ", "Hồ sơ hộ tịch liên thông bị trễ hẹn"],
    "bao-hiem": ["Chưa nhận được thẻ bảo hiểm y tế đã đăng ký", "Bảo hiểm xã hội một lần giải quyết chậm"],
}
STREETS = [
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Lê Lợi",
    "Hai Bà Trưng",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
    "Võ Văn Tần",
    "Phan Đình Phùng",
    "Lý Thường Kiệt",
    "Nguyễn Văn Cừ",
]
NAMES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Mai",
    "Lê Văn Tâm",
    "Phạm Thị Hoa",
    "Hoàng Minh Tuấn",
    "Võ Thị Hạnh",
    "Đặng Quốc Bảo",
    "Bùi Thị Ngọc",
]
ANSWERS = [
    "Đơn vị đã kiểm tra thực tế và xử lý dứt điểm vào ngày {d}. Cảm ơn ông/bà {name} (SĐT {phone}) đã phản ánh.",
    "Đã phối hợp đơn vị chức năng khắc phục; sẽ tiếp tục kiểm tra định kỳ. Liên hệ {phone} nếu tái diễn.",
]


def _user(username):
    return User.objects.filter(username=username).first()


def seed_categories() -> None:
    """The category set with its routing rules (also used by the benchmark)."""
    for order, (code, name, group, keywords, to_ward, agency, multi, attrs) in enumerate(CATEGORIES, start=1):
        category, created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "keywords": keywords,
                "route_to_ward": to_ward,
                "multi_agency": multi,
                "attributes": attrs,
                "order": order,
                "description": f"Phản ánh về {name.lower()}",
                "default_unit": unit_by_code(agency) if agency else None,
            },
        )
        if created and agency:
            RoutingRule.objects.create(
                category=category, target=unit_by_code(agency), priority=10, note=f"{name} → {agency}"
            )
    # night-time noise in the two demo wards goes to the city police as well (an example of a ward-level rule)
    noise = Category.objects.get(code="tieng-on")
    for ward_code in ("26740",):
        ward = unit_by_code(ward_code)
        if ward and not RoutingRule.objects.filter(category=noise, ward=ward).exists():
            RoutingRule.objects.create(
                category=noise,
                ward=ward,
                target=unit_by_code("79-CA"),
                priority=20,
                note="Tiếng ồn ở phường Sài Gòn: Công an Thành phố",
            )


def seed(stdout=None) -> None:
    say = stdout.write if stdout else (lambda s: None)
    key, _raw = services.create_api_key("Ứng dụng Open311 demo", settings.OPEN311_DEMO_API_KEY)
    seed_categories()
    done = Report.objects.filter(external_id__startswith="demo-").count()
    if done >= DEMO_REPORTS:
        say(f"feedback: {done} demo reports already there, key {key.prefix}…\n")
        return
    _reports(current_communes, done)
    services.escalate_due()
    say(
        f"feedback: {Report.objects.filter(external_id__startswith='demo-').count()} demo reports, "
        f"{Category.objects.count()} categories, Open311 key {key.prefix}…\n"
    )


# Long on purpose: one seeded draw order per report; splitting it would change the demo data that a resumed
# run must reproduce.
def _reports(current_communes, start: int) -> None:
    rng = random.Random(SEED)
    wards = list(current_communes().exclude(latitude__isnull=True).order_by("code"))
    favourites = [w for w in wards if w.code in ("26758", "26740")]
    operator, city_leader = _user("tongdai"), _user("lanhdao.tp")
    if city_leader is None:
        return
    categories = list(Category.objects.order_by("order"))
    now = timezone.now()
    channels = ["hotline"] * 5 + ["web"] * 3 + ["kiosk", "email", "chat", "open311"]
    previous: list[Report] = []
    for i in range(DEMO_REPORTS):
        # draw every random value even for reports already made, so a resumed run gives the same data
        ward = rng.choice(favourites) if rng.random() < 0.4 else rng.choice(wards)
        category = rng.choice(categories)
        text = rng.choice(TEXTS[category.code])
        name, phone = rng.choice(NAMES), f"09{rng.randrange(10**7, 10**8)}"
        days_ago = rng.randrange(0, 60)
        fate = rng.random()
        channel = rng.choice(channels)
        number, street = rng.randrange(1, 300), rng.choice(STREETS)
        jitter = (rng.uniform(-0.004, 0.004), rng.uniform(-0.004, 0.004))
        if i < start:
            continue
        ward_text = "phường Cầu Kho, Quận 1" if ward.code == "26758" and i % 3 == 0 else ward.name
        received = now - dt.timedelta(days=days_ago, hours=rng.randrange(0, 8))
        attrs = {}
        for a in category.attributes:
            if a.get("required"):
                attrs[a["code"]] = a["values"][0]["key"]
        try:
            report = services.submit_report(
                channel=channel,
                description=f"{text} tại số {number} {street}.",
                category_code=None if fate > 0.95 else category.code,
                address=f"Số {number} {street}, {ward_text}",
                latitude=ward.latitude + jitter[0],
                longitude=ward.longitude + jitter[1],
                contact_name=name,
                phone=phone,
                actor=operator if channel == "hotline" else channel,
                now=received,
                external_id=f"demo-{i}",
                attributes=attrs,
            )
        except Exception:  # noqa: BLE001 - a demo row that does not fit is skipped, not fatal
            continue
        handler = city_leader
        step = min(
            received + dt.timedelta(days=min(days_ago, rng.randrange(1, 12))), now - dt.timedelta(days=1)
        )
        step = max(step, received + dt.timedelta(minutes=30))
        if fate > 0.95:
            continue  # stays with the city for triage
        if fate < 0.05 and previous:
            services.merge(report, into=previous[-1], actor=handler, now=step)
            continue
        if fate < 0.09:
            services.classify(
                report,
                actor=handler,
                classification="not_accepted",
                reason="Nội dung đã được giải quyết theo quy định, không có tình tiết mới.",
                now=step,
            )
            continue
        previous.append(report)
        if category.code == "thai-do-can-bo":
            services.classify(report, actor=handler, classification="officer_conduct", now=step)
        if fate < 0.30 or days_ago < 3:
            continue  # open, being handled (some of them overdue)
        answer = services.draft_answer(
            report,
            actor=handler,
            body=rng.choice(ANSWERS).format(d=f"{timezone.localtime(step):%d/%m/%Y}", name=name, phone=phone),
            now=step,
        )
        if fate < 0.38:
            continue  # waiting for the leader
        services.approve_answer(answer, actor=handler, now=step + dt.timedelta(hours=2))
        report.refresh_from_db()
        if fate < 0.48 and step + dt.timedelta(days=4) < now:
            services.reopen(
                report,
                token=report.rating_token,
                reason="Sự việc vẫn tiếp diễn, chưa được giải quyết.",
                now=step + dt.timedelta(days=1),
            )
            if fate < 0.43:
                second = services.draft_answer(
                    report,
                    actor=handler,
                    now=step + dt.timedelta(days=3),
                    body="Đã xử lý lại và lập biên bản, giao tổ dân phố giám sát.",
                )
                services.approve_answer(second, actor=handler, now=step + dt.timedelta(days=3, hours=1))
                report.refresh_from_db()
                services.rate(
                    report,
                    token=report.rating_token,
                    score=rng.choice([3, 4, 5]),
                    now=step + dt.timedelta(days=4),
                )
            continue
        if rng.random() < 0.7 and report.status == ReportStatus.ANSWERED:
            services.rate(
                report,
                token=report.rating_token,
                score=rng.choice([2, 4, 4, 5, 5, 5]),
                comment="",
                now=min(step + dt.timedelta(days=1), now),
            )
