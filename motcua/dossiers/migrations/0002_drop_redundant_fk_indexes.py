"""Drop the single-column indexes on four foreign keys that a composite index already starts with:
dossier (receiving_unit, submitted_at) and (unit, status), task (unit, status) and (assignee, status).

Only the indexes go: the foreign-key constraints stay as they are (a plain AlterField would drop and
re-validate them, scanning the whole dossier table on PostgreSQL and rebuilding it on SQLite).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_initial"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "dossiers_dossier_receiving_unit_id_0453b4b0"',
                    reverse_sql='CREATE INDEX "dossiers_dossier_receiving_unit_id_0453b4b0" ON "dossiers_dossier" ("receiving_unit_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "dossiers_dossier_unit_id_49f6b550"',
                    reverse_sql='CREATE INDEX "dossiers_dossier_unit_id_49f6b550" ON "dossiers_dossier" ("unit_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "dossiers_task_assignee_id_305a5991"',
                    reverse_sql='CREATE INDEX "dossiers_task_assignee_id_305a5991" ON "dossiers_task" ("assignee_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "dossiers_task_unit_id_495ff8e6"',
                    reverse_sql='CREATE INDEX "dossiers_task_unit_id_495ff8e6" ON "dossiers_task" ("unit_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="dossier",
                    name="receiving_unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="received_dossiers",
                        to="org.unit",
                        verbose_name="đơn vị tiếp nhận",
                    ),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dossiers",
                        to="org.unit",
                        verbose_name="đơn vị có thẩm quyền",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="dossier_tasks",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người xử lý",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dossier_tasks",
                        to="org.unit",
                        verbose_name="đơn vị thực hiện",
                    ),
                ),
            ],
        ),
    ]
