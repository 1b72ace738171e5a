"""Load the demo data of every app, in dependency order. Each app's `demo.seed()` is idempotent."""

import importlib
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def demo_modules() -> Iterator[tuple[str, ModuleType]]:
    for app in settings.INSTALLED_APPS:
        if not app.startswith("motcua."):
            continue
        try:
            yield app, importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise


class Command(BaseCommand):
    help = "Load demo data (units, staff, procedures, dossiers, feedback...). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        for app, module in demo_modules():
            started = time.monotonic()
            module.seed(self.stdout)
            self.stdout.write(f"  {app}: ready ({time.monotonic() - started:.1f}s)")
        for _app, module in demo_modules():
            logins = getattr(module, "LOGINS", None)
            if logins:
                self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {module.PASSWORD})"))
                for username, description in logins:
                    self.stdout.write(f"  {username:<28} {description}")
