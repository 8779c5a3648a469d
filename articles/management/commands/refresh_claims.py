import sys

from django.core.management.base import BaseCommand, CommandError

from articles import derived


class Command(BaseCommand):
    help = (
        "Derive every claim's country links, search document and facets, and the claim "
        "counts of countries, actors and events, again from the source rows (after rows "
        "were loaded in bulk without the app). With --check, only compare what is stored "
        "with a fresh computation: exit status 1 and the differing rows when they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare instead of rebuilding; change nothing.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            problems = derived.check(progress=self.progress)
            for problem in problems:
                self.stdout.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} differences in the derived data.")
            self.stdout.write("Derived data matches the source rows.")
            return
        with derived.batch():
            derived.rebuild(progress=self.progress)
        self.stdout.write("Derived data rebuilt.")

    def progress(self, done, total):
        if sys.stderr.isatty():
            self.stderr.write(f"\r{done:,} of {total:,} chunks", ending="")
            if done == total:
                self.stderr.write("")
