"""Servers the tests start for themselves, each on a private unix socket."""

import contextlib
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


@contextlib.contextmanager
def redis_server():
    """Yield the REDIS_URL of a new, empty Redis that keeps nothing on disk."""
    program = shutil.which("redis-server")
    if program is None:
        # `make test` installs it (Debian's redis-server); a skip would hide the shared cache.
        raise RuntimeError(
            "the shared page cache tests need redis-server: apt-get install redis-server"
        )
    with tempfile.TemporaryDirectory(prefix="newsclaims-redis.") as directory:
        socket = Path(directory) / "redis.sock"
        server = subprocess.Popen(  # noqa: S603 (a fixed program and arguments)
            [
                program,
                "--port",
                "0",
                "--unixsocket",
                str(socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                directory,
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while not socket.exists():
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start (status {server.poll()})")
                time.sleep(0.02)
            yield f"unix://{socket}"
        finally:
            server.terminate()
            server.wait(timeout=10)
