"""
Roles: "Editors" create and edit drafts; "Publishers" also publish, unpublish and
record corrections. Superusers can do everything. README.md says how to assign them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED_MODELS = ["article", "claim", "claimactor", "evidence", "actor", "event", "source"]
ALL_ACTIONS = ("add", "change", "delete", "view")


def editor_codenames():
    return [f"{action}_{model}" for model in EDITED_MODELS for action in ALL_ACTIONS] + [
        "view_country",
        "view_correction",
    ]


def publisher_codenames():
    return editor_codenames() + [
        "publish_article",
        "publish_claim",
        *(f"{action}_correction" for action in ALL_ACTIONS),
    ]


def create_groups(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editors", editor_codenames()), ("Publishers", publisher_codenames())]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_publishers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_history_corrections_publishing")]

    operations = [migrations.RunPython(create_groups, remove_publishers)]
