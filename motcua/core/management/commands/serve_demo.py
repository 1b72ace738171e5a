"""Serve the demo: the web server plus the task worker, the periodic scheduler and each app's helper
services (the population-registry simulator, the fake national portal), all stopped together with Ctrl+C.

Every helper listens on the demo's port plus its offset (`motcua.core.demorun`), and every process is
started with the helpers' addresses in its environment, so `make demo PORT=8112` and `make demo PORT=8113`
run side by side.
"""

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.demorun import DemoProcess, plan
from motcua.core.management.commands.seed_demo import demo_modules
from motcua.env import env_int, environ_with


def demo_processes() -> list[DemoProcess]:
    processes: list[DemoProcess] = []
    for _app, module in demo_modules():
        processes.extend(getattr(module, "PROCESSES", []))
    return processes


class Command(BaseCommand):
    help = "Run the demo platform at http://127.0.0.1:PORT with its worker and simulators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=env_int("PORT", 8000))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **opts: Any) -> None:
        port, host = opts["port"], opts["host"]
        helpers, environment = plan(demo_processes(), port, host)
        env = environ_with(environment)
        motcua = [sys.executable, "-m", "motcua"]
        # The web server as in production (gunicorn, DEBUG off, whitenoise serving the static files).
        web = [sys.executable, "-m", "gunicorn", "motcua.wsgi", "--bind", f"{host}:{port}"]
        commands = [
            web + ["--workers", "2", "--threads", "4", "--timeout", "120", "--log-level", "warning"],
            motcua + ["db_worker", "--interval", "1", "--no-reload"],
            motcua + ["periodic"],
        ] + [motcua + helper.argv for helper in helpers]
        for helper in helpers:
            if helper.url:
                self.stdout.write(f"  {helper.name}: {helper.url}")
        children = [subprocess.Popen(cmd, env=env) for cmd in commands]  # noqa: S603 - our own commands
        self.stdout.write(self.style.SUCCESS(f"motcua: http://{host}:{port}/  (Ctrl+C to stop)"))
        stopping = False

        def stop(_signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [
            " ".join(cmd[2:4])
            for cmd, child in zip(commands, children, strict=True)
            if child.returncode not in (0, -signal.SIGTERM, None)
        ]
        if failed and not stopping:
            self.stderr.write(f"stopped: {', '.join(failed)} exited (is the port already in use?)")
