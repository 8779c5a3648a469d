"""
Links between claims (supports, contradicts, updates, duplicates), kept with their
history. Editors record them on draft claims, Publishers on any (as for the claims'
other parts).
"""

import datetime

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import articles.models

LINK_CODENAMES = [f"{action}_claimlink" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=LINK_CODENAMES
    )
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="articles", codename__in=LINK_CODENAMES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_independent_sources_and_places"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalClaimLink",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("supports", "supports"),
                            ("contradicts", "contradicts"),
                            ("updates", "updates"),
                            ("duplicates", "duplicates"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "recorded_on",
                    models.DateField(
                        default=datetime.date.today,
                        help_text="When the link became known: shown to readers beside it.",
                        verbose_name="date",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="Optional, for readers: why the claims are linked.",
                        max_length=300,
                        validators=[articles.models.validate_no_control_characters],
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "from_claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.claim",
                        verbose_name="this claim",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "to_claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.claim",
                        verbose_name="claim",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical link to another claim",
                "verbose_name_plural": "historical links to other claims",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ClaimLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("supports", "supports"),
                            ("contradicts", "contradicts"),
                            ("updates", "updates"),
                            ("duplicates", "duplicates"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "recorded_on",
                    models.DateField(
                        default=datetime.date.today,
                        help_text="When the link became known: shown to readers beside it.",
                        verbose_name="date",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="Optional, for readers: why the claims are linked.",
                        max_length=300,
                        validators=[articles.models.validate_no_control_characters],
                    ),
                ),
                (
                    "from_claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_from",
                        to="articles.claim",
                        verbose_name="this claim",
                    ),
                ),
                (
                    "to_claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_to",
                        to="articles.claim",
                        verbose_name="claim",
                    ),
                ),
            ],
            options={
                "verbose_name": "link to another claim",
                "verbose_name_plural": "links to other claims",
                "ordering": ["recorded_on", "id"],
                "indexes": [models.Index(fields=["to_claim", "type"], name="claimlink_to_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("from_claim", models.F("to_claim")), _negated=True),
                        name="claimlink_not_to_itself",
                        violation_error_message="A claim cannot be linked to itself.",
                    ),
                    models.UniqueConstraint(
                        fields=("from_claim", "to_claim", "type"),
                        name="claimlink_unique_per_pair_and_type",
                        violation_error_message="These two claims are already linked this way.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("type", "duplicates")),
                        fields=("from_claim",),
                        name="claimlink_one_duplicate_target",
                        violation_error_message="A claim duplicates at most one other claim.",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
