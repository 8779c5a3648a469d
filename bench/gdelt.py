"""
How fast `manage.py import_gdelt` loads a GDELT 2.0 events file, in lines per second:

    make bench-gdelt [GDELT_LINES=500000]                     # a throwaway cluster
    DATABASE_URL=postgres://…/scratch .venv/bin/python -m bench.gdelt  # keeps the events

It migrates the database, writes a synthetic events file of that many lines (61
columns as the GDELT 2.0 Event Codebook lists them, ids from 1,000,000,001 on, about
three events per source URL, some place names not in ASCII) into a temporary folder,
imports it (every line new), then imports it again (every line a duplicate), and prints
the time and lines per second of each. `make bench-gdelt` runs it on a throwaway
PostgreSQL cluster (scripts/with-postgres).

event_lines() is also what tests/test_gdelt_import.py makes its large file with.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

# (CAMEO country code, FIPS 10-4 code, actor name, places as GDELT names them)
COUNTRIES = [
    ("SRB", "RI", "SERBIA", ["Belgrade, Serbia (general), Serbia", "Niš, Central Serbia, Serbia"]),
    ("CHN", "CH", "CHINA", ["Beijing, Beijing, China", "Shanghai, Shanghai, China"]),
    ("USA", "US", "UNITED STATES", ["Washington, District of Columbia, United States"]),
    ("RUS", "RS", "RUSSIA", ["Moscow, Moskva, Russia", "Rostov-on-Don, Rostov, Russia"]),
    ("UKR", "UP", "UKRAINE", ["Kyiv, Kyyiv, Misto, Ukraine", "Odesa, Odes'ka Oblast', Ukraine"]),
    ("DEU", "GM", "GERMANY", ["Berlin, Berlin, Germany", "München, Bayern, Germany"]),
    ("TUR", "TU", "TURKEY", ["Ankara, Ankara, Turkey", "İzmir, İzmir, Turkey"]),
    ("HUN", "HU", "HUNGARY", ["Budapest, Budapest, Hungary"]),
]
EVENT_CODES = [
    ("042", "042", "04", 1, 1.9),
    ("043", "043", "04", 1, 2.8),
    ("057", "057", "05", 1, 8.0),
    ("062", "062", "06", 2, 7.4),
    ("0312", "031", "03", 1, 5.2),
    ("111", "111", "11", 3, -2.0),
    ("163", "163", "16", 4, -8.0),
    ("190", "190", "19", 4, -10.0),
]
FIRST_ID = 1_000_000_001


def event_lines(count, first_id=FIRST_ID, seed=1):
    """`count` events lines (bytes, newline included), one at a time."""
    rng = random.Random(seed)
    day = datetime.date(2025, 5, 8)
    for n in range(count):
        event_id = first_id + n
        code, base, root, quad, goldstein = rng.choice(EVENT_CODES)
        (c1, f1, name1, places1), (c2, f2, name2, _) = rng.sample(COUNTRIES, 2)
        place = rng.choice(places1)
        when = day - datetime.timedelta(days=rng.randrange(3))
        mentions = rng.randrange(1, 60)
        columns = [
            str(event_id),
            when.strftime("%Y%m%d"),
            when.strftime("%Y%m"),
            when.strftime("%Y"),
            f"{when.year + (when.month * 30 + when.day) / 365:.4f}",
            *(c1, name1, c1, "", "", "", "", "", "", ""),
            *(c2 + "GOV", name2, c2, "", "", "", "", "GOV", "", ""),
            str(rng.randrange(2)),
            code,
            base,
            root,
            str(quad),
            str(goldstein),
            str(mentions),
            str(rng.randrange(1, mentions + 1)),
            str(mentions),
            f"{rng.uniform(-10, 10):.6f}",
            *("1", name1.title(), f1, f1, "", "44", "20", f1),
            *("1", name2.title(), f2, f2, "", "39", "116", f2),
            *("4", place, f1, f1 + "00", "12345", "44.8186", "20.4681", "-74897"),
            day.strftime("%Y%m%d") + "120000",
            f"https://news{event_id // 3 % 97}.example/{event_id // 3}/story.html",
        ]
        yield ("\t".join(columns) + "\n").encode()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=500_000, help="events lines to import")
    options = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a PostgreSQL database (make bench-gdelt does)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsclaims.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "20250508120000.export.CSV"
        with path.open("wb") as out:
            out.writelines(event_lines(options.lines))
        size = path.stat().st_size
        print(f"{options.lines:,} events lines, {size / 1e6:.0f} MB, into PostgreSQL")
        for run in ("new", "again"):
            started = time.perf_counter()
            call_command("import_gdelt", str(path), stdout=sys.stdout, stderr=sys.stderr)
            seconds = time.perf_counter() - started
            rate = options.lines / seconds
            print(f"{run}: {seconds:.1f} s, {rate:,.0f} lines/s")


if __name__ == "__main__":
    main()
