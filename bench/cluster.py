"""
The benchmark's own PostgreSQL cluster, kept between runs so a generated data set can
be reused.

Like scripts/with-postgres it listens on a unix socket only (no TCP), and runs as the
"postgres" system user when we are root. Unlike it, the data directory stays: by default
bench/data/pg (git-ignored), or $BENCH_DATA_DIR/pg. `python -m bench.run db stop`
stops it; deleting the directory forgets the data set. The server's log is
bench/data/run/server.log.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", ROOT / "bench" / "data")).resolve()
PG_DIR = DATA_DIR / "pg"
SOCKET_DIR = DATA_DIR / "run"
DATABASE = "newsclaims"

# Server settings for a 2-core machine with a few GB of memory to spare for the
# database. They are recorded in docs/performance.md; the durability settings only make
# loading faster and do not change what a read-only benchmark measures.
SERVER_SETTINGS = {
    "listen_addresses": "''",
    "shared_buffers": "1GB",
    "effective_cache_size": "8GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "random_page_cost": "1.1",
    "effective_io_concurrency": "200",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "synchronous_commit": "off",
    # Short OLTP queries: JIT compilation costs more than it saves (see docs).
    "jit": "off",
}


def find_bindir():
    candidates = [os.environ.get("PG_BINDIR"), "/usr/lib/postgresql/15/bin"]
    candidates += sorted(
        (str(path) for path in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True
    )
    if pg_ctl := shutil.which("pg_ctl"):
        candidates.append(str(Path(pg_ctl).resolve().parent))
    for candidate in candidates:
        if candidate and all(
            os.access(Path(candidate) / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")
        ):
            return Path(candidate)
    sys.exit(
        "bench: no PostgreSQL server programs found (apt-get install postgresql-15), "
        "or set DATABASE_URL to an existing database."
    )


def as_server():
    """Prefix for commands that must run as the server's user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def run_server_tool(*args, **kwargs):
    return subprocess.run([*as_server(), *map(str, args)], cwd="/", check=True, **kwargs)


def database_url():
    host = str(SOCKET_DIR).replace("/", "%2F")
    return f"postgres://postgres@{host}/{DATABASE}"


def is_running():
    return (PG_DIR / "postmaster.pid").exists()


def ensure_started():
    """Create the cluster on first use, start it if needed; return its DATABASE_URL."""
    bindir = find_bindir()
    if len(str(SOCKET_DIR)) > 90:
        sys.exit(f"bench: {SOCKET_DIR} is too long for a unix socket; set BENCH_DATA_DIR")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    SOCKET_DIR.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(SOCKET_DIR, "postgres", "postgres")
        SOCKET_DIR.chmod(0o711)
    if not (PG_DIR / "PG_VERSION").exists():
        PG_DIR.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(PG_DIR, "postgres", "postgres")
        PG_DIR.chmod(0o700)
        print(f"bench: creating a PostgreSQL cluster in {PG_DIR}", file=sys.stderr)
        run_server_tool(
            bindir / "initdb", "-D", PG_DIR, "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", stdout=subprocess.DEVNULL,
        )  # fmt: skip
        with (PG_DIR / "postgresql.auto.conf").open("a") as conf:
            for key, value in SERVER_SETTINGS.items():
                conf.write(f"{key} = {value}\n")
    if not is_running():
        options = f"-k {SOCKET_DIR}"
        run_server_tool(
            bindir / "pg_ctl", "start", "-D", PG_DIR, "-w", "-s", "-l", SOCKET_DIR / "server.log",
            "-o", options,
        )  # fmt: skip
    created = subprocess.run(
        [*as_server(), bindir / "psql", "-h", SOCKET_DIR, "-U", "postgres", "-Atc",
         f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
        cwd="/", check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if not created:
        run_server_tool(bindir / "createdb", "-h", SOCKET_DIR, "-U", "postgres", DATABASE)
    return database_url()


def stop():
    if is_running():
        run_server_tool(find_bindir() / "pg_ctl", "stop", "-D", PG_DIR, "-m", "fast", "-s")


def recreate_database():
    """Drop and create the benchmark database (the bench cluster only)."""
    bindir = find_bindir()
    run_server_tool(
        bindir / "dropdb", "-h", SOCKET_DIR, "-U", "postgres", "--if-exists", "--force", DATABASE
    )
    run_server_tool(bindir / "createdb", "-h", SOCKET_DIR, "-U", "postgres", DATABASE)
