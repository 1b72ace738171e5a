"""Run the fake national portal (status sync endpoint) for the demo: `motcua fake_national_portal`."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.fakeportal import FakePortal


class Command(BaseCommand):
    help = "Serve a local fake national public-service portal that receives dossier status messages."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8791)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **opts: Any) -> None:
        portal = FakePortal(opts["host"], opts["port"])
        self.stdout.write(f"fake national portal: {portal.url}  (GET / lists received messages)")
        try:
            portal.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            portal.server.server_close()
