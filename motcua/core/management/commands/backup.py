from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core import backup


class Command(BaseCommand):
    help = (
        "Take a consistent, encrypted backup of the database and the stored files (media and secret "
        "documents) into a new directory, with a signed manifest. Key: MOTCUA_BACKUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path)
        parser.add_argument("--new-key", action="store_true", help="print a fresh MOTCUA_BACKUP_KEY and exit")

    def handle(self, *args, **options):
        if options["new_key"]:
            self.stdout.write(backup.new_key())
            return
        if options["directory"] is None:
            raise CommandError("give the directory to write the backup into")
        try:
            manifest = backup.take_backup(options["directory"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(part["encrypted_bytes"] for part in manifest["parts"].values())
        counts = ", ".join(f"{label} {n}" for label, n in manifest["counts"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: backup of {manifest['engine']} in {options['directory']} "
                f"({size / 1e6:.1f} MB, {manifest['duration_seconds']} s; {counts})"
            )
        )
