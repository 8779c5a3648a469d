"""
PostgreSQL helpers: time-boxed statements, the statement timeout of a whole request, and
running PostgreSQL's own programs (pg_dump, pg_restore) with Django's connection settings.
"""

import os
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
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


# What the session's statement_timeout may differ from: nothing is known about it.
UNKNOWN = object()


def use_statement_timeout(milliseconds, using=DEFAULT_DB_ALIAS):
    """
    Make `milliseconds` the statement timeout of every statement that follows on this
    thread's connection (None: the server's own setting), until another call: now if the
    connection is open, otherwise as soon as it opens. Elsewhere (SQLite) there is none.

    Connections outlive requests (CONN_MAX_AGE), so each request says which limit it
    runs under, and a SET is sent only when the session has another: consecutive public
    requests pay nothing. It goes through the driver's own cursor, as Django's session
    setup does (SET ROLE, the time zone): connection state, not one of a page's queries.
    """
    db = connections[using]
    if db.vendor != "postgresql":
        return
    db.wanted_statement_timeout = milliseconds
    if db.connection is not None:
        # Django checks a persistent connection before its first use in a request: if
        # it is gone, the limit is set on the new one (statement_timeout_on_connect).
        db.close_if_health_check_failed()
        if db.connection is not None:
            set_statement_timeout(db)


@receiver(connection_created)
def statement_timeout_on_connect(sender, connection, **kwargs):
    if hasattr(connection, "wanted_statement_timeout"):
        connection.session_statement_timeout = UNKNOWN
        set_statement_timeout(connection)


def set_statement_timeout(db):
    wanted = db.wanted_statement_timeout
    if getattr(db, "session_statement_timeout", UNKNOWN) == wanted:
        return
    # A whole number of milliseconds: nothing to quote.
    sql = "RESET statement_timeout" if wanted is None else f"SET statement_timeout = {int(wanted)}"
    with db.wrap_database_errors, db.connection.cursor() as cursor:
        cursor.execute(sql)
    # In autocommit the SET lasts as long as the session. Inside a transaction (a test's)
    # it is undone with the transaction: send it again next time.
    db.session_statement_timeout = UNKNOWN if db.in_atomic_block else wanted


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
