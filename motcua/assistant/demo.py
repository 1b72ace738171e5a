"""Demo: guide entries officers would write, the fake Zalo OA server beside the platform, and a demo
hand-over waiting in phường Cầu Ông Lãnh's queue (login tiepnhan.col)."""

from __future__ import annotations

from typing import TextIO

from django.conf import settings

from motcua.assistant import services
from motcua.assistant.models import GuideEntry, Handover
from motcua.core.demorun import DemoProcess

GUIDE = [
    (
        "tai-khoan-dich-vu-cong",
        "Tạo tài khoản Cổng dịch vụ công quốc gia",
        "Vào dichvucong.gov.vn, chọn Đăng nhập, chọn Tài khoản định danh điện tử (VNeID) và làm theo hướng "
        "dẫn. Cần có tài khoản VNeID mức độ 2; chưa có thì đăng ký tại Công an phường.",
        "tạo tài khoản dịch vụ công\nđăng ký tài khoản cổng dịch vụ công\nlàm sao đăng nhập dịch vụ công\n"
        "tài khoản dịch vụ công quốc gia",
    ),
    (
        "thanh-toan-truc-tuyen",
        "Thanh toán phí, lệ phí trực tuyến",
        "Khi hồ sơ trực tuyến cần nộp phí, Cổng gửi thông báo kèm mã thanh toán. Bấm Thanh toán, chọn ngân "
        "hàng hoặc ví điện tử, quét mã QR. Biên lai điện tử được gửi vào hồ sơ.",
        "thanh toán lệ phí online\nchuyển khoản lệ phí\ntrả phí qua mạng\nnộp tiền trực tuyến\nthanh toán trực tuyến",
    ),
    (
        "gio-lam-viec",
        "Giờ tiếp nhận hồ sơ của Bộ phận Một cửa",
        "Bộ phận Một cửa phường tiếp nhận hồ sơ từ thứ Hai đến thứ Sáu, sáng 7 giờ 30 – 11 giờ 30, chiều "
        "13 giờ – 17 giờ; sáng thứ Bảy tiếp nhận theo lịch của phường.",
        "giờ làm việc\nmấy giờ mở cửa\nthứ bảy có làm việc không\ngiờ tiếp nhận hồ sơ\ngiờ hành chính",
    ),
]

# The fake Zalo OA server listens on the demo's port + 5000 (motcua.core.demorun), and the platform's
# ASSISTANT_ZALO_API_URL is pointed at it.
PROCESSES = [
    DemoProcess(
        ["fake_zalo", "--webhook", f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}/zalo/webhook/"],
        port_offset=5000,
        url_env="ASSISTANT_ZALO_API_URL",
        name="fake Zalo OA server",
    )
]


def seed_guide() -> None:
    for slug, title, body, keywords in GUIDE:
        GuideEntry.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "keywords": keywords}
        )


def seed(stdout: TextIO | None = None) -> None:
    seed_guide()
    if not Handover.objects.exists():
        try:
            services.ask(
                "Bà nội em 90 tuổi nằm một chỗ, phường có cử người tới nhà làm giấy tờ không ạ?",
                channel="web",
            )
        except Exception as exc:  # noqa: BLE001 - the demo goes on without its sample hand-over
            if stdout is not None:
                stdout.write(f"  assistant: no sample hand-over ({exc})")
