"""
Editors and Publishers review the intake queue: they see events and their mentions and
accept or dismiss events (changing an event is deciding on it; accepting also needs the
right to add articles and claims, which both groups have).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_gdeltevent", "change_gdeltevent", "view_gdeltmention"]
GROUPS = ["Editors", "Publishers"]


def add_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations have run; this migration
    # needs them now.
    app_config = apps.get_app_config("intake")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="intake", codename__in=CODENAMES
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="intake", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("articles", "0007_publishers_group"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
