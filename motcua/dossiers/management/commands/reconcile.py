from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "After a fault run: acknowledged vs stored dossiers (none lost or duplicated), outbox and national-portal "
        "deliveries exactly once, audit chains, stuck tasks. Exits 1 on any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--acknowledged", type=Path, help="JSON lines {key, code} recorded by the load run"
        )
        parser.add_argument("--sms-gateway", help="the SMS gateway's delivery list (fake gateway: GET /sms)")
        parser.add_argument(
            "--portal", help="the national portal's received messages (fake portal: GET /messages)"
        )
        parser.add_argument(
            "--drained", action="store_true", help="the load is over: anything pending is a problem"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        report = reconcile(
            acknowledged_file=opts["acknowledged"],
            sms_gateway=opts["sms_gateway"],
            portal_url=opts["portal"],
            drained=opts["drained"],
        )
        for line in report.lines:
            self.stdout.write(line)
        if report.problems:
            raise CommandError(f"{len(report.problems)} problems")
        self.stdout.write("reconciled: nothing lost, nothing duplicated, nothing stuck")
