import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from motcua.core.periodic import periodic_tasks


class Command(BaseCommand):
    help = "Enqueue the apps' periodic tasks on their schedule (run beside `motcua db_worker`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue every periodic task once and exit")

    def handle(self, *args: Any, **opts: Any) -> None:
        schedule = periodic_tasks()
        last: dict[int, float] = {}
        while True:
            now = time.monotonic()
            for index, (task, seconds) in enumerate(schedule):
                if opts["once"] or now - last.get(index, -1e9) >= seconds:
                    close_old_connections()
                    task.enqueue()
                    last[index] = now
            if opts["once"]:
                return
            time.sleep(5)
