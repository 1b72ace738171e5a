"""`motcua catalog import <file.json>`, `motcua catalog export-xlsx <out>`, `motcua catalog import-xlsx <in>`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.errors import CatalogError
from motcua.catalog.excel import export_workbook, import_workbook
from motcua.catalog.services import default_data_path, import_file


class Command(BaseCommand):
    help = "Procedure catalog: import the national procedures file; export/import Excel workbooks."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p_import = sub.add_parser("import", help="Import procedures from a JSON file (idempotent).")
        p_import.add_argument("path", nargs="?", default=None)
        p_export = sub.add_parser(
            "export-xlsx", aliases=["export"], help="Export procedures and internal processes to .xlsx."
        )
        p_export.add_argument("path")
        p_xlsx = sub.add_parser(
            "import-xlsx", help="Import an edited workbook (only differences are written)."
        )
        p_xlsx.add_argument("path")

    def handle(self, *args, action, path=None, **options):
        try:
            if action == "import":
                counts = import_file(path or default_data_path())
                self.stdout.write(
                    f"procedures: {counts['created']} created, {counts['updated']} updated, "
                    f"{counts['unchanged']} unchanged"
                )
            elif action in ("export-xlsx", "export"):
                with open(path, "wb") as handle:
                    handle.write(export_workbook())
                self.stdout.write(f"written {path}")
            elif action == "import-xlsx":
                with open(path, "rb") as handle:
                    counts = import_workbook(handle.read(), actor="system:catalog-import-xlsx")
                self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
        except CatalogError as exc:
            raise CommandError(exc.message) from exc
