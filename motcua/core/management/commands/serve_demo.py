"""Serve the demo: the web server plus the task worker, the periodic scheduler and each app's helper
services (e.g. the population-registry simulator), all stopped together with Ctrl+C."""

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from motcua.core.management.commands.seed_demo import demo_modules
from motcua.env import env_int


class Command(BaseCommand):
    help = "Run the demo platform at http://127.0.0.1:PORT with its worker and simulators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=env_int("PORT", 8000))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **opts: Any) -> None:
        motcua = [sys.executable, "-m", "motcua"]
        commands = [motcua + ["db_worker", "--interval", "1"], motcua + ["periodic"]]
        for _app, module in demo_modules():
            for argv in getattr(module, "PROCESSES", []):
                commands.append(motcua + list(argv))
        children = [subprocess.Popen(cmd) for cmd in commands]
        self.stdout.write(
            self.style.SUCCESS(f"motcua: http://{opts['host']}:{opts['port']}/  (Ctrl+C to stop)")
        )
        try:
            call_command(
                "runserver", f"{opts['host']}:{opts['port']}", use_reloader=False, use_threading=True
            )
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    child.kill()
