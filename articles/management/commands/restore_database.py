import subprocess

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from articles.pg import libpq_environment


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into a new, empty PostgreSQL database "
        "(created here; an existing database is never overwritten)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by backup_database.")
        parser.add_argument("target", help="Name of the new database to create and fill.")
        parser.add_argument("--database", default="default", help="Alias whose server to use.")

    def handle(self, file, target, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Restoring needs PostgreSQL.")
        settings = dict(connection.settings_dict, NAME=target)
        env = libpq_environment(settings)
        steps = [
            ["createdb", "--maintenance-db", connection.settings_dict["NAME"], target],
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                target,
                file,
            ],
        ]
        for command in steps:
            result = subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
                command, env=env, capture_output=True, text=True
            )
            if result.returncode:
                raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")
        self.stdout.write(f"Restored {file} into the new database {target}.")
