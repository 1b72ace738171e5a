"""Demo data of the dashboard: a week of flooding reports in phường Sài Gòn (a hot spot the leaders' page
and the morning digest show), then the roll-ups rebuilt from everything the other apps seeded (they are
kept in step by every action; the rebuild also covers a demo database made before this app existed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from motcua.dashboard import rollups
from motcua.feedback import selectors as feedback_selectors
from motcua.feedback import services as feedback_services
from motcua.org import selectors as org_selectors

SURGE_WARD = "26740"
SURGE = 14
STREETS = ["Nguyễn Huệ", "Lê Lợi", "Hàm Nghi", "Tôn Đức Thắng", "Pasteur", "Đồng Khởi", "Hai Bà Trưng"]


def seed(stdout: Any = None) -> None:
    ward = org_selectors.unit_by_code(SURGE_WARD)
    if (
        ward is not None
        and not feedback_selectors.all_reports().filter(external_id__startswith="demo-surge-").exists()
    ):
        now = timezone.now()
        for i in range(SURGE):
            try:
                feedback_services.submit_report(
                    channel="web",
                    description=f"Mưa lớn là ngập nước sâu trên đường {STREETS[i % len(STREETS)]}, nắp cống bị nghẹt.",
                    category_code="ngap-nuoc",
                    address=f"Số {10 + i} {STREETS[i % len(STREETS)]}, {ward.name}",
                    latitude=ward.latitude,
                    longitude=ward.longitude,
                    contact_name="Người dân",
                    phone=f"0908{100000 + i}",
                    actor="web",
                    now=now - dt.timedelta(days=i % 5, hours=i % 7),
                    external_id=f"demo-surge-{i}",
                )
            except Exception:  # noqa: BLE001 - a demo row that does not fit is skipped, not fatal
                continue
    counts = rollups.rebuild()
    if stdout:
        stdout.write(f"dashboard: roll-ups rebuilt ({', '.join(f'{k} {v}' for k, v in counts.items())})\n")
