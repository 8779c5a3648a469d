"""Print the countries and actors a text names: `manage.py detect_entities < text.txt`."""

import json
import sys

from django.core.management.base import BaseCommand

from articles import detection


class Command(BaseCommand):
    help = (
        "Read a text on standard input and print the countries (ISO alpha-2 codes) and "
        'actors (slugs) it names, as JSON: {"countries": ["RS", "CN"], "actors": [...]}.'
    )

    def handle(self, *args, **options):
        found = detection.detect(sys.stdin.read())
        self.stdout.write(json.dumps(found.as_json(), ensure_ascii=False))
