"""Deleting an event that claims use is refused, rather than taking it from them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_text_and_url_validators"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="articles.event",
            ),
        ),
    ]
