import os
import subprocess

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from articles.pg import libpq_environment


class Command(BaseCommand):
    help = "Write a PostgreSQL backup (pg_dump custom format) of the database to FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. backups/2026-11-29.dump")
        parser.add_argument("--database", default="default", help="Django database alias.")

    def handle(self, file, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Backups are for PostgreSQL; the SQLite demo is a file to copy.")
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", file]
        # The dump holds password hashes and sessions: readable by its owner alone from the
        # moment pg_dump creates it (umask), or a file of that name is narrowed first.
        if os.path.exists(file):
            os.chmod(file, 0o600)
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command,
            env=libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            umask=0o077,
        )
        if result.returncode:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        self.stdout.write(f"Backed up {connection.settings_dict['NAME']} to {file}.")
