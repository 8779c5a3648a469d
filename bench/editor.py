"""
An editor at work while readers load the site: saves published claims through the
admin's change form, one every `--interval` seconds, and reports how long each save
took (the whole request: form validation, the writes, the derived-data refresh at
commit) and how many queries it ran.

    python -m bench.editor --duration 60 --interval 1     (DATABASE_URL, bench settings)

It runs in its own process through Django's test client, so it measures the server's
work for a save without a browser; bench/mixed.py starts it beside the readers. Before
timing it saves `--warmup` claims untimed (a first save also loads the admin's code
and templates, as any worker does once), then says "ready" on standard error: the
duration counts from there. Prints one JSON object with the timings to standard
output.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EDITED = " (edited)"
READY = "bench.editor: ready"


def edited_statement(statement):
    """The statement with " (edited)" added, or taken off again: saves go back and forth."""
    if statement.endswith(EDITED):
        return statement.removesuffix(EDITED)
    return statement[: 400 - len(EDITED)] + EDITED


def change_form_data(claim, statement=None):
    """
    The POST of the claim's change form as the admin shows it, with `statement`
    (by default the statement edited).
    """
    data = {
        "statement": edited_statement(claim.statement) if statement is None else statement,
        "language": claim.language,
        "slug": claim.slug,
        "kind": claim.kind,
        "verification": claim.verification,
        "occurred_on": claim.occurred_on.isoformat() if claim.occurred_on else "",
        "date_precision": claim.date_precision,
        "place": claim.place,
        "country": claim.country_id or "",
        "event": claim.event_id or "",
        "status": claim.status,
        "_save": "Save",
    }
    inlines = {
        "roles": [
            {"id": role.pk, "claim": claim.pk, "actor": role.actor_id, "role": role.role}
            for role in claim.roles.order_by("role", "actor__name")
        ],
        "evidence": [
            {
                "id": item.pk,
                "claim": claim.pk,
                "article": item.article_id,
                "stance": item.stance,
                "quote": item.quote,
            }
            for item in claim.evidence.all()
        ],
        "links_from": [
            {
                "id": link.pk,
                "from_claim": claim.pk,
                "type": link.type,
                "to_claim": link.to_claim_id,
                "recorded_on": link.recorded_on.isoformat(),
                "note": link.note,
            }
            for link in claim.links_from.all()
        ],
        "corrections": [
            {"id": item.pk, "claim": claim.pk, "note": item.note}
            for item in claim.corrections.all()
        ],
    }
    for prefix, rows in inlines.items():
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def editor_client():
    """A test client logged in as the bench's editor (a superuser made on first use)."""
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def save(client, claim, statement=None):
    """Save `claim` through its change form (statement edited); returns the response."""
    from django.urls import reverse

    url = reverse("admin:articles_claim_change", args=[claim.pk])
    return client.post(url, change_form_data(claim, statement))


def percentile(values, fraction):
    """Nearest rank: the smallest value with at least `fraction` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def run(duration, interval, seed, warmup=1):
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse

    from articles import derived
    from articles.models import Claim

    client = editor_client()
    rng = random.Random(seed)
    ids = list(Claim.objects.published().order_by("pk").values_list("pk", flat=True))
    for _ in range(warmup):
        save(client, Claim.objects.get(pk=rng.choice(ids)))
    print(READY, file=sys.stderr, flush=True)
    queries = []

    def count(execute, *args):
        queries.append(1)
        return execute(*args)

    timings, query_counts, seq_moves, failures = [], [], [], 0
    cpu_started = time.process_time()
    deadline = time.monotonic() + duration
    with connection.execute_wrapper(count):
        while time.monotonic() < deadline:
            started_round = time.monotonic()
            # What the editor's browser asked for before (the change form) is not timed.
            claim = Claim.objects.get(pk=rng.choice(ids))
            data = change_form_data(claim)
            url = reverse("admin:articles_claim_change", args=[claim.pk])
            before = derived.change_seq()
            queries.clear()
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append((time.perf_counter() - started) * 1000)
            query_counts.append(len(queries))
            if response.status_code != 302:
                failures += 1
            seq_moves.append(derived.change_seq() - before)
            time.sleep(max(0.0, interval - (time.monotonic() - started_round)))
    return {
        "saves": len(timings),
        "failures": failures,
        "warmup_saves": warmup,
        "p50_ms": round(statistics.median(timings), 1) if timings else None,
        "p95_ms": round(percentile(timings, 0.95), 1) if timings else None,
        "max_ms": round(max(timings), 1) if timings else None,
        "timings_ms": [round(ms, 1) for ms in timings],
        "queries": sorted(set(query_counts)),
        "queries_median": statistics.median(query_counts) if query_counts else None,
        "change_seq_moves": sorted(set(seq_moves)),
        "cpu_s": round(time.process_time() - cpu_started, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1, help="untimed saves first")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    print(json.dumps(run(args.duration, args.interval, args.seed, args.warmup)))


if __name__ == "__main__":
    main()
