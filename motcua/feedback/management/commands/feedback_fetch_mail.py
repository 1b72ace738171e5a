from django.core.management.base import BaseCommand

from motcua.feedback import mailbox


class Command(BaseCommand):
    help = "Read the feedback mailbox (FEEDBACK_MAILBOX_URL, POP3 or IMAP) once and file its messages as reports."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="mailbox URL, overrides FEEDBACK_MAILBOX_URL")

    def handle(self, *args, **options):
        count = mailbox.fetch(options["url"] or None)
        self.stdout.write(f"{count} report(s) from the mailbox")
