"""
Sourcing strength, and partners told apart from places.

- `Article.agency`: the originating agency of a syndicated wire story, so that copies of
  one story count as one source.
- `Claim.independent_sources` (derived): the distinct publishers of a claim's published
  evidence articles, each syndicated copy counted as its agency.
- `Involvement.by_actor` (derived): whether a claim involves a country through one of its
  actors (a partner) or only as the place where it happened.
- A claim's date is "not given" rather than a "standing fact" when left empty.
- The derived data of existing claims is rebuilt by 0018, once the models it reads exist.
"""

import django.db.models.deletion
from django.db import migrations, models


def rebuild_derived_data(apps, schema_editor):
    # articles/derived.py works on the current models, which read claim links (0017):
    # 0018 rebuilds.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_claim_event_protect"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                help_text="For a wire story republished here (Reuters, Tanjug, Xinhua…): the "
                "agency that wrote it. Leave empty for the publisher's own reporting.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="syndicated_articles",
                to="articles.source",
                verbose_name="originating agency",
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="For a wire story republished here (Reuters, Tanjug, Xinhua…): the "
                "agency that wrote it. Leave empty for the publisher's own reporting.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="articles.source",
                verbose_name="originating agency",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="independent_sources",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="involvement",
            name="by_actor",
            field=models.BooleanField(
                default=True, help_text="An actor's country, not only where the claim happened."
            ),
        ),
        # Said as it is: "standing fact" mislabelled claims whose date is simply unknown.
        migrations.AlterField(
            model_name="claim",
            name="occurred_on",
            field=models.DateField(
                blank=True,
                help_text="When it happened. Leave empty when the sources give no date.",
                null=True,
                verbose_name="when",
            ),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="occurred_on",
            field=models.DateField(
                blank=True,
                help_text="When it happened. Leave empty when the sources give no date.",
                null=True,
                verbose_name="when",
            ),
        ),
        migrations.RunPython(rebuild_derived_data, migrations.RunPython.noop),
    ]
