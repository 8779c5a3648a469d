"""
PostgreSQL helpers: time-boxed statements, and running PostgreSQL's own programs
(pg_dump, pg_restore) with Django's connection settings.
"""

import os
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction
from psycopg.errors import QueryCanceled


class StatementTimeout(Exception):
    """PostgreSQL cancelled a statement that ran past its time box."""


@contextmanager
def statement_timeout(limit):
    """
    PostgreSQL cancels any statement of the block that runs longer than `limit` ("150ms")
    and StatementTimeout is raised; the block is a transaction (or savepoint) of its
    own, so only its work is undone. Elsewhere (SQLite) there is no limit.
    """
    if connection.vendor != "postgresql":
        yield
        return
    outer = connection.in_atomic_block
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [limit])
            yield
            if outer:  # SET LOCAL outlives a savepoint, up to the outer transaction's end
                cursor.execute("SET LOCAL statement_timeout = DEFAULT")
    except OperationalError as error:
        if timed_out(error):
            raise StatementTimeout from error
        raise


def timed_out(error):
    """Whether a database error is PostgreSQL cancelling a statement past its time limit."""
    return isinstance(error.__cause__, QueryCanceled)


def libpq_environment(settings_dict):
    """The environment libpq programs read: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env
