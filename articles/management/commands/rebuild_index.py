import resource
import sys
import time
from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand

from articles import derived, engine


class Command(BaseCommand):
    help = (
        "Build the read index of published claims from the database, with progress, and "
        "save it at READ_INDEX_PATH; every worker of this server then loads it at its next "
        "request (after one change log entry that says every claim changed). Without "
        "READ_INDEX_PATH each worker builds its own: this only checks how long that takes."
    )

    def handle(self, *args, **options):
        path = settings.READ_INDEX_PATH
        started = time.monotonic()
        # Workers that see the new entry wait on the lock for this index, not build one.
        with engine.building(path) if path else nullcontext():
            if path:
                with derived.batch():
                    derived.append_to_log(None)
            index = engine.ClaimIndex.build(progress=self.progress)
            if path:
                index.save(path)
        memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(
            f"Indexed {len(index.published):,} published claims in "
            f"{time.monotonic() - started:.1f} s (peak memory {memory} MB)"
            + (f", saved to {path}." if path else "; READ_INDEX_PATH is not set: not saved.")
        )

    def progress(self, done):
        if sys.stderr.isatty():
            self.stderr.write(f"\r{done:,} claims read", ending="")
