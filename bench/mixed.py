"""
The mixed workload: what readers do, measured per page type, while an editor saves.

`python -m bench.run mixed` (the headline of `make bench`), or `python -m bench.run
edits` (an editor saving every second, for the admin save target, after 20 s of the
same editor alone to compare with). In one run:

1. URLs: about 3,000 distinct ones drawn from the data set's own distribution (seeded,
   so the same data set and seed give the same list): claims lists with 1–3 filters
   whose values follow the data (countries and actors weighted by their claim counts,
   further filters taken from a claim that has the first one, so they co-occur),
   country pages, pages of co-occurring country pairs, claim and article pages, actor
   and event pages, searches for words of published statements; a page number from
   1–20 with a long tail, never past the URL's last page. Each distinct URL keeps the
   number of times it was drawn as its weight, so requests follow the mix (55% lists,
   15% countries…) and popular pages are asked for more often. The list is saved
   beside the report (`--urls-from` replays it).
2. Floors with the same client: the fixed response and the one-query view.
3. The editor (bench/editor.py) in its own process, saving a published claim through
   the admin every `--editor-interval` seconds, while 8 Python threads (each with its
   own http.client connection) request random URLs of the list for `--mixed-duration`
   seconds; latency runs from sending the request to its last byte. wrk cannot report
   latency per kind of URL, hence Python: the report says how much CPU it used.
4. Two servers: a second gunicorn on another port, same database; ~10 edits made
   in-process through the admin's change form, each polled on the claim's page on both
   servers until it shows, then checked again on every worker.
5. The report: per page type count, p50/p95/p99/max, 5xx, "not exact" (a facet was
   left out: the page says "Not counted"), the floors, the editor's saves, the
   visibility of edits, workers' memory, the load average and CPU used by whom.
"""

import collections
import dataclasses
import datetime
import http.client
import itertools
import json
import math
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench import run as bench

PER_PAGE = 20
# Requests per page type, as readers spread them.
MIX = {
    "claims list": 0.55,
    "country": 0.15,
    "country pair": 0.10,
    "claim": 0.06,
    "article": 0.04,
    "actor": 0.025,
    "event": 0.025,
    "search": 0.05,
    "map": 0.05,
}
# The report's rows, in this order.
PAGE_TYPES = [
    "claims list, 1 filter",
    "claims list, 2 filters",
    "claims list, 3 filters",
    "country",
    "country pair",
    "claim",
    "article",
    "actor",
    "event",
    "search",
    "map",
]
FILTER_COUNTS = {1: 50, 2: 35, 3: 15}
# Which filter a claims list starts from; the others are taken from a claim having it.
FIRST_FILTER = {
    "country": 35,
    "actor": 15,
    "kind": 12,
    "date": 12,
    "event": 10,
    "source": 8,
    "verification": 8,
}
# Page numbers 1–20: 70% page 1, then weights 1/n^1.5.
MAX_PAGE = 20
PAGE_WEIGHTS = [0.7] + [
    0.3 * n**-1.5 / sum(k**-1.5 for k in range(2, MAX_PAGE + 1)) for n in range(2, MAX_PAGE + 1)
]
SAMPLE_CLAIMS = 40_000
SAMPLE_ARTICLES = 5_000
# Too common to search for (PostgreSQL's english configuration drops most anyway), and
# "edited", which bench/editor.py adds to statements.
STOP_WORDS = {
    "about", "after", "against", "also", "among", "amid", "been", "before", "being",
    "between", "during", "edited", "from", "have", "into", "more", "over", "said", "says", "some",
    "than", "that", "their", "them", "then", "there", "these", "they", "this", "those",
    "under", "were", "what", "when", "which", "while", "will", "with", "would",
}  # fmt: skip
NOT_EXACT = b"Not counted"
FLOOR_SECONDS = 5
VISIBILITY_EDITS = 10
# `edits`: the editor first saves alone this long, for comparison on the same machine.
EDITOR_ALONE_SECONDS = 20
VISIBLE_WITHIN_S = 1.0
ADMIN_SAVE_P95_MS = 100


def say(message):
    bench.say(message)


def weighted(rng, choices):
    """A key of {key: weight}."""
    keys = list(choices)
    return rng.choices(keys, weights=[choices[key] for key in keys])[0]


def percentile(ordered, fraction):
    """Nearest rank of an already sorted list."""
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# --- picking URLs from the data ---------------------------------------------------------


class Weighted:
    """Values drawn with weights, drawing fast from many (10,000 actors)."""

    def __init__(self, pairs):
        pairs = [(value, weight) for value, weight in pairs if weight > 0]
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def __bool__(self):
        return bool(self.values)

    def pick(self, rng):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


@dataclasses.dataclass
class Sampled:
    """A published claim of the sample: what its filters and pages are made of."""

    pk: int
    slug: str
    statement: str
    verification: str
    facets: dict


class Picker:
    """Draws readers' URLs from the data set (Django set up with the bench settings)."""

    def __init__(self, seed):
        from django.db.models import Max, Min

        from articles.models import Actor, Article, Claim, Country, Event, Source

        self.rng = random.Random(seed)
        rng = self.rng
        self.countries = {
            pk: (code.lower(), n)
            for pk, code, n in Country.objects.public()
            .order_by("pk")
            .values_list("pk", "code", "claim_count")
        }
        self.actors = {
            pk: (slug, n)
            for pk, slug, n in Actor.objects.public()
            .order_by("pk")
            .values_list("pk", "slug", "claim_count")
        }
        self.events = {
            pk: (slug, n)
            for pk, slug, n in Event.objects.public()
            .order_by("pk")
            .values_list("pk", "slug", "claim_count")
        }
        self.sources = dict(Source.objects.public().order_by("pk").values_list("pk", "slug"))
        # A uniform sample of published claims: random ids, the published ones kept.
        bounds = Claim.objects.aggregate(low=Min("pk"), high=Max("pk"))
        ids = range(bounds["low"], bounds["high"] + 1)
        wanted = sorted(rng.sample(ids, min(SAMPLE_CLAIMS, len(ids))))
        self.sample = []
        for chunk in itertools.batched(wanted, 5000):
            rows = (
                Claim.objects.published()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", "slug", "statement", "verification", "facets")
            )
            self.sample += [Sampled(*row) for row in rows]
        bounds = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
        ids = range(bounds["low"], bounds["high"] + 1)
        wanted = sorted(rng.sample(ids, min(SAMPLE_ARTICLES, len(ids))))
        self.articles = list(
            Article.objects.published()
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", "slug")
        )
        # Which sampled claims have each filter value, and how often values occur.
        self.having = collections.defaultdict(list)
        pairs, frequency = collections.Counter(), collections.defaultdict(collections.Counter)
        for index, claim in enumerate(self.sample):
            for value in self.values(claim):
                self.having[value].append(index)
                frequency[value[0]][value[1]] += 1
            countries = [c for c in claim.facets["countries"] if c in self.countries]
            pairs.update(itertools.combinations(sorted(countries), 2))
        self.first_values = {
            "country": Weighted((pk, n) for pk, (_, n) in self.countries.items()),
            "actor": Weighted((pk, n) for pk, (_, n) in self.actors.items()),
            "event": Weighted((pk, n) for pk, (_, n) in self.events.items()),
            **{
                name: Weighted(sorted(frequency[name].items()))
                for name in ("kind", "verification", "year", "source")
            },
        }
        self.pairs = Weighted(sorted(pairs.items()))
        self.country_pages = Weighted((pk, n) for pk, (_, n) in self.countries.items())
        self.actor_pages = self.first_values["actor"]
        self.event_pages = self.first_values["event"]
        self.counted = {}  # claims list query string → matches (up to 20 pages)
        self.timed_out = 0

    def values(self, claim):
        """(filter, value) pairs a sampled claim can be found by."""
        facets = claim.facets
        values = [("kind", facets["kind"]), ("verification", claim.verification)]
        values += [("country", pk) for pk in facets["countries"] if pk in self.countries]
        values += [("actor", pk) for pk in facets["actors"] if pk in self.actors]
        values += [("source", pk) for pk in facets["sources"] if pk in self.sources]
        if facets["event"] in self.events:
            values.append(("event", facets["event"]))
        if facets["occurred_on"]:
            values.append(("year", int(facets["occurred_on"][:4])))
        return values

    # Each page type: (page type, path).

    def draw(self, kind):
        return getattr(self, kind.replace(" ", "_"))()

    def claims_list(self):
        rng = self.rng
        wanted = weighted(rng, FILTER_COUNTS)
        first = weighted(rng, FIRST_FILTER)
        name = "year" if first == "date" else first
        if not self.first_values[name]:  # none in this data set (no sources…)
            name = "country"
        value = self.first_values[name].pick(rng)
        anchor = self.anchor(name, value)
        chosen = [(name, value)]
        if anchor is not None:
            # Further filters from a claim that has the first one: values that co-occur,
            # so the list is not empty.
            others = [v for v in self.values(anchor) if v != (name, value)]
            rng.shuffle(others)
            for other in others:
                if len(chosen) == wanted:
                    break
                repeatable = other[0] in ("country", "actor")
                if repeatable or all(other[0] != c[0] for c in chosen):
                    chosen.append(other)
        params = []
        for filter_name, filter_value in chosen:
            params += self.parameters(filter_name, filter_value, anchor)
        roll = rng.random()
        if roll < 0.04:
            params.append(("sort", "added"))
        elif roll < 0.08:
            params.append(("sort", "sourced"))
        page = self.page_within(self.list_matches(params))
        label = f"claims list, {len(chosen)} filter{'s' if len(chosen) > 1 else ''}"
        return label, "/claims/?" + urllib.parse.urlencode(params + page_parameter(page))

    def parameters(self, name, value, anchor):
        if name == "country":
            return [("country", self.countries[value][0])]
        if name == "actor":
            return [("actor", self.actors[value][0])]
        if name == "event":
            return [("event", self.events[value][0])]
        if name == "source":
            return [("source", self.sources[value])]
        if name in ("kind", "verification"):
            return [(name, value)]
        # A year, a month of it, or everything since it.
        roll = self.rng.random()
        day = anchor.facets["occurred_on"] if anchor is not None else None
        if roll < 0.25 and day and day.startswith(str(value)):
            return [("from", day[:7]), ("to", day[:7])]
        if roll < 0.4:
            return [("from", str(value))]
        return [("from", str(value)), ("to", str(value))]

    def anchor(self, name, value):
        """A sampled claim with this filter value, or one found in the database."""
        if found := self.having.get((name, value)):
            return self.sample[self.rng.choice(found)]
        from articles.models import Claim, ClaimActor

        if name == "actor":
            ids = ClaimActor.objects.filter(actor_id=value, claim__status="published")
            ids = ids.order_by("claim_id").values_list("claim_id", flat=True)[:100]
        elif name == "event":
            ids = Claim.objects.published().filter(event_id=value)
            ids = ids.order_by("pk").values_list("pk", flat=True)[:100]
        else:
            return None
        ids = list(ids)
        if not ids:
            return None
        row = (
            Claim.objects.filter(pk=self.rng.choice(ids))
            .values_list("pk", "slug", "statement", "verification", "facets")
            .first()
        )
        return Sampled(*row)

    def page_within(self, matches):
        """A page number from the long tail, no further than the last page of `matches`."""
        page = self.rng.choices(range(1, MAX_PAGE + 1), weights=PAGE_WEIGHTS)[0]
        if page == 1:
            return 1
        last = max(1, math.ceil(matches() / PER_PAGE))
        return min(page, last)

    def list_matches(self, params):
        """How many claims the list matches, up to 20 pages' worth; counted when needed."""

        def count():
            key = urllib.parse.urlencode(params)
            if key not in self.counted:
                self.counted[key] = self.count_claims(params)
            return self.counted[key]

        return count

    def count_claims(self, params):
        """How many claims a list matches, as the site counts them (the read index)."""
        from django.test import RequestFactory

        from articles import listing

        found = listing.find(RequestFactory().get("/claims/", params))
        return found.total if found.valid else 0

    def time_boxed(self, count):
        """count(), or 0 (page 1 only) when it takes more than a second."""
        from articles.pg import StatementTimeout, statement_timeout

        try:
            with statement_timeout("1s"):
                return count()
        except StatementTimeout:
            self.timed_out += 1
            return 0

    def country(self):
        pk = self.country_pages.pick(self.rng)
        code, n = self.countries[pk]
        page = self.page_within(lambda: n)
        return "country", f"/countries/{code}/" + query(page_parameter(page))

    def country_pair(self):
        from articles.models import Claim

        pair = list(self.pairs.pick(self.rng))
        self.rng.shuffle(pair)
        a, b = (self.countries[pk][0] for pk in pair)

        def count():
            key = f"pair {a} {b}"
            if key not in self.counted:
                rows = Claim.objects.published().involving(a, b).order_by().values("pk")
                self.counted[key] = self.time_boxed(rows[: MAX_PAGE * PER_PAGE].count)
            return self.counted[key]

        page = self.page_within(count)
        return "country pair", f"/countries/{a}/{b}/" + query(page_parameter(page))

    def claim(self):
        from django.urls import reverse

        claim = self.rng.choice(self.sample)
        return "claim", reverse("claim_detail", args=[claim.pk, claim.slug])

    def article(self):
        from django.urls import reverse

        pk, slug = self.rng.choice(self.articles)
        return "article", reverse("article_detail", args=[pk, slug])

    def actor(self):
        slug, n = self.actors[self.actor_pages.pick(self.rng)]
        page = self.page_within(lambda: n)
        return "actor", f"/actors/{slug}/" + query(page_parameter(page))

    def event(self):
        slug, n = self.events[self.event_pages.pick(self.rng)]
        page = self.page_within(lambda: n)
        return "event", f"/events/{slug}/" + query(page_parameter(page))

    def search(self):
        rng = self.rng
        claim = rng.choice(self.sample)
        words = sorted(
            {
                word.lower()
                for word in re.findall(r"[^\W\d_]{4,}", claim.statement)
                if word.lower() not in STOP_WORDS
            }
        )
        if not words:
            return self.search()
        words = rng.sample(words, min(len(words), 1 if rng.random() < 0.6 else 2))
        params = [("q", " ".join(words))]
        page = self.page_within(self.list_matches(params))
        return "search", "/claims/?" + urllib.parse.urlencode(params + page_parameter(page))

    def map(self):
        # The map of a claims list's filters, as the list shows it (no page, no sort).
        _, path = self.claims_list()
        params = [
            (key, value)
            for key, value in urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query)
            if key not in ("page", "sort")
        ]
        return "map", "/claims/map.svg" + query(params)


def page_parameter(page):
    return [("page", str(page))] if page > 1 else []


def query(params):
    return "?" + urllib.parse.urlencode(params) if params else ""


def pick_urls(count, seed):
    """
    About `count` distinct URLs: [(page type, weight, path)], weight = times drawn. Draws
    follow MIX until `count` distinct URLs have come up.
    """
    started = time.monotonic()
    picker = Picker(seed)
    say(
        f"mixed: sampled {len(picker.sample):,} published claims and {len(picker.articles):,} "
        f"articles in {time.monotonic() - started:.1f} s"
    )
    drawn, draws = {}, 0
    while len(drawn) < count and draws < 50 * count:
        draws += 1
        label, path = picker.draw(weighted(picker.rng, MIX))
        drawn.setdefault(path, [label, 0])[1] += 1
    say(
        f"mixed: {len(drawn):,} distinct URLs from {draws:,} draws in "
        f"{time.monotonic() - started:.1f} s ({picker.timed_out} counts timed out: page 1)"
    )
    return [(label, weight, path) for path, (label, weight) in drawn.items()]


def save_urls(urls, path, seed):
    lines = [
        f"# newsclaims mixed workload: {len(urls)} URLs drawn {sum(w for _, w, _ in urls)} "
        f"times (seed {seed}); page type, times drawn (the weight of requests), path",
        *(f"{label}\t{weight}\t{url}" for label, weight, url in urls),
    ]
    path.write_text("\n".join(lines) + "\n")


def load_urls(path):
    urls = []
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            label, weight, url = line.split("\t")
            urls.append((label, int(weight), url))
    return urls


# --- the load -------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    path: str
    started: float  # seconds since the load began
    ms: float
    status: int  # 0: no response (socket error, timeout)
    not_exact: bool
    size: int


def drive(port, urls, connections, seconds, seed):
    """
    `connections` threads, each with its own connection, requesting URLs of `urls`
    [(page type, weight, path)] at random by weight for `seconds`. Returns
    ({page type: [Outcome]}, wall seconds, client CPU seconds).
    """
    cumulative = list(itertools.accumulate(weight for _, weight, _ in urls))
    results = [collections.defaultdict(list) for _ in range(connections)]
    ready = threading.Barrier(connections + 1)
    clock = {}

    def client(index):
        rng = random.Random(f"{seed}-{index}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = results[index]
        ready.wait()
        begin, deadline = clock["begin"], clock["deadline"]
        while (sent := time.perf_counter()) < deadline:
            label, _, path = rng.choices(urls, cum_weights=cumulative)[0]
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                body, status = b"", 0
            mine[label].append(
                Outcome(
                    path,
                    sent - begin,
                    (time.perf_counter() - sent) * 1000,
                    status,
                    NOT_EXACT in body,
                    len(body),
                )
            )
        connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    clock["begin"] = time.perf_counter()
    clock["deadline"] = clock["begin"] + seconds
    ready.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - clock["begin"]
    merged = collections.defaultdict(list)
    for result in results:
        for label, outcomes in result.items():
            merged[label] += outcomes
    return merged, wall, time.process_time() - cpu


def summary(outcomes):
    times = sorted(o.ms for o in outcomes)
    return {
        "requests": len(outcomes),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "max": times[-1] if times else float("nan"),
        "mean": sum(times) / len(times) if times else float("nan"),
        "5xx": sum(1 for o in outcomes if o.status >= 500),
        "other": sum(1 for o in outcomes if o.status != 200 and not o.status >= 500),
        "not_exact": sum(1 for o in outcomes if o.not_exact),
        "kb": sum(o.size for o in outcomes) / max(1, len(outcomes)) / 1024,
    }


def floors(server, floor_id, connections, seconds):
    results = {}
    for name, path in [
        ("fixed response", "/bench/floor/static/"),
        ("one indexed query", f"/bench/floor/query/?id={floor_id}"),
    ]:
        outcomes, wall, cpu = drive(server.port, [(name, 1, path)], connections, seconds, 0)
        stats = summary(outcomes[name])
        stats.update(rps=stats["requests"] / wall, cpu=cpu, wall=wall, path=path)
        results[name] = stats
        say(f"mixed: floor {name}: {stats['rps']:.0f} req/s, p95 {stats['p95']:.1f} ms")
    return results


# --- CPU: who used the machine --------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")
# The servers' and the editor's database connections say who they are, so that the CPU
# PostgreSQL spends on them can be told from what other work asks of the same server.
APPLICATION_NAME = "newsclaims-bench-mixed"


def tagged(database_url):
    """The URL with application_name set (dj-database-url passes it on to libpq)."""
    parts = urllib.parse.urlsplit(database_url)
    query = urllib.parse.parse_qsl(parts.query) + [("application_name", APPLICATION_NAME)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@dataclasses.dataclass
class Process:
    parent: int
    ticks: int  # its own CPU (user + system)
    reaped: int  # that of its children that have ended and been waited for


def cpu_snapshot():
    """Ticks used so far by the machine (all cores), and by each process."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    processes = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            processes[int(entry.name)] = Process(
                int(stat[1]), int(stat[11]) + int(stat[12]), int(stat[13]) + int(stat[14])
            )
    return {"machine": sum(fields) - fields[3] - fields[4], "processes": processes}


def bench_backends():
    """Process ids of PostgreSQL's backends serving the bench's servers and editor."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME]
        )
        return [pid for (pid,) in cursor.fetchall()]


def cpu_used(before, after, server, backends):
    """
    Seconds of CPU between two snapshots: the machine's, gunicorn's, PostgreSQL's (the
    whole server, when it runs here: its processes, and those that ended, such as
    parallel query workers, through what the postmaster reaped) and that of the bench's
    own connections to it.
    """

    def ticks(pids, reaped=()):
        total = 0
        for pid in pids:
            then = before["processes"].get(pid)
            now = after["processes"].get(pid)
            if now is not None:
                total += now.ticks - (then.ticks if then else 0)
            if pid in reaped and now is not None:
                total += now.reaped - (then.reaped if then else 0)
        return total / TICKS

    def family(parent):
        return {parent} | {
            pid
            for snapshot in (before, after)
            for pid, process in snapshot["processes"].items()
            if process.parent == parent
        }

    used = {
        "machine": (after["machine"] - before["machine"]) / TICKS,
        "gunicorn": ticks([server.process.pid, *server.worker_pids()]),
        "postgresql": None,
        "bench connections": ticks(backends),
    }
    postmasters = {after["processes"][pid].parent for pid in backends if pid in after["processes"]}
    if len(postmasters) == 1:
        postmaster = postmasters.pop()
        used["postgresql"] = ticks(family(postmaster), reaped={postmaster})
    return used


# --- the editor -----------------------------------------------------------------------


class Editor:
    """bench/editor.py in a subprocess; started, then waited for until it is ready."""

    def __init__(self, env, interval, duration, seed):
        self.command = [
            bench.PYTHON, "-m", "bench.editor", "--interval", str(interval),
            "--duration", str(duration), "--seed", str(seed),
        ]  # fmt: skip
        self.env = env
        self.errors = []
        self.ready = threading.Event()

    def start(self, timeout=600):
        self.process = subprocess.Popen(
            self.command,
            cwd=bench.ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

        def read_errors():
            for line in self.process.stderr:
                if line.strip() == "bench.editor: ready":
                    self.ready.set()
                else:
                    self.errors.append(line)
            self.ready.set()  # it ended: no use waiting

        threading.Thread(target=read_errors, daemon=True).start()
        if not self.ready.wait(timeout) or self.process.poll() is not None:
            self.stop()
            sys.exit("bench: the editor did not start:\n" + "".join(self.errors[-20:]))

    def result(self, timeout=600):
        output, _ = self.process.communicate(timeout=timeout)
        if self.process.returncode:
            sys.exit("bench: the editor failed:\n" + "".join(self.errors[-20:]))
        return json.loads(output.strip().splitlines()[-1])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


# --- visibility across two servers ----------------------------------------------------


def visibility(servers, claim_ids, seed, edits=VISIBILITY_EDITS):
    """
    Edit claims in-process through the admin's change form, then poll each claim's page
    on every server until it shows the edit: half the edits add a marker word to the
    statement, the other half take it off again (the data set is left as it was).
    Returns {server port: [seconds until visible]}, and how many answers were stale once
    the edit had shown on their server, of how many.
    """
    from articles.models import Claim
    from bench import editor

    client = editor.editor_client()
    rng = random.Random(f"visibility-{seed}")
    seen = {server.port: [] for server in servers}
    stale, checked = 0, 0
    for pk in rng.sample(claim_ids, max(1, edits // 2)):
        claim = Claim.objects.get(pk=pk)
        original = claim.statement
        marker = f"visible{rng.randrange(16**8):08x}".encode()
        path = claim.get_absolute_url()
        try:
            for statement, shown in [
                (f"{original[:390]} {marker.decode()}", True),
                (original, False),
            ]:
                for server in servers:  # the page as it is, cached on each server
                    bench.fetch(server.url(path))
                response = editor.save(client, Claim.objects.get(pk=pk), statement)
                if response.status_code != 302:
                    sys.exit(f"bench: saving claim {pk} answered {response.status_code}")
                saved = time.monotonic()
                polls = {}
                threads = [
                    threading.Thread(target=poll, args=(server, path, marker, shown, saved, polls))
                    for server in servers
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                for server in servers:
                    seconds, stale_answers = polls[server.port]
                    seen[server.port].append(seconds)
                    stale += stale_answers
                    checked += RECHECKS
        finally:
            current = Claim.objects.get(pk=pk)
            if current.statement != original:
                editor.save(client, current, original)
    return seen, stale, checked


RECHECKS = 12


def poll(server, path, marker, shown, saved, polls):
    """
    Ask `server` for `path` until whether it holds `marker` is `shown`; then RECHECKS
    times more (each request connects anew, so any worker may answer) to count stale
    answers. Sets polls[port] = (seconds after `saved`, stale answers).
    """
    seconds = float("inf")
    while time.monotonic() < saved + 30:
        _, body = bench.fetch(server.url(path))
        if (marker in body) == shown:
            seconds = time.monotonic() - saved
            break
        time.sleep(0.01)
    answers = [bench.fetch(server.url(path))[1] for _ in range(RECHECKS)]
    polls[server.port] = (seconds, sum((marker in body) != shown for body in answers))


# --- the run --------------------------------------------------------------------------


def warm_up(server, connections, rounds=3):
    """
    Every worker loads the read index (saved by rebuild_index) at its first page, as a
    server's workers do after a deploy: a few rounds of `connections` pages at once keep
    every worker busy, so that the measured requests find it loaded.
    """
    started = time.monotonic()
    for round_ in range(rounds):
        threads = [
            threading.Thread(
                target=bench.fetch, args=(server.url(f"/claims/?page={n + 2 + round_}"),)
            )
            for n in range(connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    say(f"mixed: warm-up, every worker's read index loaded ({time.monotonic() - started:.1f} s)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers_rss(server):
    return {pid: bench.memory_kb(pid, "VmRSS") / 1024 for pid in server.worker_pids()}


def run(args, setup, edits_only=False):
    """
    The mixed workload against `setup` (bench.run.prepared()): returns the report's
    text and writes it, with the URL list, into bench/results/.
    """
    from django.db import connection

    interval = args.editor_interval or (1 if edits_only else 10)
    stamp = f"{datetime.datetime.now():%Y%m%d-%H%M%S}"
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    if args.urls_from:
        urls = load_urls(args.urls_from)
        urls_file = Path(args.urls_from)
        say(f"mixed: {len(urls):,} URLs from {urls_file}")
    else:
        say(f"mixed: picking {args.mixed_urls:,} URLs from the data (seed {args.mixed_seed})")
        urls = pick_urls(args.mixed_urls, args.mixed_seed)
        urls_file = bench.RESULTS / f"{stamp}-mixed-urls.tsv"
        save_urls(urls, urls_file, args.mixed_seed)
    claim_ids = sorted(
        int(m.group(1)) for _, _, path in urls if (m := re.match(r"/claims/(\d+)/", path))
    )
    floor_id = claim_ids[len(claim_ids) // 2]
    connection.close()

    env = {**setup.env, "DATABASE_URL": tagged(setup.env["DATABASE_URL"])}
    editor_env = {**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"}
    load_before = bench.load_average()
    visible = None
    with bench.Server(env, args.port, args.workers, args.threads) as server:
        warm_up(server, args.connections)
        say(f"mixed: floors, {FLOOR_SECONDS} s each")
        floor = floors(server, floor_id, args.connections, FLOOR_SECONDS)
        alone = None
        if edits_only:
            say(f"mixed: the editor alone for {EDITOR_ALONE_SECONDS} s, no readers")
            editor = Editor(editor_env, interval, EDITOR_ALONE_SECONDS, args.mixed_seed + 1)
            editor.start()
            alone = editor.result()
        say(f"mixed: starting the editor (a save every {interval:g} s)")
        editor = Editor(editor_env, interval, args.mixed_duration, args.mixed_seed)
        editor.start()
        say(f"mixed: {args.connections} connections for {args.mixed_duration} s")
        before = cpu_snapshot()
        try:
            outcomes, wall, client_cpu = drive(
                server.port, urls, args.connections, args.mixed_duration, args.mixed_seed
            )
        except BaseException:
            editor.stop()
            raise
        after = cpu_snapshot()
        cpu = cpu_used(before, after, server, bench_backends())
        saves = {**editor.result(), "alone": alone}
        load_after_readers = bench.load_average()
        rss = {"A": workers_rss(server)}
        if not edits_only and not args.no_visibility:
            second = bench.Server(env, free_port(), 2, 1)
            with second:
                say(f"mixed: visibility of {VISIBILITY_EDITS} edits on two servers")
                seen, stale, checked = visibility([server, second], claim_ids, args.mixed_seed)
                visible = {"A": seen[server.port], "B": seen[second.port]}
                visible.update(stale=stale, checked=checked, ports=(server.port, second.port))
                rss = {"A": workers_rss(server), "B": workers_rss(second)}
    text = report(
        args, setup, urls, urls_file, floor, outcomes, wall, client_cpu, cpu,
        saves, interval, visible, rss, (load_before, load_after_readers, bench.load_average()),
        edits_only,
    )  # fmt: skip
    path = bench.RESULTS / f"{stamp}-{'edits' if edits_only else 'mixed'}.txt"
    path.write_text(text)
    say(f"written to {path.relative_to(bench.ROOT)}")
    return text


# --- the report -----------------------------------------------------------------------


def ms(value):
    return f"{value:,.1f}" if value == value else "-"  # NaN: no requests


def report(
    args, setup, urls, urls_file, floor, outcomes, wall, client_cpu, cpu, saves, interval,
    visible, rss, loads, edits_only,
):  # fmt: skip
    floor_rps = floor["one indexed query"]["rps"]
    total = [o for label in outcomes for o in outcomes[label]]
    everything = summary(total)
    title = (
        "admin saves while readers load the site"
        if edits_only
        else "mixed workload (what readers do)"
    )
    drawn = collections.Counter()
    distinct = collections.Counter()
    for label, weight, _ in urls:
        drawn[label] += weight
        distinct[label] += 1
    lines = [
        f"newsclaims {title}, {bench.now()}",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in setup.info.items()),
        f"Load average before / after the readers / at the end: {' / '.join(loads)}",
        "Data set: "
        + ", ".join(
            f"{v:,} {k}" if isinstance(v, int) else f"{k} {v}" for k, v in setup.counts.items()
        ),
        f"Read index: manage.py rebuild_index took {setup.index['seconds']:.1f} s "
        f"({setup.index['says']})",
        f"Server: gunicorn {args.workers} sync workers × {args.threads} "
        f"thread{'s' if args.threads > 1 else ''}, page cache "
        f"{'off' if args.no_page_cache else 'on (as in production)'}, 127.0.0.1",
        f"URLs: {len(urls):,} distinct, drawn {sum(drawn.values()):,} times from the data "
        f"(seed {args.mixed_seed}); a request picks one with the weight it was drawn with. "
        f"List: {bench_path(urls_file)}",
        "  " + ", ".join(f"{label} {distinct[label]}" for label in PAGE_TYPES if distinct[label]),
        f"Readers: {args.connections} connections (Python threads, http.client; gunicorn's sync "
        f"workers close every connection, so each request connects anew), "
        f"{args.mixed_duration} s, after a warm-up in which each worker loads the read index; "
        "latency from sending to the "
        "last byte.",
        f"Client CPU: {client_cpu:.1f} s in {wall:.1f} s = {client_cpu / wall:.0%} of one core "
        f"(it shares the machine's {os.cpu_count()} cores with the server and PostgreSQL).",
    ]
    postgresql = cpu["postgresql"] if cpu["postgresql"] is not None else cpu["bench connections"]
    editor_cpu = saves.get("cpu_s") or 0
    others = cpu["machine"] - cpu["gunicorn"] - postgresql - client_cpu - editor_cpu
    lines.append(
        f"CPU during the readers' {wall:.0f} s, as % of one core (the machine has "
        f"{os.cpu_count() * 100}%): all {cpu['machine'] / wall:.0%} = gunicorn "
        f"{cpu['gunicorn'] / wall:.0%} + PostgreSQL {postgresql / wall:.0%}"
        + (
            f" (the whole server, parallel workers included; the bench's connections "
            f"alone {cpu['bench connections'] / wall:.0%})"
            if cpu["postgresql"] is not None
            else " (the bench's connections)"
        )
        + f" + client {client_cpu / wall:.0%} + editor {editor_cpu / wall:.0%} + everything "
        f"else on the machine {others / wall:.0%}"
    )
    description_end = len(lines)
    lines += [
        "",
        f"Floors (the same client, {args.connections} connections, {FLOOR_SECONDS} s each, "
        "before the readers):",
        f"  {'floor':<28} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'client CPU':>10}",
    ]
    for name, f in floor.items():
        lines.append(
            f"  {name:<28} {f['requests']:>8,} {f['rps']:>8.0f} {ms(f['p50']):>8} "
            f"{ms(f['p95']):>8} {ms(f['p99']):>8} {f['cpu'] / f['wall']:>10.0%}"
        )
    lines += [
        "",
        "Readers, per page type:",
        f"  {'page type':<24} {'share':>6} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'5xx':>4} {'other':>5} {'not exact':>9} {'KB':>6} "
        f"{'floor':>6}",
    ]
    rows = [label for label in PAGE_TYPES if label in outcomes]
    rows += sorted(label for label in outcomes if label not in PAGE_TYPES)
    for label in [*rows, "all"]:
        s = everything if label == "all" else summary(outcomes[label])
        # The throughput this page type alone would reach with every connection busy
        # (Little's law: connections ÷ mean latency), as a fraction of the floor's.
        capacity = args.connections / (s["mean"] / 1000) if s["requests"] else 0
        if label == "all":
            lines.append("  " + "-" * 120)
        lines.append(
            f"  {label:<24} {s['requests'] / max(1, len(total)):>6.0%} {s['requests']:>8,} "
            f"{ms(s['p50']):>8} {ms(s['p95']):>8} {ms(s['p99']):>8} {ms(s['max']):>8} "
            f"{s['5xx']:>4} {s['other']:>5} {s['not_exact']:>9} {s['kb']:>6.1f} "
            f"{capacity / floor_rps:>6.0%}"
        )
    lines += [
        "  share = of all requests; other = non-200 answers that are not 5xx (0: none, "
        'or no answer); not exact = pages saying a facet was "Not counted"; floor = '
        f"{args.connections} connections ÷ the mean latency (what this page type alone would "
        "reach with every connection busy), as a fraction of the one-query floor's req/s.",
        "",
        f"Requests/s, all pages: {everything['requests'] / wall:,.1f} = "
        f"{everything['requests'] / wall / floor_rps:.1%} of the one-query floor "
        f"({floor_rps:,.0f} req/s); {everything['5xx']} answers 5xx, "
        f"{sum(1 for o in total if o.status == 0)} without an answer.",
    ]
    failed = [o for o in total if o.status >= 500 or o.status == 0]
    if failed:
        lines.append("Failed requests (5xx or no answer), at most 10:")
        lines += [
            f"  {o.status or 'none'} after {o.ms:,.0f} ms, {o.started:.0f} s in: {o.path}"
            for o in sorted(failed, key=lambda o: o.started)[:10]
        ]
    lines.append("Slowest requests:")
    lines += [
        f"  {o.ms:,.0f} ms ({o.status}), {o.started:.0f} s in: {o.path}"
        for o in sorted(total, key=lambda o: -o.ms)[:5]
    ]
    times = saves.get("timings_ms") or []
    ok = saves["p95_ms"] is not None and saves["p95_ms"] <= ADMIN_SAVE_P95_MS
    queries = saves["queries"]
    editor_lines = [
        "",
        f"Editor (python -m bench.editor --interval {interval:g} --duration "
        f"{args.mixed_duration}, its own process, the admin's change form through Django's "
        f"test client, after {saves.get('warmup_saves', 0)} untimed save): "
        f"{saves['saves']} saves, {saves['failures']} failed; p50 {saves['p50_ms']} ms, "
        f"p95 {saves['p95_ms']} ms, max {saves['max_ms']} ms "
        f"(target p95 ≤ {ADMIN_SAVE_P95_MS} ms with readers loading the site: "
        f"{'ok' if ok else 'MISSED'}); queries per save "
        f"{min(queries) if queries else '-'}–{max(queries) if queries else '-'} "
        f"(median {saves.get('queries_median')}); change-log moves per save "
        f"{', '.join(map(str, saves['change_seq_moves']))}; editor CPU {saves.get('cpu_s')} s.",
        f"  Each save: {', '.join(f'{t:.0f}' for t in times)} ms.",
    ]
    if alone := saves.get("alone"):
        ratio = saves["p95_ms"] / alone["p95_ms"] if alone["p95_ms"] else float("nan")
        editor_lines.append(
            f"  The same editor alone just before ({EDITOR_ALONE_SECONDS} s, no readers, other "
            f"claims): {alone['saves']} saves, p50 {alone['p50_ms']} ms, p95 "
            f"{alone['p95_ms']} ms, max {alone['max_ms']} ms; with readers p95 is "
            f"{ratio:.1f}× that."
        )
    if edits_only:  # the headline: right after the run's description
        lines[description_end:description_end] = editor_lines
    else:
        lines += editor_lines
    if visible:
        lines.append("")
        for name, port in zip(("A", "B"), visible["ports"], strict=True):
            seconds = sorted(visible[name])
            ok = seconds and seconds[-1] <= VISIBLE_WITHIN_S
            lines.append(
                f"Visibility on server {name} (port {port}"
                + (", the one loaded above" if name == "A" else ", a second gunicorn, 2 workers")
                + f"): {len(seconds)} edits, seconds from the save's answer until the claim's "
                f"page shows it: p50 {percentile(seconds, 0.5):.3f}, max {seconds[-1]:.3f} "
                f"(target ≤ {VISIBLE_WITHIN_S:g} s: {'ok' if ok else 'MISSED'})"
            )
        lines.append(
            f"  Edits made in-process through the admin's change form (a marker word added "
            f"to a published claim's statement, then taken off), the page cached on both "
            f"servers before each; once shown, {visible['checked']} more answers from any "
            f"worker: {visible['stale']} stale."
        )
    lines.append("")
    for name, values in rss.items():
        lines.append(
            f"Worker RSS (VmRSS) at the end, server {name}: max {max(values.values()):.0f} MB "
            f"({', '.join(f'{mb:.0f}' for mb in values.values())})"
        )
    urls_option = (
        f"--urls-from {bench_path(urls_file)}"
        if args.urls_from
        else f"--mixed-urls {args.mixed_urls} --mixed-seed {args.mixed_seed}"
    )
    lines += [
        "",
        "Reproduce: .venv/bin/python -m bench.run "
        + ("edits" if edits_only else "mixed")
        + f" --claims {args.claims} --seed {args.seed} --mixed-duration {args.mixed_duration} "
        f"{urls_option} --editor-interval {interval:g} --connections {args.connections} "
        f"--workers {args.workers}"
        + (f" --threads {args.threads}" if args.threads != 1 else "")
        + ("" if args.urls_from else f"  (the same URLs: --urls-from {bench_path(urls_file)})"),
    ]
    return "\n".join(lines) + "\n"


def bench_path(path):
    path = Path(path).resolve()
    return str(path.relative_to(bench.ROOT)) if path.is_relative_to(bench.ROOT) else str(path)
