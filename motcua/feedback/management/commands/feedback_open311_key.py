from django.core.management.base import BaseCommand

from motcua.feedback import services


class Command(BaseCommand):
    help = (
        "Create an Open311 API key for a client application; the key is printed once (only its hash is kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="client application name")

    def handle(self, *args, **options):
        key, raw = services.create_api_key(options["name"], actor="manage.py")
        self.stdout.write(f"{key.name}: {raw}")
