"""
PostgreSQL clusters for development, in one place: finding PostgreSQL's server
programs, running them as the "postgres" system user when we are root, listening on a
unix socket only (no TCP), creating the database "newsclaims".

- Throwaway, around a command (what scripts/with-postgres runs, for the tests):

      python3 bench/cluster.py run COMMAND [ARG...]

  initdb into a new temporary directory, start a server whose socket is in it, create
  the database, run COMMAND with DATABASE_URL set to it, then stop the server and
  delete the directory whether COMMAND succeeds, fails or is interrupted. Exits with
  COMMAND's status.

- Kept, for the benchmark (ensure_started(), stop(), recreate_database()): the data
  directory stays between runs, by default bench/data/pg (git-ignored), or
  $BENCH_DATA_DIR/pg, so a generated data set can be reused. `python -m bench.run db
  stop` stops it; deleting the directory forgets the data set. The server's log is
  bench/data/run/server.log.

The server programs are looked up in $PG_BINDIR if set, then /usr/lib/postgresql/15/bin,
other /usr/lib/postgresql/*/bin (newest first), then PATH. Only the standard library
is used, and nothing newer than Python 3.11: this runs before .venv or Django exist.
"""

import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", ROOT / "bench" / "data")).resolve()
PG_DIR = DATA_DIR / "pg"
SOCKET_DIR = DATA_DIR / "run"
# What the bench cluster's database holds (bench/generate.py writes it, bench/run.py reads it).
DATASET = DATA_DIR / "dataset.json"
DATABASE = "newsclaims"

# Server settings of the bench's cluster, for a 2-core machine with a few GB of memory
# to spare for the database. They are recorded in docs/performance.md; the durability
# settings only make loading faster and do not change what a read-only benchmark
# measures.
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
# Durability is pointless for a cluster that is deleted afterwards.
THROWAWAY_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
# Connection settings from the environment would point libpq (and the server's port)
# elsewhere: the server, its tools and the command talk to this cluster only.
LIBPQ_VARIABLES = [
    "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGPASSFILE",
    "PGSERVICE", "PGSERVICEFILE",
]  # fmt: skip
# Unix socket paths are limited to about 107 bytes, the socket's name included.
MAX_SOCKET_DIR = 90

# Prefix of error messages: the name the user typed.
prog = "bench"


def fail(message):
    raise SystemExit(f"{prog}: {message}")


# --- the server programs and who runs them ----------------------------------------------


def find_bindir():
    """The directory holding initdb, pg_ctl and postgres."""
    candidates = [os.environ.get("PG_BINDIR"), "/usr/lib/postgresql/15/bin"]
    installed = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += [str(path) for path in sorted(installed, key=version_key, reverse=True)]
    # PATH may hold symlinks (/usr/local/bin/pg_ctl); the tools expect each other in one
    # directory, so PATH contributes the directory pg_ctl really lives in.
    if pg_ctl := shutil.which("pg_ctl"):
        candidates.append(str(Path(pg_ctl).resolve().parent))
    for candidate in candidates:
        if candidate and all(
            os.access(Path(candidate) / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")
        ):
            return Path(candidate)
    fail(
        "no PostgreSQL server programs (initdb, pg_ctl, postgres) found.\n"
        "Install PostgreSQL 15 (Debian/Ubuntu: apt-get install postgresql-15), set PG_BINDIR\n"
        "to the directory holding them, or point DATABASE_URL at an existing database instead."
    )


def version_key(path):
    """/usr/lib/postgresql/15/bin → (15,): 15 sorts after 9.6."""
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))


def client_tool(bindir, name):
    """A client program (createdb, psql) next to the server, or else on PATH."""
    if os.access(bindir / name, os.X_OK):
        return bindir / name
    if found := shutil.which(name):
        return Path(found)
    fail(f"found the server in {bindir} but no {name} next to it or on PATH")


def as_server():
    """
    Prefix for commands that run as the server's user. PostgreSQL refuses to run as
    root; as root it runs as the "postgres" system user (created by the Debian packages).
    """
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        fail(
            'running as root but there is no "postgres" user to run the server as.\n'
            "Create one (useradd --system --user-group --no-create-home postgres) or run as "
            "a non-root user."
        )
    return [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--"]


def clean_environment():
    return {key: value for key, value in os.environ.items() if key not in LIBPQ_VARIABLES}


def run_server_tool(*args, **kwargs):
    # From /, so that the postgres user never needs access to the caller's directory.
    return subprocess.run(
        [*as_server(), *map(str, args)], cwd="/", env=clean_environment(), check=True, **kwargs
    )


def give_to_server(path, mode):
    """The server's user owns `path` (when we are root), with these permissions."""
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    path.chmod(mode)


def locale_name():
    """C.UTF-8 where the system has it (sorting by code point, UTF-8 text), else C."""
    try:
        available = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return "C"
    found = any(re.fullmatch(r"c\.utf-?8", name, re.IGNORECASE) for name in available.split())
    return "C.UTF-8" if found else "C"


def initdb(bindir, data, durable, log=None):
    """
    A new cluster in `data`, reached without a password (only through the socket).
    initdb's output goes to the file `log`, shown if it fails.
    """
    args = [bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
            f"--locale={locale_name()}"]  # fmt: skip
    if not durable:
        args.append("--no-sync")
    with open(log or os.devnull, "w+") as output:
        try:
            run_server_tool(*args, stdout=output, stderr=subprocess.STDOUT if log else None)
        except subprocess.CalledProcessError:
            if log:
                output.seek(0)
                sys.stderr.write(output.read())
            fail("initdb failed")


def start(bindir, data, socket_dir, log, settings=None):
    """Start the server on a unix socket in `socket_dir`; `settings` on its command line."""
    options = [f"-k {socket_dir}"]
    options += [f"-c {key}={value}" for key, value in (settings or {}).items()]
    try:
        run_server_tool(
            bindir / "pg_ctl", "start", "-D", data, "-w", "-s", "-l", log, "-o", " ".join(options)
        )
    except subprocess.CalledProcessError:
        with open(log, errors="replace") as server_log:
            sys.stderr.write(server_log.read())
        fail("the PostgreSQL server did not start")


def server_running(data):
    status = subprocess.run(
        [*as_server(), find_bindir() / "pg_ctl", "status", "-D", data],
        cwd="/", env=clean_environment(), capture_output=True, check=False,
    )  # fmt: skip
    return status.returncode == 0


def url_for(socket_dir, database=DATABASE):
    """
    A unix socket directory is given as the URL's host, percent-encoded
    (postgres://postgres@%2Ftmp%2Fnewsclaims-pg.AbC123/newsclaims): libpq and
    dj-database-url both understand it, and Django gets HOST=/tmp/newsclaims-pg.AbC123.
    Python lowercases a URL's host only up to its first '%', and this host starts with
    %2F, so the directory keeps its case.
    """
    return f"postgres://postgres@{urllib.parse.quote(str(socket_dir), safe='')}/{database}"


# --- throwaway: around a command ----------------------------------------------------------


def temporary_base():
    """
    Where the throwaway cluster's directory goes. It ends up inside pg_ctl's option
    string and as the socket's path: a TMPDIR that is long or has unusual characters
    (spaces, quotes, commas) is passed over for /tmp.
    """
    base = os.environ.get("TMPDIR") or "/tmp"
    if re.fullmatch(r"/[A-Za-z0-9._/-]*", base) and len(base) <= 60 and os.path.isdir(base):
        return base
    return "/tmp"


def run_throwaway(command):
    """Run `command` against a new cluster, removed afterwards; returns its exit status."""
    bindir = find_bindir()
    createdb = client_tool(bindir, "createdb")
    as_server()  # fails early without a postgres user to run the server as
    version = subprocess.run(
        [bindir / "pg_ctl", "--version"], capture_output=True, text=True, check=True
    ).stdout.split()[2]
    received, child = [], None

    def on_signal(signum, frame):
        # Like a shell: the signal takes effect once the program running now has ended,
        # then the cluster is removed. Ctrl-C reaches COMMAND and us alike (one process
        # group); another signal sent to us alone is passed on to COMMAND.
        received.append(signum)
        if child is not None and signum != signal.SIGINT:
            child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    tmp = Path(tempfile.mkdtemp(prefix="newsclaims-pg.", dir=temporary_base()))
    steps = [
        # Traversable (not listable) by everyone, so the caller reaches the socket
        # whoever owns the directory; the data directory inside it stays private.
        lambda: give_to_server(tmp, 0o711),
        lambda: initdb(bindir, tmp / "data", durable=False, log=tmp / "initdb.log"),
        lambda: start(bindir, tmp / "data", tmp, tmp / "log", THROWAWAY_SETTINGS),
        lambda: create_database(createdb, tmp),
    ]
    try:
        for step in steps:
            try:
                step()
            except SystemExit:
                if not received:
                    raise
            if received:
                return 128 + received[0]
        env = {**clean_environment(), "DATABASE_URL": url_for(tmp)}
        print(
            f"{prog}: PostgreSQL {version} cluster in {tmp} (socket only); removed when the "
            "command exits.",
            file=sys.stderr,
            flush=True,
        )
        # In the foreground, so that COMMAND keeps the terminal and stdin (pytest --pdb).
        try:
            child = subprocess.Popen(command, env=env)
        except OSError as error:
            print(f"{prog}: cannot run {command[0]}: {error.strerror}", file=sys.stderr)
            # A shell's statuses: not found, or found but not runnable.
            return 127 if isinstance(error, FileNotFoundError) else 126
        status = child.wait()
        if received:
            return 128 + received[0]
        return 128 - status if status < 0 else status
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        if (tmp / "data" / "postmaster.pid").exists():
            # Immediate stop: nothing in a throwaway cluster is worth a clean shutdown.
            stopped = subprocess.run(
                [*as_server(), bindir / "pg_ctl", "stop", "-D", tmp / "data", "-m", "immediate",
                 "-s"], cwd="/", env=clean_environment(), check=False,
            )  # fmt: skip
            if stopped.returncode:
                print(f"{prog}: could not stop the server in {tmp}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


def create_database(createdb, socket_dir):
    try:
        run_server_tool(createdb, "-h", socket_dir, "-U", "postgres", DATABASE)
    except subprocess.CalledProcessError:
        fail("could not create the database")


# --- kept: the benchmark's cluster --------------------------------------------------------


def database_url():
    return url_for(SOCKET_DIR)


def is_running():
    return (PG_DIR / "PG_VERSION").exists() and server_running(PG_DIR)


def ensure_started():
    """Create the bench cluster on first use, start it if needed; return its DATABASE_URL."""
    bindir = find_bindir()
    if len(str(SOCKET_DIR)) > MAX_SOCKET_DIR:
        fail(f"{SOCKET_DIR} is too long for a unix socket; set BENCH_DATA_DIR")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    SOCKET_DIR.mkdir(exist_ok=True)
    give_to_server(SOCKET_DIR, 0o711)
    if not (PG_DIR / "PG_VERSION").exists():
        PG_DIR.mkdir(exist_ok=True)
        give_to_server(PG_DIR, 0o700)
        print(f"{prog}: creating a PostgreSQL cluster in {PG_DIR}", file=sys.stderr)
        initdb(bindir, PG_DIR, durable=True)
        with (PG_DIR / "postgresql.auto.conf").open("a") as conf:
            for key, value in SERVER_SETTINGS.items():
                conf.write(f"{key} = {value}\n")
    if not server_running(PG_DIR):
        start(bindir, PG_DIR, SOCKET_DIR, SOCKET_DIR / "server.log")
    exists = subprocess.run(
        [*as_server(), client_tool(bindir, "psql"), "-h", SOCKET_DIR, "-U", "postgres", "-Atc",
         f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
        cwd="/", env=clean_environment(), check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        createdb = client_tool(bindir, "createdb")
        run_server_tool(createdb, "-h", SOCKET_DIR, "-U", "postgres", DATABASE)
    return database_url()


def stop():
    if is_running():
        run_server_tool(find_bindir() / "pg_ctl", "stop", "-D", PG_DIR, "-m", "fast", "-s")


def recreate_database():
    """Drop and create the benchmark database (the bench cluster only)."""
    bindir = find_bindir()
    run_server_tool(
        client_tool(bindir, "dropdb"), "-h", SOCKET_DIR, "-U", "postgres", "--if-exists",
        "--force", DATABASE,
    )  # fmt: skip
    run_server_tool(client_tool(bindir, "createdb"), "-h", SOCKET_DIR, "-U", "postgres", DATABASE)


def main(argv):
    global prog
    if not argv or argv[0] != "run":
        raise SystemExit("usage: python3 bench/cluster.py run COMMAND [ARG...]")
    prog = "with-postgres"
    if len(argv) < 2:
        fail("usage: scripts/with-postgres COMMAND [ARG...]")
    return run_throwaway(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
