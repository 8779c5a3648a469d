import sys

from django.core.management.base import BaseCommand, CommandError

from articles import derived
from intake import gdelt
from intake.importer import Importer


class Command(BaseCommand):
    help = (
        "Import GDELT 2.0 Events export files (*.export.CSV, 61 columns) and Mentions "
        "files (*.mentions.CSV, 16 columns), plain or zipped, into the intake queue. "
        "Importing a file again changes nothing. Bad lines are skipped and reported on "
        "standard error; the summary goes to standard output. Exit status 1 when no "
        "line could be imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        # Events first, whatever the order given: mentions then find the events of the
        # same import.
        kinds = {}
        for path in files:
            try:
                kinds[path] = gdelt.kind_of(path)
            except (OSError, gdelt.NotGdelt) as error:
                raise CommandError(f"{path}: {error}") from error
        ordered = sorted(files, key=lambda path: kinds[path] != gdelt.EVENTS)
        with derived.batch():
            importer = Importer(self.report, self.progress if sys.stderr.isatty() else None)
            for path in ordered:
                importer.import_file(path, kinds[path])
        for (system, code), count in sorted(importer.countries.unknown.items()):
            lines = "line" if count == 1 else "lines"
            self.stdout.write(f"unknown {system} country code {code}: {count} {lines}")
        used = {kinds[path] for path in files}
        tallies = [(kind, importer.tallies[kind]) for kind in (gdelt.EVENTS, gdelt.MENTIONS)]
        for kind, tally in tallies:
            if kind in used:
                self.stdout.write(tally.summary(kind))
        if not any(tally.good for _, tally in tallies):
            raise CommandError("No line could be imported.")

    def report(self, path, number, reason):
        self.stderr.write(f"{path}:{number}: {reason}")

    def progress(self, path, lines, fraction):
        # Plain, not in the colour of errors.
        plain = str
        self.stderr.write(f"\r{path}: {lines:,} lines, {fraction:.0%}", plain, ending="")
        if fraction >= 1:
            self.stderr.write("", plain)
