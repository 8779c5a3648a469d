"""
The "Editors" group: exactly the permissions entering articles and claims needs.
Make someone an editor by ticking "staff status" and adding them to this group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED_MODELS = ["article", "claim", "claimactor", "evidence", "actor", "event", "source"]
VIEWED_MODELS = ["country"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; this migration
    # needs them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}"
        for model in EDITED_MODELS
        for action in ("add", "change", "delete", "view")
    ] + [f"view_{model}" for model in VIEWED_MODELS]
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_countries_and_state_actors"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
