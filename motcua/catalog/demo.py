"""Demo catalog: the 83 real procedures, plus demo-marked internal processes, declaration forms,
publishing decisions and yearly volumes so the pages and the re-engineering report show something.

Idempotent: the second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from motcua.catalog import services
from motcua.catalog.models import (
    Decision,
    DecisionEffectKind,
    FormField,
    InternalProcess,
    OnlineLevel,
    Procedure,
    StepUnitKind,
)
from motcua.catalog.selectors import legal_time_hours
from motcua.org.models import Role, Unit

ACTOR = "system:demo"
PROVINCE = "79"

# Procedures citizens can do end-to-end online in 2026 (filed, processed and returned online or by
# post); other procedures the portal lists for online filing stay "partial" (documents shown at the desk).
FULL_ONLINE = [
    "1.001193",  # đăng ký khai sinh
    "1.000656",  # đăng ký khai tử
    "1.004873",  # xác nhận tình trạng hôn nhân
    "2.000635",  # bản sao trích lục hộ tịch
    "2.002516",  # xác nhận thông tin hộ tịch
    "2.000908",  # cấp bản sao từ sổ gốc
    "1.004194",  # đăng ký tạm trú
    "1.002755",  # gia hạn tạm trú
    "1.003677",  # khai báo tạm vắng
    "2.001159",  # thông báo lưu trú
    "1.010041",  # xác nhận thông tin về cư trú
    "1.010028",  # xóa đăng ký tạm trú
    "1.004222",  # đăng ký thường trú
    "1.001612",  # đăng ký thành lập hộ kinh doanh
    "2.000720",  # thay đổi nội dung đăng ký hộ kinh doanh
    "1.001570",  # tạm ngừng kinh doanh
    "1.001266",  # chấm dứt hoạt động hộ kinh doanh
    "2.000986",  # liên thông khai sinh, thường trú, BHYT
    "2.001023",  # liên thông khai sinh, BHYT
]
# Legal times reviewed against the law (the portal crawl lost the unit): "same day", after 15:00 the
# next working day. Luật Hộ tịch 2014 Arts 16, 18, 34, 63-64; NĐ 23/2015 Art 7 (chứng thực).
REVIEWED = {
    "1.001193": "Luật Hộ tịch 2014 Điều 16: giải quyết ngay trong ngày; sau 15 giờ trả trong ngày làm việc tiếp theo.",
    "1.000656": "Luật Hộ tịch 2014 Điều 34: giải quyết ngay trong ngày; sau 15 giờ trả trong ngày làm việc tiếp theo.",
    "1.000894": "Luật Hộ tịch 2014 Điều 18: giải quyết ngay; cần xác minh thì không quá 05 ngày làm việc.",
    "2.000635": "Luật Hộ tịch 2014 Điều 64: cấp ngay bản sao trích lục; sau 15 giờ trả trong ngày làm việc tiếp theo.",
    "2.000815": "NĐ 23/2015/NĐ-CP Điều 7: trong ngày; sau 15 giờ trả trong ngày làm việc tiếp theo.",
    "2.000884": "NĐ 23/2015/NĐ-CP Điều 7: trong ngày; sau 15 giờ trả trong ngày làm việc tiếp theo.",
}
LINKED = {"2.000986": ["79-CA", "79-BHXH"], "2.001023": ["79-BHXH"], "1.010915": ["79-BHXH"]}


def _f(
    order,
    key,
    label,
    field_type="text",
    *,
    required=True,
    choices=None,
    help_text="",
    registry="",
    subject="applicant",
    max_length=None,
):
    return [order, key, label, field_type, required, choices or [], help_text, registry, subject, max_length]


APPLICANT = [
    _f(1, "applicant_name", "Họ, chữ đệm, tên người yêu cầu", "person", registry="full_name", max_length=100),
    _f(2, "applicant_id", "Số định danh cá nhân người yêu cầu", "personal_id", registry="personal_id"),
    _f(3, "applicant_address", "Nơi cư trú", "address", registry="permanent_address"),
    _f(
        4, "applicant_phone", "Số điện thoại liên hệ", "text", registry="phone", required=False, max_length=20
    ),
]
FORMS: dict[str, list[list]] = {
    "1.001193": [
        *APPLICANT,
        _f(
            5,
            "relation",
            "Quan hệ với người được khai sinh",
            "choice",
            choices=["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác"],
        ),
        _f(6, "child_name", "Họ, chữ đệm, tên người được khai sinh", "person", max_length=100),
        _f(7, "child_dob", "Ngày, tháng, năm sinh", "date", help_text="Theo Giấy chứng sinh"),
        _f(8, "child_sex", "Giới tính", "choice", choices=["Nam", "Nữ"]),
        _f(9, "child_ethnicity", "Dân tộc", "text", max_length=40, registry="ethnicity", subject="mother"),
        _f(
            10,
            "child_nationality",
            "Quốc tịch",
            "text",
            max_length=40,
            registry="nationality",
            subject="mother",
        ),
        _f(11, "child_birthplace", "Nơi sinh", "address", help_text="Tên cơ sở y tế hoặc địa chỉ nơi sinh"),
        _f(12, "child_hometown", "Quê quán", "text", required=False, registry="home_town", subject="father"),
        _f(
            13,
            "father_name",
            "Họ, chữ đệm, tên người cha",
            "person",
            required=False,
            registry="full_name",
            subject="father",
        ),
        _f(
            14,
            "father_id",
            "Số định danh cá nhân của cha",
            "personal_id",
            required=False,
            registry="personal_id",
            subject="father",
        ),
        _f(15, "mother_name", "Họ, chữ đệm, tên người mẹ", "person", registry="full_name", subject="mother"),
        _f(
            16,
            "mother_id",
            "Số định danh cá nhân của mẹ",
            "personal_id",
            registry="personal_id",
            subject="mother",
        ),
        _f(
            17,
            "birth_certificate",
            "Giấy chứng sinh (bản chụp)",
            "attachment",
            help_text="PDF hoặc ảnh, tối đa 10 MB",
        ),
    ],
    "1.000894": [
        _f(
            1, "husband_name", "Họ, chữ đệm, tên bên nam", "person", registry="full_name", subject="applicant"
        ),
        _f(2, "husband_id", "Số định danh cá nhân bên nam", "personal_id", registry="personal_id"),
        _f(3, "husband_dob", "Ngày sinh bên nam", "date", registry="date_of_birth"),
        _f(4, "husband_address", "Nơi cư trú bên nam", "address", registry="permanent_address"),
        _f(5, "wife_name", "Họ, chữ đệm, tên bên nữ", "person", registry="full_name", subject="spouse"),
        _f(
            6,
            "wife_id",
            "Số định danh cá nhân bên nữ",
            "personal_id",
            registry="personal_id",
            subject="spouse",
        ),
        _f(7, "wife_dob", "Ngày sinh bên nữ", "date", registry="date_of_birth", subject="spouse"),
        _f(8, "wife_address", "Nơi cư trú bên nữ", "address", registry="permanent_address", subject="spouse"),
        _f(9, "first_marriage", "Kết hôn lần thứ mấy", "number", help_text="1 nếu là lần đầu"),
    ],
    "1.000656": [
        *APPLICANT,
        _f(
            5,
            "deceased_name",
            "Họ, chữ đệm, tên người chết",
            "person",
            registry="full_name",
            subject="subject",
        ),
        _f(
            6,
            "deceased_id",
            "Số định danh cá nhân người chết",
            "personal_id",
            registry="personal_id",
            subject="subject",
        ),
        _f(7, "death_date", "Ngày chết", "date"),
        _f(8, "death_place", "Nơi chết", "address"),
        _f(9, "death_cause", "Nguyên nhân chết", "text", required=False, max_length=200),
        _f(10, "death_notice", "Giấy báo tử (bản chụp)", "attachment"),
    ],
    "1.004873": [
        *APPLICANT,
        _f(5, "applicant_dob", "Ngày sinh", "date", registry="date_of_birth"),
        _f(
            6,
            "marital_status",
            "Tình trạng hôn nhân hiện tại",
            "choice",
            choices=["Chưa kết hôn", "Đã ly hôn", "Vợ/chồng đã chết", "Đang có vợ/chồng"],
            registry="marital_status",
        ),
        _f(7, "purpose", "Mục đích sử dụng", "text", help_text="Ví dụ: để đăng ký kết hôn", max_length=200),
    ],
}
GENERIC_FORM = [
    *APPLICANT,
    _f(5, "request", "Nội dung yêu cầu", "text", max_length=1000),
    _f(6, "attachments", "Giấy tờ kèm theo (bản chụp)", "attachment", required=False),
]

DECISIONS = [
    # number, date, issuer, title, effect, codes
    (
        "1523/QĐ-UBND (minh họa)",
        dt.date(2025, 8, 12),
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Công bố danh mục thủ tục hành chính chuẩn hóa lĩnh vực Hộ tịch thực hiện tại cấp xã (dữ liệu minh họa)",
        DecisionEffectKind.STANDARDISED,
        ["1.001193", "1.000894", "1.000656", "1.004873", "1.004884", "1.004746", "1.005461", "2.000635"],
    ),
    (
        "2087/QĐ-UBND (minh họa)",
        dt.date(2026, 3, 20),
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Phê duyệt quy trình nội bộ được tái cấu trúc trong giải quyết thủ tục hành chính lĩnh vực Hộ tịch "
        "(dữ liệu minh họa)",
        DecisionEffectKind.AMENDED,
        ["1.001193", "1.000894", "1.004873"],
    ),
]
REENGINEERED = {  # code -> (steps, hours) of version 2 (version 1 is the generic 5-step process)
    "1.001193": [
        (
            "Tiếp nhận, kiểm tra hồ sơ, đối chiếu dữ liệu dân cư",
            Role.DESK_OFFICER,
            StepUnitKind.RECEIVING,
            "0.5",
        ),
        ("Thẩm định, ghi Sổ hộ tịch, in Giấy khai sinh", Role.SPECIALIST, StepUnitKind.COMPETENT, "3"),
        ("Ký Giấy khai sinh (chữ ký số)", Role.UNIT_LEADER, StepUnitKind.COMPETENT, "1"),
        ("Trả kết quả", Role.DESK_OFFICER, StepUnitKind.RECEIVING, "0.5"),
    ],
    "1.000894": [
        (
            "Tiếp nhận, kiểm tra hồ sơ, đối chiếu dữ liệu dân cư",
            Role.DESK_OFFICER,
            StepUnitKind.RECEIVING,
            "0.5",
        ),
        ("Kiểm tra điều kiện kết hôn, dự thảo Giấy chứng nhận", Role.SPECIALIST, StepUnitKind.COMPETENT, "3"),
        ("Ký Giấy chứng nhận kết hôn", Role.UNIT_LEADER, StepUnitKind.COMPETENT, "1"),
        ("Trao Giấy chứng nhận kết hôn", Role.DESK_OFFICER, StepUnitKind.RECEIVING, "1"),
    ],
    "1.004873": [
        ("Tiếp nhận, kiểm tra hồ sơ", Role.DESK_OFFICER, StepUnitKind.RECEIVING, "1"),
        (
            "Tra cứu Cơ sở dữ liệu hộ tịch điện tử, dự thảo Giấy xác nhận",
            Role.SPECIALIST,
            StepUnitKind.COMPETENT,
            "12",
        ),
        ("Ký Giấy xác nhận", Role.UNIT_LEADER, StepUnitKind.COMPETENT, "2"),
        ("Trả kết quả", Role.DESK_OFFICER, StepUnitKind.RECEIVING, "1"),
    ],
}
VOLUMES_2025 = {"1.001193": 1840, "1.000894": 620, "1.004873": 910, "1.000656": 410, "2.000635": 2300}


def _generic_steps(procedure: Procedure) -> list[dict]:
    limit = legal_time_hours(procedure) or Decimal(8)
    limit = min(limit, Decimal(160))
    shares = [
        (
            "Tiếp nhận, kiểm tra hồ sơ, cấp giấy tiếp nhận và hẹn trả kết quả",
            Role.DESK_OFFICER,
            StepUnitKind.RECEIVING,
            Decimal("0.1"),
        ),
        ("Thẩm định hồ sơ, dự thảo kết quả", Role.SPECIALIST, StepUnitKind.COMPETENT, Decimal("0.5")),
        ("Xem xét, ký duyệt kết quả", Role.UNIT_LEADER, StepUnitKind.COMPETENT, Decimal("0.15")),
        ("Vào sổ, đóng dấu, phát hành kết quả", Role.CLERK, StepUnitKind.COMPETENT, Decimal("0.1")),
        ("Trả kết quả cho người yêu cầu", Role.DESK_OFFICER, StepUnitKind.RECEIVING, Decimal("0.1")),
    ]
    steps = [
        {
            "name": n,
            "role": r,
            "unit_kind": k,
            "hours": (limit * s).quantize(Decimal("0.01")),
        }
        for n, r, k, s in shares
    ]
    agencies = [
        Unit.objects.filter(code=c, valid_to__isnull=True).first() for c in LINKED.get(procedure.code, [])
    ]
    agencies = [a for a in agencies if a]
    if agencies:
        share = steps[1]["hours"] / (len(agencies) + 1)
        steps[1]["hours"] = share.quantize(Decimal("0.01"))
        for position, agency in enumerate(agencies):
            steps.insert(
                2 + position,
                {
                    "name": f"Giải quyết phần việc của {agency.name} (liên thông)",
                    "role": Role.SPECIALIST,
                    "unit_kind": StepUnitKind.AGENCY,
                    "agency": agency,
                    "hours": steps[1]["hours"],
                },
            )
    return steps


def seed(stdout=None) -> None:
    counts = services.import_file()
    with transaction.atomic():
        for code in FULL_ONLINE:
            if Procedure.objects.filter(code=code).exclude(online_level=OnlineLevel.FULL).exists():
                services.update_procedure(
                    Procedure.objects.get(code=code), actor=ACTOR, online_level=OnlineLevel.FULL
                )
        for code, note in REVIEWED.items():
            procedure = Procedure.objects.filter(code=code, needs_review=True).first()
            if procedure:
                channels = [t.channel for t in procedure.times.all()] or ["counter"]
                services.update_procedure(
                    procedure,
                    actor=ACTOR,
                    needs_review=False,
                    review_note=f"Đã rà soát (minh họa): {note}",
                    time_value="0.00",
                    time_unit="same_day",
                    times=[[c, "0.00", "same_day", note] for c in sorted(channels)],
                )
        for procedure in Procedure.objects.all():
            if not FormField.objects.filter(procedure=procedure).exists():
                rows = FORMS.get(procedure.code, GENERIC_FORM)
                services.update_procedure(procedure, actor=ACTOR, form_fields=rows)
        province = Unit.objects.filter(code=PROVINCE, valid_to__isnull=True).first()
        decisions = {}
        for number, date, issuer, title, effect, codes in DECISIONS:
            procedures = list(Procedure.objects.filter(code__in=codes))
            decision = Decision.objects.filter(number=number).first()
            if decision is None:
                decision = services.record_decision(
                    actor=ACTOR,
                    number=number,
                    date=date,
                    issuer=issuer,
                    title=title,
                    unit=province,
                    effects=[(p, effect, None) for p in procedures],
                    is_demo=True,
                )
                services.apply_decision(decision, actor=ACTOR)
            decisions[number] = decision
        with_processes = set(InternalProcess.objects.values_list("procedure_id", flat=True))
        for procedure in Procedure.objects.exclude(pk__in=with_processes):
            services.save_process(
                procedure,
                _generic_steps(procedure),
                actor=ACTOR,
                effective_from=dt.date(2025, 7, 1),
                is_demo=True,
                note="Quy trình minh họa (demo), sinh tự động theo thời hạn giải quyết.",
            )
        approving = decisions[DECISIONS[1][0]]
        for code, steps in REENGINEERED.items():
            procedure = Procedure.objects.get(code=code)
            if procedure.processes.filter(version=2).exists():
                continue
            services.save_process(
                procedure,
                [{"name": n, "role": r, "unit_kind": k, "hours": Decimal(h)} for n, r, k, h in steps],
                actor=ACTOR,
                effective_from=dt.date(2026, 4, 1),
                decision=approving,
                is_demo=True,
                note="Tái cấu trúc: bỏ bước vào sổ riêng, ký số, đối chiếu dữ liệu dân cư (minh họa).",
            )
        for code, dossiers in VOLUMES_2025.items():
            procedure = Procedure.objects.get(code=code)
            services.set_volume(procedure, 2025, dossiers, actor=ACTOR, unit=province)
    if stdout is not None:
        stdout.write(
            f"  catalog: {Procedure.objects.count()} procedures ({counts['created']} new, {counts['updated']} updated)"
        )
