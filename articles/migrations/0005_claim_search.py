"""
The claims' search document and its PostgreSQL indexes.

The two GIN indexes exist only on PostgreSQL (SQLite has no GIN), so they are created
here rather than declared in Claim.Meta, where SQLite would have to build them too.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

POSTGRES_INDEXES = [
    # Full-text search: WHERE search_vector @@ websearch_to_tsquery(...).
    (
        "claim_search_vector_idx",
        "CREATE INDEX claim_search_vector_idx ON articles_claim USING gin (search_vector)",
    ),
    # Misspelling fallback: word_similarity(word, search_document).
    (
        "claim_search_trgm_idx",
        "CREATE INDEX claim_search_trgm_idx ON articles_claim "
        "USING gin (search_document gin_trgm_ops)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _, sql in POSTGRES_INDEXES:
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in POSTGRES_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_claim_ordering_nulls_last"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="claim",
            name="search_document",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
