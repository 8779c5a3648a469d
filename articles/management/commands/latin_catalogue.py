from pathlib import Path

from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.scripts import to_latin


def catalogue(code):
    return Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"


def latin(message):
    """A message's Serbian Cyrillic translation (one string, or its plural forms) in Latin."""
    if isinstance(message, (tuple, list)):
        return type(message)(to_latin(form) for form in message)
    return to_latin(message)


class Command(BaseCommand):
    help = (
        "Write the Serbian Latin catalogue (locale/sr_Latn) from the Serbian Cyrillic one "
        "(locale/sr), letter for letter: the two scripts spell the same words. Run after "
        "translating the Cyrillic catalogue; never edit the Latin one by hand."
    )

    def handle(self, **options):
        source, target = catalogue("sr"), catalogue("sr_Latn")
        if not source.exists():
            raise CommandError(f"No Serbian Cyrillic catalogue at {source}.")
        with source.open("rb") as f:
            cyrillic = read_po(f, locale="sr")
        cyrillic.locale = "sr_Latn"
        cyrillic.language_team = "Serbian (Latin)"
        cyrillic.project, cyrillic.version = "newsclaims", "1"
        cyrillic.header_comment = (
            "# newsclaims in Serbian, Latin script: written from the Cyrillic catalogue\n"
            "# (locale/sr) by `manage.py latin_catalogue`. Do not edit by hand."
        )
        for message in cyrillic:
            if message.id:
                message.string = latin(message.string)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            write_po(f, cyrillic, width=79)
        self.stdout.write(f"Wrote {target} ({len(cyrillic)} messages).")
