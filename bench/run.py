"""
The benchmark: `make bench`, or `.venv/bin/python -m bench.run [options]`.

1. Database: DATABASE_URL if set (PostgreSQL), otherwise the benchmark's own cluster in
   bench/data/ (bench/cluster.py), started if needed and stopped afterwards if this run
   started it. Its data set is kept between runs.
2. Data: migrates, then generates `--claims` claims with bench/generate.py into an
   empty database, or reuses the data set already there (bench/data/dataset.json
   records what the bench cluster holds; --regenerate starts it again).
3. Serves the site with gunicorn, production settings (DEBUG=false, a throwaway
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=false, persistent database
   connections) plus bench/urls.py's two floor views, on 127.0.0.1 only.
4. The headline, the mixed workload (bench/mixed.py): ~3,000 URLs drawn from the data
   (lists with 1–3 filters, country and pair pages, claims, articles, actors, events,
   searches), 8 connections for 60 s with the page cache on and an editor saving a
   published claim every 10 s; p50/p95/p99, 5xx and inexact facets per page type, the
   floors, the editor's save times and how soon a second server shows an edit. Written
   to bench/results/<timestamp>-mixed.txt.
5. Then (unless --mixed-only) each URL alone with wrk (8 connections, a warm-up then
   --duration seconds): p50/p95/p99 latency and requests/s, each page's throughput as a
   fraction of the one-query floor, and the SQL queries each page runs (counted
   in-process); and about 100,000 claims exported as CSV with one client (rows/s and
   the serving worker's peak memory, VmHWM, reset before the request). Written to
   bench/results/<timestamp>.txt.

Other commands:
  python -m bench.run mixed     the mixed workload only
  python -m bench.run edits     the mixed readers with an editor saving every second:
                                the admin's save times under load
  python -m bench.run single    the single-URL table and the export only
  python -m bench.run explain   EXPLAIN (ANALYZE, BUFFERS) of every query the list pages
                                run, into bench/results/<timestamp>-explain.txt
  python -m bench.run sweep     compare gunicorn worker/thread settings on a few pages
  python -m bench.run db start|stop|url
"""

import argparse
import contextlib
import csv
import dataclasses
import datetime
import http.client
import io
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cluster  # noqa: E402

ROOT = cluster.ROOT
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
DATASET = cluster.DATASET
STATIC_ROOT = cluster.DATA_DIR / "static"
READ_INDEX = cluster.DATA_DIR / "index" / "claims.npz"
LUA = ROOT / "bench" / "report.lua"

# Targets from the issue, checked in the summary.
LIST_P95_MS = 150
DETAIL_P95_MS = 50
SEARCH_P95_MS = 200
# The claims map (/claims/map.svg): p95 at 1M claims.
MAP_P95_MS = 50
FLOOR_FRACTION = 0.30
EXPORT_ROWS_PER_S = 20_000
EXPORT_PEAK_MB = 150


def say(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- environment ----------------------------------------------------------------------


def server_environment(database_url, port, extra_hosts=(), page_cache=True):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=",".join(["127.0.0.1", *extra_hosts]),
        SECURE_SSL_REDIRECT="false",
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "600"),
        STATIC_ROOT=str(STATIC_ROOT),
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
        PYTHONPATH=str(ROOT),
        PAGE_CACHE="true" if page_cache else "false",
        # Built once by `manage.py rebuild_index` (see prepared()); each worker loads it.
        READ_INDEX_PATH=str(READ_INDEX),
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def setup_django(env):
    """Django in this process (URL discovery, query counts, EXPLAIN), same settings."""
    os.environ.update(env)
    import django

    django.setup()


# --- database and data set ------------------------------------------------------------


def open_database(args):
    """DATABASE_URL, or the bench cluster (started now if needed). Returns (url, started)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
            sys.exit("bench: DATABASE_URL must be a PostgreSQL database")
        return url, False
    was_running = cluster.is_running()
    url = cluster.ensure_started()
    return url, not was_running


def dataset_counts():
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for name, table in [
            ("claims", "articles_claim"),
            ("articles", "articles_article"),
            ("evidence", "articles_evidence"),
            ("actor roles", "articles_claimactor"),
            ("country links", "articles_involvement"),
            ("actors", "articles_actor"),
            ("events", "articles_event"),
            ("sources", "articles_source"),
        ]:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[name] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM articles_claim WHERE status = 'published'")
        counts["published claims"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        counts["database size"] = cursor.fetchone()[0]
    return counts


def ensure_dataset(args, env, own_cluster):
    """Generate the data set into an empty database, or reuse the one there."""
    from articles.models import Claim

    wanted = {"claims": args.claims, "seed": args.seed}
    recorded = json.loads(DATASET.read_text()) if own_cluster and DATASET.exists() else None
    present = Claim.objects.exists()
    if present and own_cluster and args.regenerate:
        say("--regenerate: dropping and recreating the benchmark database")
        from django.db import connection

        connection.close()
        cluster.recreate_database()
        DATASET.unlink(missing_ok=True)
        manage(env, "migrate", "--noinput", "-v0")
        present, recorded = False, None
    if present:
        if own_cluster and recorded and {k: recorded.get(k) for k in wanted} != wanted:
            sys.exit(
                f"bench: the benchmark database holds another data set ({recorded}); "
                "run with --regenerate to replace it, or with its --claims/--seed"
            )
        say("reusing the data set already in the database")
        return recorded
    say(f"generating {args.claims:,} claims (seed {args.seed})")
    started = time.monotonic()
    subprocess.run(
        [PYTHON, "-m", "bench.generate", "--claims", str(args.claims), "--seed", str(args.seed)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    if own_cluster:  # recorded by bench.generate
        return json.loads(DATASET.read_text())
    return {**wanted, "seconds": round(time.monotonic() - started, 1), "generated_at": now()}


def now():
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# --- what to request ------------------------------------------------------------------


def pick_urls(args):
    """The pages to measure, with real ids from the data set: (name, kind, path)."""
    from django.db import connection
    from django.db.models import Count

    from articles.models import Article, Claim, Event

    published = Claim.objects.published()
    # A typical claim: the published claim with the median id that has 2+ quotes.
    middle = published.order_by("id").values_list("id", flat=True)
    median_id = middle[published.count() // 2]
    claim = (
        published.filter(id__gte=median_id)
        .annotate(n=Count("evidence"))
        .filter(n__gte=2)
        .order_by("id")
        .first()
    )
    article = (
        Article.objects.published()
        .filter(evidence__claim=claim)
        .order_by("published_at", "id")
        .first()
    )
    # The most covered event: the one readers are most likely to look at.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_id FROM articles_claim WHERE status = 'published' AND event_id IS "
            "NOT NULL GROUP BY event_id ORDER BY count(*) DESC, event_id LIMIT 1"
        )
        event = Event.objects.get(pk=cursor.fetchone()[0])
    q = urllib.parse.quote_plus(args.search)
    urls = [
        ("floor: fixed response", "floor", "/bench/floor/static/"),
        ("floor: one indexed query", "floor", f"/bench/floor/query/?id={claim.pk}"),
        ("home", "list", "/"),
        ("claims list", "list", "/claims/"),
        ("claims: 1 country", "list", "/claims/?country=rs"),
        ("claims: 2 countries", "list", "/claims/?country=rs&country=cn"),
        (
            "claims: country+kind+year",
            "list",
            "/claims/?country=rs&kind=military&from=2024&to=2024",
        ),
        ("claims: text search", "search", f"/claims/?q={q}"),
        ("claims: 1 country, page 1", "list", "/claims/?country=cn&page=1"),
        ("claims: 1 country, page 500", "list", "/claims/?country=cn&page=500"),
        ("claim page", "detail", claim.get_absolute_url()),
        ("article page", "detail", article.get_absolute_url()),
        ("country page", "list", "/countries/rs/"),
        ("country pair page", "list", "/countries/rs/cn/"),
        ("event page (most covered)", "detail", event.get_absolute_url()),
        ("Atom feed (country)", "list", "/countries/rs/feed/"),
        ("map: all claims", "map", "/claims/map.svg"),
        ("map: 1 country", "map", "/claims/map.svg?country=rs"),
        ("map: 2 countries", "map", "/claims/map.svg?country=rs&country=cn"),
        (
            "map: country+kind+year",
            "map",
            "/claims/map.svg?country=rs&kind=military&from=2024&to=2024",
        ),
        ("articles list", "list", "/articles/"),
        ("events list", "list", "/events/"),
        ("actors list", "list", "/actors/"),
    ]
    if args.only:
        pattern = re.compile(args.only, re.IGNORECASE)
        urls = [u for u in urls if u[1] == "floor" or pattern.search(u[0])]
    return urls


def export_query():
    """A filter selecting about 100,000 published claims: the most recent ones."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT occurred_on FROM articles_claim WHERE status = 'published' AND "
            "occurred_on IS NOT NULL ORDER BY occurred_on DESC OFFSET 99999 LIMIT 1"
        )
        row = cursor.fetchone()
    return f"?from={row[0].isoformat()}" if row else ""


def count_queries(urls):
    """
    SQL queries per page, counted in-process with the test client: the second request,
    with the page cache emptied first, so the page is rendered, not served from cache.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, _, path in urls:
        client.get(path)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[name] = (len(captured), response.status_code)
    return counts


# --- gunicorn -------------------------------------------------------------------------


class Server:
    def __init__(self, env, port, workers, threads):
        self.env, self.port = env, port
        self.workers, self.threads = workers, threads
        self.process = None

    def __enter__(self):
        command = [
            str(Path(PYTHON).parent / "gunicorn"), "newsclaims.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--timeout", "300",
            "--graceful-timeout", "5",
            "--log-level", "warning",
        ]  # fmt: skip
        self.log = open(cluster.DATA_DIR / "gunicorn.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"bench: gunicorn exited; see {self.log.name}")
            try:
                status, _ = fetch(self.url("/bench/floor/static/"))
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit("bench: gunicorn did not answer within 60 seconds")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self):
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)


def fetch(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
        return response.status, response.read()


def memory_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


# --- wrk ------------------------------------------------------------------------------


def wrk(url, seconds, connections, threads=2):
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
        "-s", str(LUA), url,
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    values = dict(item.split("=") for item in line.split()[1:])
    values = {key: int(value) for key, value in values.items()}
    seconds = values["duration_us"] / 1e6
    return {
        "requests": values["requests"],
        "rps": values["requests"] / seconds if seconds else 0,
        "p50": values["p50"] / 1000,
        "p95": values["p95"] / 1000,
        "p99": values["p99"] / 1000,
        "max": values["max"] / 1000,
        "errors": values["status_errors"] + values["socket_errors"] + values["timeouts"],
        "bytes": values["bytes"] / max(1, values["requests"]),
    }


def measure(server, urls, args):
    results = {}
    for name, kind, path in urls:
        url = server.url(path)
        started = time.monotonic()
        status, body = fetch(url, timeout=600)
        probe = time.monotonic() - started
        if status != 200:
            sys.exit(f"bench: {path} answered {status}")
        say(f"{name}: {path} (first request {probe * 1000:.0f} ms)")
        result = None
        if probe <= args.slow:
            wrk(url, args.warmup, args.connections)
            drain(server)
            result = {"mode": "wrk", **wrk(url, args.duration, args.connections)}
            drain(server)
            if result["requests"] < 10:
                result = None
        if result is None:
            # Far too slow for wrk's window to mean anything: time a few requests one
            # after the other instead (no concurrency), and say so.
            times = [probe]
            for _ in range(args.sequential - 1):
                started = time.monotonic()
                fetch(url, timeout=600)
                times.append(time.monotonic() - started)
            times.sort()
            result = {
                "mode": "seq", "requests": len(times), "rps": len(times) / sum(times),
                "p50": times[len(times) // 2] * 1000, "p95": times[-1] * 1000,
                "p99": times[-1] * 1000, "max": times[-1] * 1000, "errors": 0,
                "bytes": len(body),
            }  # fmt: skip
        results[name] = {"kind": kind, "path": path, "first": probe * 1000, **result}
        r = results[name]
        say(f"  p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, {r['rps']:.1f} req/s ({r['mode']})")
    return results


def drain(server, timeout=600):
    """Wait until the workers and the database have finished what wrk left behind."""
    from django.db import connection

    def cpu():
        total = 0
        for pid in server.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total

    deadline = time.monotonic() + timeout
    previous = cpu()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            )
            active = cursor.fetchone()[0]
        current = cpu()
        if not active and current == previous:
            return
        previous = current
    say("warning: the server was still busy after 10 minutes")


def measure_export(server, query):
    """One client downloads the CSV; rows/s and the serving worker's peak memory."""
    pids = server.worker_pids()
    baseline = {pid: memory_kb(pid, "VmRSS") for pid in pids}
    for pid in pids:
        # Writing 5 to clear_refs resets VmHWM (the peak resident set) to the current RSS.
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    path = f"/claims/export.csv{query}"
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    if response.status != 200:
        sys.exit(f"bench: {path} answered {response.status}")
    text = io.TextIOWrapper(response, encoding="utf-8-sig", newline="")
    rows = sum(1 for _ in csv.reader(text)) - 1  # the header
    seconds = time.monotonic() - started
    connection.close()
    drain(server)
    peaks = {pid: memory_kb(pid, "VmHWM") for pid in pids}
    worker = max(pids, key=lambda pid: peaks[pid] - baseline[pid])
    return {
        "path": path,
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "peak_mb": peaks[worker] / 1024,
        "baseline_mb": baseline[worker] / 1024,
    }


# --- report ---------------------------------------------------------------------------


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit",
                     "random_page_cost", "max_parallel_workers_per_gather"):  # fmt: skip
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    import django

    wrk_version = (
        subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        if shutil.which("wrk")
        else "no wrk"
    )
    gunicorn_version = subprocess.run(
        [str(Path(PYTHON).parent / "gunicorn"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{memory:.1f} GiB",
        "kernel": platform.release(),
        "postgresql": pg,
        "postgresql settings": ", ".join(f"{k}={v}" for k, v in settings.items()),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn_version,
        "wrk": wrk_version.split("[")[0].strip() or "wrk",
    }


def verdict(kind, name, r, floor_rps, first_page):
    notes = []
    if kind == "list":
        notes.append("ok" if r["p95"] <= LIST_P95_MS else f"p95>{LIST_P95_MS}")
        if floor_rps and r["mode"] == "wrk":
            fraction = r["rps"] / floor_rps
            notes.append("ok" if fraction >= FLOOR_FRACTION else f"<{FLOOR_FRACTION:.0%} floor")
    elif kind == "detail":
        notes.append("ok" if r["p95"] <= DETAIL_P95_MS else f"p95>{DETAIL_P95_MS}")
    elif kind == "map":
        notes.append("ok" if r["p95"] <= MAP_P95_MS else f"p95>{MAP_P95_MS}")
    elif kind == "search":
        notes.append("ok" if r["p95"] <= SEARCH_P95_MS else f"p95>{SEARCH_P95_MS}")
    if "page 500" in name and first_page:
        notes.append("ok" if r["p50"] <= 2 * first_page["p50"] else "page500>2×page1")
    notes = sorted(set(notes), key=notes.index)
    if len(notes) > 1 and "ok" in notes:
        notes.remove("ok")
    return ", ".join(notes)


def report(args, info, data, counts, results, export, queries, started_load, ended_load):
    floor = results.get("floor: one indexed query", {}).get("rps")
    first_page = results.get("claims: 1 country, page 1")
    lines = [
        f"newsclaims benchmark, {now()}",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        f"Load average before/after: {started_load} / {ended_load}",
        f"Server: gunicorn {args.workers} workers × {args.threads} threads, page cache "
        f"{'off (every request rendered)' if args.no_page_cache else 'on'}; wrk "
        f"{args.connections} connections, {args.warmup}s warm-up + {args.duration}s per URL, "
        "loopback",
        "Data set: "
        + ", ".join(
            f"{v:,} {k}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items()
        ),  # fmt: skip
    ]
    if data:
        lines.append(f"Generated: {json.dumps(data)}")
    lines += [
        "",
        f"{'page':<30} {'first':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} "
        f"{'floor':>6} {'SQL':>4} {'KB':>6} {'err':>4} {'how':>4}  target",
    ]
    lines.insert(
        len(lines) - 1,
        "first = the first request's time in ms (rendered: nothing cached yet); floor = "
        "req/s as a fraction of the one-query floor's; SQL = queries per rendered request "
        "(counted in-process); how = wrk (8 connections, p95 from wrk) or seq (a page slower "
        "than --slow: 3 requests one after another, p95 = the slowest).",
    )
    for name, r in results.items():
        fraction = f"{r['rps'] / floor:.0%}" if floor and r["mode"] == "wrk" else "-"
        n_queries = queries.get(name, ("?", 0))[0]
        lines.append(
            f"{name:<30} {r['first']:>7.0f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
            f"{r['rps']:>8.1f} {fraction:>6} {n_queries:>4} {r['bytes'] / 1024:>6.1f} "
            f"{r['errors']:>4} {r['mode']:>4}  "
            f"{verdict(r['kind'], name, r, floor, first_page)}"
        )
    if export:
        ok = export["rows_per_s"] >= EXPORT_ROWS_PER_S and export["peak_mb"] < EXPORT_PEAK_MB
        lines += [
            "",
            f"CSV export {export['path']} (one client, a fresh worker): {export['rows']:,} rows in "
            f"{export['seconds']:.1f} s "
            f"= {export['rows_per_s']:,.0f} rows/s; worker peak memory (VmHWM) "
            f"{export['peak_mb']:.0f} MB (RSS before {export['baseline_mb']:.0f} MB)  "
            f"{'ok' if ok else 'MISSED (target ≥ 20,000 rows/s, < 150 MB)'}",
        ]
    lines += [
        "",
        "Paths:",
        *(f"  {name}: {r['path']}" for name, r in results.items()),
        "",
        "Reproduce: make bench BENCH_ARGS='"
        + " ".join(
            [
                f"--claims {args.claims}",
                f"--seed {args.seed}",
                f"--workers {args.workers}",
                f"--threads {args.threads}",
                f"--duration {args.duration}",
                *(["--no-page-cache"] if args.no_page_cache else []),
            ]
        )
        + "'",
    ]
    return "\n".join(lines) + "\n"


# --- commands -------------------------------------------------------------------------


@dataclasses.dataclass
class Setup:
    """A database with its data set, ready to serve: what every measuring command needs."""

    env: dict
    own_cluster: bool
    data: dict
    counts: dict
    info: dict
    index: dict  # rebuild_index: how long it took, and what it said


@contextlib.contextmanager
def prepared(args):
    """
    Migrate, make or reuse the data set, collect static files, set Django up in this
    process; the bench cluster is stopped afterwards if this run started it.
    """
    url, started_cluster = open_database(args)
    own_cluster = not os.environ.get("DATABASE_URL")
    env = server_environment(url, args.port, page_cache=not args.no_page_cache)
    try:
        say("migrating")
        manage(env, "migrate", "--noinput", "-v0")
        setup_django({**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"})
        data = ensure_dataset(args, env, own_cluster)
        say("collecting static files")
        manage(env, "collectstatic", "--noinput", "-v0")
        say("building the read index (manage.py rebuild_index)")
        started = time.monotonic()
        built = manage(env, "rebuild_index", capture_output=True, text=True).stdout.strip()
        index = {"seconds": time.monotonic() - started, "says": built}
        say(built)
        yield Setup(env, own_cluster, data, dataset_counts(), machine(), index)
    finally:
        if started_cluster and not args.keep_running:
            cluster.stop()


def run(args, mixed=True, single=True):
    """The mixed workload (the headline), then each URL alone with wrk."""
    if single and not shutil.which("wrk"):
        sys.exit("bench: wrk is missing (Debian: apt-get install wrk)")
    with prepared(args) as setup:
        if mixed:
            from bench import mixed as mixed_workload

            print(mixed_workload.run(args, setup), flush=True)
        if single:
            text = single_urls(args, setup)
            if mixed:
                print("=" * 100 + "\n\nSecondary: each page alone (wrk, one URL at a time)\n")
            print(text, flush=True)


def edits(args):
    """The editor saving every --editor-interval (1) seconds while the readers load."""
    with prepared(args) as setup:
        from bench import mixed as mixed_workload

        print(mixed_workload.run(args, setup, edits_only=True))


def single_urls(args, setup):
    """Each URL alone with wrk, then the CSV export: the report's text (also written)."""
    env = setup.env
    urls = pick_urls(args)
    say("counting SQL queries per page")
    queries = count_queries(urls)
    from django.db import connection

    connection.close()
    started_load = load_average()
    with Server(env, args.port, args.workers, args.threads) as server:
        results = measure(server, urls, args)
    export = None
    if not args.skip_export:
        # A fresh worker, so that its peak memory is the export's, not that of a
        # page measured before.
        say("CSV export")
        with Server(env, args.port, 1, 1) as server:
            export = measure_export(server, export_query())
    text = report(
        args, setup.info, setup.data, setup.counts, results, export, queries, started_load,
        load_average(),
    )  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.datetime.now():%Y%m%d-%H%M%S}.txt"
    path.write_text(text)
    say(f"written to {path.relative_to(ROOT)}")
    return text


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def sweep(args):
    """gunicorn settings compared on the floors and three pages."""
    url, started_cluster = open_database(args)
    env = server_environment(url, args.port)
    configs = [(2, 1), (3, 1), (4, 1), (2, 4), (4, 2), (6, 1)]
    lines = [f"{'workers×threads':<16} " + " ".join(f"{n[:24]:>26}" for n in SWEEP_PAGES)]
    try:
        setup_django({**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"})
        urls = [u for u in pick_urls(args) if u[0] in SWEEP_PAGES]
        from django.db import connection

        connection.close()
        for workers, threads in configs:
            with Server(env, args.port, workers, threads) as server:
                cells = []
                for _, _, path in urls:
                    wrk(server.url(path), args.warmup, args.connections)
                    r = wrk(server.url(path), args.duration, args.connections)
                    drain(server)
                    cells.append(f"{r['rps']:>7.1f}/s p95 {r['p95']:>6.1f} ms")
                lines.append(f"{workers}×{threads:<14} " + " ".join(f"{c:>26}" for c in cells))
                say(lines[-1])
    finally:
        if started_cluster and not args.keep_running:
            cluster.stop()
    text = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{datetime.datetime.now():%Y%m%d-%H%M%S}-sweep.txt").write_text(text)
    print(text)


SWEEP_PAGES = [
    "floor: fixed response",
    "floor: one indexed query",
    "claim page",
    "article page",
    "Atom feed (country)",
]


def explain(args):
    """EXPLAIN (ANALYZE, BUFFERS) of each query the list pages run."""
    url, started_cluster = open_database(args)
    env = server_environment(url, args.port)
    out = [f"EXPLAIN (ANALYZE, BUFFERS) of the queries each page runs, {now()}", ""]
    try:
        setup_django({**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"})
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(HTTP_HOST="127.0.0.1")
        for name, kind, path in pick_urls(args):
            if kind == "floor":
                continue
            say(f"explain: {name}")
            client.get(path)
            cache.clear()  # the queries that render the page, not a cache hit
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            out.append(f"=== {name}: {path} ({len(captured)} queries)")
            for number, query in enumerate(captured.captured_queries, 1):
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
                total = next((p for p in plan if p.startswith("Execution Time")), "")
                out.append(f"--- query {number} ({total}; {query['time']} s in the page):")
                out.append(sql)
                out.extend(plan)
                out.append("")
    finally:
        if started_cluster and not args.keep_running:
            cluster.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.datetime.now():%Y%m%d-%H%M%S}-explain.txt"
    path.write_text("\n".join(out) + "\n")
    say(f"written to {path.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("command", nargs="*", default=["run"],
                        help="run (default: mixed, then single), mixed, edits, single, explain, "
                             "sweep, or db start|stop|url")  # fmt: skip
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true",
                        help="replace the bench cluster's data set")  # fmt: skip
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=12, help="seconds per URL")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per URL, not counted")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--search", default="air defence belgrade", help="the text search")
    parser.add_argument("--only", help="measure only pages whose name matches this regex")
    parser.add_argument(
        "--slow",
        type=float,
        default=2.0,
        help="pages whose first request takes longer (seconds) are timed sequentially",
    )
    parser.add_argument("--sequential", type=int, default=3, help="requests for a slow page")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every request (as just after an edit) instead of serving cached pages",
    )
    parser.add_argument("--keep-running", action="store_true",
                        help="leave the bench cluster running afterwards")  # fmt: skip
    mixed = parser.add_argument_group("mixed workload (bench/mixed.py)")
    mixed.add_argument("--mixed-only", action="store_true",
                       help="run: the mixed workload without the single-URL table")  # fmt: skip
    mixed.add_argument("--mixed-duration", type=int, default=60, help="seconds of readers")
    mixed.add_argument("--mixed-urls", type=int, default=3000, help="distinct URLs to draw")
    mixed.add_argument("--mixed-seed", type=int, default=1, help="seed of the URLs drawn")
    mixed.add_argument("--urls-from", metavar="FILE",
                       help="replay a URL list saved by a run (…-mixed-urls.tsv)")  # fmt: skip
    mixed.add_argument("--editor-interval", type=float, default=None,
                       help="seconds between the editor's saves (10; edits: 1)")  # fmt: skip
    mixed.add_argument("--no-visibility", action="store_true",
                       help="skip the two-server visibility check")  # fmt: skip
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    command = args.command
    if command[0] == "db":
        action = command[1] if len(command) > 1 else "url"
        if action == "start":
            print(cluster.ensure_started())
        elif action == "stop":
            cluster.stop()
        else:
            print(cluster.database_url())
    elif command[0] == "explain":
        explain(args)
    elif command[0] == "sweep":
        sweep(args)
    elif command[0] == "run":
        run(args, single=not args.mixed_only)
    elif command[0] == "mixed":
        run(args, single=False)
    elif command[0] == "single":
        run(args, mixed=False)
    elif command[0] == "edits":
        edits(args)
    else:
        parser.error(f"unknown command {command[0]!r}")


if __name__ == "__main__":
    # Through the package, so that bench/mixed.py, which imports bench.run, shares this
    # module rather than loading a second copy.
    from bench.run import main as bench_main

    bench_main()
