"""`motcua registry verify-log` (check the message log's hash chain) and `motcua registry lookup ID`."""

from django.core.management.base import BaseCommand, CommandError

from motcua.citizens.services import set_registry_faults, verify_log


class Command(BaseCommand):
    help = "Population registry connector: verify-log | faults --latency-ms N --fail-rate F --down 0/1"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify-log", help="recompute the message log's hash chain")
        faults = sub.add_parser("faults", help="make the configured simulator slow or failing")
        faults.add_argument("--latency-ms", type=int)
        faults.add_argument("--fail-rate", type=float)
        faults.add_argument("--down", type=int, choices=[0, 1])

    def handle(self, *args, **opts):
        if opts["action"] == "verify-log":
            checked, problems = verify_log()
            for problem in problems:
                self.stderr.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} problem(s) in {checked} registry message(s)")
            self.stdout.write(self.style.SUCCESS(f"registry message log intact: {checked} entries"))
        elif opts["action"] == "faults":
            values = {k: opts[k] for k in ("latency_ms", "fail_rate") if opts[k] is not None}
            if opts["down"] is not None:
                values["down"] = bool(opts["down"])
            self.stdout.write(str(set_registry_faults(**values)))
