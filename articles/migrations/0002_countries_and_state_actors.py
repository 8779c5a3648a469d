"""
Every ISO 3166-1 country and territory, plus Kosovo (XK), each with its state actor so
an editor can pick "Serbia" at once. The list lives in articles/data/countries.csv.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

COUNTRIES_CSV = Path(__file__).resolve().parent.parent / "data" / "countries.csv"


def load_countries(apps, schema_editor):
    Country = apps.get_model("articles", "Country")
    Actor = apps.get_model("articles", "Actor")
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as rows:
        countries = Country.objects.bulk_create(
            Country(
                code=row["alpha2"],
                alpha3=row["alpha3"],
                name=row["name"],
                region=row["region"],
                subregion=row["subregion"],
            )
            for row in csv.DictReader(rows)
        )
    Actor.objects.bulk_create(
        Actor(name=country.name, slug=slugify(country.name), kind="state", country=country)
        for country in countries
    )


def remove_countries(apps, schema_editor):
    apps.get_model("articles", "Actor").objects.filter(kind="state").delete()
    apps.get_model("articles", "Country").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(load_countries, remove_countries)]
