from django.core.management.base import BaseCommand, CommandError

from motcua.core import audit


class Command(BaseCommand):
    help = "Audit trail tools. `motcua audit verify` recomputes every hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        checked, problems = audit.verify()
        for problem in problems:
            self.stderr.write(f"TAMPERED {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {checked} audit entries")
        self.stdout.write(self.style.SUCCESS(f"OK: {checked} audit entries, every chain intact"))
