"""Non-guessable ids for civil records, extract copies and marital status certificates (issue 11 item 7):
added empty, filled one row at a time with a fresh UUID, then made unique and required."""

import uuid

from django.db import migrations, models

MODELS = ["birthrecord", "marriagerecord", "deathrecord", "changerecord", "extractcopy", "maritalstatuscertificate"]


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("civil", name)
        for pk in model.objects.filter(public_id__isnull=True).values_list("pk", flat=True).iterator():
            model.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("civil", "0001_initial")]

    operations = [
        *[migrations.AddField(name, "public_id", models.UUIDField(null=True, editable=False)) for name in MODELS],
        migrations.RunPython(fill, migrations.RunPython.noop),
        *[
            migrations.AlterField(
                name, "public_id", models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
            )
            for name in MODELS
        ],
    ]
