"""`motcua dashboard rebuild | check | digest`: the roll-ups from scratch, their agreement, the morning digest."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dashboard import hotspots, rollups


class Command(BaseCommand):
    help = (
        "Bảng điều hành: tính lại số liệu tổng hợp (rebuild), đối chiếu (check), gửi bản tin sáng (digest)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check", "digest"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        started = time.perf_counter()
        if action == "rebuild":
            counts = rollups.rebuild()
            for name, rows in counts.items():
                self.stdout.write(f"{name}: {rows} dòng")
            self.stdout.write(f"Đã tính lại trong {time.perf_counter() - started:.1f} giây.")
        elif action == "check":
            report = rollups.check()
            for name, rows in report.rows.items():
                self.stdout.write(f"{name}: {rows} dòng")
            if report.agrees:
                self.stdout.write(
                    f"Số liệu tổng hợp khớp với dữ liệu gốc ({time.perf_counter() - started:.1f} giây)."
                )
                return
            self.stdout.write("Số liệu tổng hợp khác dữ liệu gốc:")
            for line in report.differences:
                self.stdout.write(f"  {line}")
            sys.exit(1)
        else:
            sent = hotspots.send_digest()
            self.stdout.write(f"Đã xếp {sent} bản tin vào hàng đợi gửi.")
