"""Demo incoming documents for phường Cầu Ông Lãnh: a letter with a text layer, an urgent decision waiting
for the leader's directive, one already assigned to the specialist, a secret one named to the clerk and the
leader, and one received as edXML. Through the real services; idempotent (skips when the ward has any)."""

from __future__ import annotations

import hashlib
from typing import TextIO

from weasyprint import HTML

from motcua.documents.actions import Upload
from motcua.documents.models import Document
from motcua.documents.workflow import Action, perform
from motcua.org.models import Unit, User

WARD = "26758"
LETTERS = [
    (
        "UBND QUẬN 1|ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ|Số: 125/UBND-VP|Quận 1, ngày 15 tháng 3 năm 2026|"
        "V/v tăng cường công tác vệ sinh môi trường||Kính gửi: Ủy ban nhân dân phường Cầu Ông Lãnh.|"
        "Đề nghị quý cơ quan phối hợp tổ chức ra quân dọn dẹp các tuyến đường giáp ranh.",
        {},
    ),
    (
        "UBND THÀNH PHỐ HỒ CHÍ MINH|SỞ TƯ PHÁP|Số: 482/QĐ-STP|Thành phố Hồ Chí Minh, ngày 2 tháng 4 năm 2026|"
        "QUYẾT ĐỊNH|Về việc kiện toàn tổ kiểm tra công tác hộ tịch||Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;",
        {"urgency": "thuong_khan"},
    ),
    (
        "ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN|Số: 37/TB-UBND|Phường Sài Gòn, ngày 20 tháng 5 năm 2026|THÔNG BÁO|"
        "Lịch tiếp công dân tháng 6 năm 2026||Thời gian: sáng thứ Năm hằng tuần.",
        {},
    ),
    (
        "CÔNG AN THÀNH PHỐ HỒ CHÍ MINH|Số: 15/CV-CA|Thành phố Hồ Chí Minh, ngày 3 tháng 6 năm 2026|"
        "V/v phối hợp bảo đảm an ninh trật tự||Kính gửi: Ủy ban nhân dân phường Cầu Ông Lãnh.",
        {"secrecy": "mat"},
    ),
]


def _pdf(text: str) -> bytes:
    body = "".join(f"<p>{line or '&nbsp;'}</p>" for line in text.split("|"))
    return HTML(string=f"<html><body style='font-family:DejaVu Serif'>{body}</body></html>").write_pdf()


def seed(stdout: TextIO | None = None) -> None:
    ward = Unit.objects.filter(code=WARD, valid_to__isnull=True).first()
    clerk = User.objects.filter(username="vanthu.col").first()
    leader = User.objects.filter(username="lanhdao.col").first()
    specialist = User.objects.filter(username="chuyenvien.col").first()
    if ward is None or clerk is None or leader is None or specialist is None:
        return
    if Document.objects.filter(unit=ward).exists():
        return
    made = []
    for text, params in LETTERS:
        data = _pdf(text)
        upload = Upload(
            name="van-ban.pdf",
            data=data,
            content_type="application/pdf",
            sha256=hashlib.sha256(data).hexdigest(),
        )
        readers = [leader.username] if params.get("secrecy") else []
        made.append(
            perform(
                None,
                Action.REGISTER,
                clerk,
                uploads=[upload],
                received_via="email",
                readers=readers,
                **params,
            )
        )
    letter, decision, notice, _secret = made
    perform(letter, Action.CONFIRM_FIELDS, clerk, **letter.fields())
    perform(letter, Action.PRESENT, clerk, handler=specialist)
    perform(decision, Action.PRESENT, clerk, handler=specialist)
    perform(
        notice,
        Action.DIRECT,
        leader,
        text="Giao chuyên viên phối hợp thông báo đến các khu phố.",
        lead_person=specialist,
        working_days=3,
    )
    perform(notice, Action.NOTE, specialist, text="Đã gửi thông báo cho các khu phố.")
    if stdout is not None:
        stdout.write(f"  documents: {len(made)} incoming documents for {ward.name}")
