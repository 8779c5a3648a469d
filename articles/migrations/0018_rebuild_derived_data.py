"""
Rebuild every claim's derived data with the module that owns it (articles/derived.py):
independent sources and partners (0016), duplicates leaving the lists (0017), and
search documents that fold Serbian Cyrillic to Latin (Вучић finds Vučić).

Derived data is rebuildable from the rest, so this can run again at any time:
`manage.py refresh_claims`. The next migration whose derived data changes makes this
one a no-op and rebuilds in its turn, since the module always reads the current models.
"""

from django.db import migrations


def rebuild_derived_data(apps, schema_editor):
    # A new database has no claims to rebuild.
    Claim = apps.get_model("articles", "Claim")
    if Claim.objects.exists():
        from articles import derived

        derived.rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_claim_links"),
    ]

    operations = [
        migrations.RunPython(rebuild_derived_data, migrations.RunPython.noop),
    ]
