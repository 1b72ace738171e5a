from django.core.management.base import BaseCommand, CommandError

from motcua.core import audit


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` recomputes every keyed hash chain and checks the newest checkpoint; "
        "`checkpoint` anchors the chain heads in a signed file outside the database; `rekey` re-signs the "
        "whole trail with the current MOTCUA_AUDIT_KEY (one-off, after introducing or rotating the key)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "rekey"])

    def handle(self, *args, **options):
        if options["action"] == "checkpoint":
            path = audit.checkpoint()
            self.stdout.write(self.style.SUCCESS(f"OK: checkpoint written to {path}"))
            return
        if options["action"] == "rekey":
            count = audit.rekey()
            self.stdout.write(self.style.SUCCESS(f"OK: {count} audit entries re-signed with the current key"))
            return
        checked, problems = audit.verify()
        for problem in problems:
            self.stderr.write(f"TAMPERED {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {checked} audit entries")
        anchor = audit.latest_checkpoint()
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {checked} audit entries, every chain intact"
                + (f"; heads match checkpoint {anchor.name}" if anchor else "; no checkpoint yet")
            )
        )
