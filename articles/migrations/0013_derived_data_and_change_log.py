"""
Derived data gets one owner (articles/derived.py) and a change log.

- `Change` replaces `ContentVersion`: numbered entries naming the claims whose public
  face changed, which caches and a read index catch up from.
- `Claim.facets` keeps what each claim was last counted by, so counts move by the
  difference instead of being recounted.
- `Claim.search_vector` becomes a column PostgreSQL generates from the search document,
  so nothing else writes it (its GIN index is made again).
- The derived data of existing claims is rebuilt by the module that owns it, in 0016.
"""

import django.contrib.postgres.search
import django.db.models.functions.datetime
from django.db import migrations, models

import articles.search

SEARCH_INDEX = "CREATE INDEX claim_search_vector_idx ON articles_claim USING gin (search_vector)"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX)


def rebuild_derived_data(apps, schema_editor):
    # articles/derived.py works on the current models, whose columns (an article's
    # agency, a claim's independent sources, claim links) exist from 0016 and 0017 on:
    # 0018 rebuilds.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_claim_evidence_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="Change",
            fields=[
                ("seq", models.BigAutoField(primary_key=True, serialize=False)),
                ("claims", models.JSONField(blank=True, null=True)),
                (
                    "created_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
            ],
            options={
                "verbose_name": "change log entry",
                "verbose_name_plural": "change log",
            },
        ),
        migrations.RemoveConstraint(
            model_name="contentversion",
            name="content_version_one_row",
        ),
        migrations.DeleteModel(
            name="ContentVersion",
        ),
        migrations.AddField(
            model_name="claim",
            name="facets",
            field=models.JSONField(editable=False, null=True),
        ),
        migrations.RemoveField(
            model_name="claim",
            name="search_vector",
        ),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=articles.search.DocumentVector("search_document"),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.RunPython(create_search_index, migrations.RunPython.noop),
        migrations.RunPython(rebuild_derived_data, migrations.RunPython.noop),
    ]
