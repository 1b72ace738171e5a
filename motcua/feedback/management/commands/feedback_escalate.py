from django.core.management.base import BaseCommand

from motcua.feedback import services


class Command(BaseCommand):
    help = "Escalate feedback reports near or past their reply deadline (working-day calendar)."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.escalate_due()} report(s) escalated")
