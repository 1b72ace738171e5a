from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.org.loader import load_province, province_choices


class Command(BaseCommand):
    help = "Load a province's units (today's and pre-2025) from the official lists. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "province", nargs="?", default="79", help="official province code, e.g. 79 (HCMC), 01 (Hà Nội)"
        )
        parser.add_argument("--list", action="store_true", help="list the province codes")
        parser.add_argument("--agencies", action="store_true", help="also create the demo agencies")
        parser.add_argument(
            "--no-legacy", action="store_true", help="skip units that existed before 1/7/2025"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["list"]:
            for code, name in province_choices():
                self.stdout.write(f"{code}  {name}")
            return
        try:
            result = load_province(
                opts["province"], with_legacy=not opts["no_legacy"], with_agencies=opts["agencies"]
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"{result.province}: {result.current_units} commune-level units, {result.legacy_units} pre-2025 units "
            f"({result.created} created, {result.updated} updated)"
        )
