"""Seed the officers' abbreviation and synonym list with the common ones (editable in the admin)."""

from django.db import migrations

from motcua.assistant.text import ABBREVIATIONS, PHRASES


def seed(apps, schema_editor):
    Synonym = apps.get_model("assistant", "Synonym")
    for phrase, meaning in ABBREVIATIONS.items():
        Synonym.objects.get_or_create(phrase=phrase, defaults={"replacement": meaning, "expand": False})
    for phrase, meaning in PHRASES.items():
        Synonym.objects.get_or_create(phrase=phrase, defaults={"replacement": meaning, "expand": True})


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
