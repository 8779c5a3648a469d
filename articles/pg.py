"""Running PostgreSQL's own programs (pg_dump, pg_restore) with Django's connection settings."""

import os


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
