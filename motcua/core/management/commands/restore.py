from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core import audit, backup


class Command(BaseCommand):
    help = (
        "Restore a `motcua backup` directory onto an empty database and empty file storages: verifies the "
        "manifest and every part first, then checks the restored counts and the audit chains."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options):
        try:
            manifest = backup.restore_backup(options["directory"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        checked, problems = audit.verify()
        for problem in problems:
            self.stderr.write(f"TAMPERED {problem}")
        if problems:
            raise CommandError(f"restored, but {len(problems)} problem(s) in {checked} audit entries")
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: restored the backup of {manifest['created_at']} "
                f"({len(manifest['migrations'])} migrations, counts match); {checked} audit entries verify"
            )
        )
