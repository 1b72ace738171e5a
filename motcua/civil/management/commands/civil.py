"""`motcua civil import-csv <kind> <file> [--unit CODE]`: import a legacy civil status register."""

from django.core.management.base import BaseCommand, CommandError

from motcua.civil.errors import CivilError
from motcua.civil.importer import import_csv
from motcua.civil.models import RECORD_MODELS


class Command(BaseCommand):
    help = "Civil status tools: import-csv <birth|marriage|death|change> <file.csv> [--unit CODE]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-csv", help="import legacy register rows (duplicates are skipped)")
        imp.add_argument("kind", choices=sorted(RECORD_MODELS))
        imp.add_argument("file")
        imp.add_argument("--unit", default="", help="unit code for rows without unit_code")

    def handle(self, *args, **opts):
        try:
            report = import_csv(opts["kind"], opts["file"], default_unit_code=opts["unit"])
        except (CivilError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for line, message in report.duplicates:
            self.stdout.write(f"line {line}: duplicate skipped: {message}")
        for line, message in report.errors:
            self.stderr.write(f"line {line}: {message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} {opts['kind']} record(s) imported, {len(report.duplicates)} duplicate(s), "
                f"{len(report.errors)} error(s)"
            )
        )
