import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from motcua.core.periodic import forget_old_slots, periodic_tasks, run_due


class Command(BaseCommand):
    help = (
        "Enqueue the apps' periodic tasks once per period (run beside the workers; several schedulers may run, "
        "each period is enqueued by one of them)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue every periodic task once and exit")

    def handle(self, *args: Any, **opts: Any) -> None:
        schedule = periodic_tasks()
        if opts["once"]:
            for task, _seconds in schedule:
                task.enqueue()
            return
        rounds = 0
        while True:
            close_old_connections()
            run_due(schedule)
            rounds += 1
            if rounds % 720 == 0:  # about once an hour
                forget_old_slots()
            time.sleep(5)
