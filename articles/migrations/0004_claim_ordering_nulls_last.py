"""
Undated claims (standing facts) sort after dated ones on every database.

SQLite cannot put NULLS LAST in an index, so the index serving the default sort is
created on PostgreSQL only.
"""

from django.db import migrations, models

RECENT_INDEX = (
    # Claims list, "most recent": WHERE status = 'published'
    # ORDER BY occurred_on DESC NULLS LAST, id DESC.
    "CREATE INDEX claim_status_occurred_idx ON articles_claim "
    "(status, occurred_on DESC NULLS LAST, id DESC)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RECENT_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_status_occurred_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editors_group"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": [
                    models.OrderBy(models.F("occurred_on"), descending=True, nulls_last=True),
                    "-id",
                ]
            },
        ),
        migrations.RemoveIndex(model_name="claim", name="claim_status_occurred_idx"),
        migrations.RunPython(create_index, drop_index),
    ]
