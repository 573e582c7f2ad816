"""A throwaway PostgreSQL server for the store tests: its own cluster in a temporary folder,
reachable only through a unix socket there, deleted when the session ends.

PostgreSQL refuses to run as root, and the tests run as root here and in CI, so as root the
server's programs run as the `postgres` system user that Debian's package creates (the folder
is handed to that user); as anyone else they run directly.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

#: where Debian installs each PostgreSQL version's server programs (not on PATH)
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
SUPERUSER = "khabar"
SERVER_USER = "postgres"
#: a test server need not survive a crash: skipping the disk flushes makes CREATE DATABASE and
#: every commit fast; compiling the tests' tiny queries (JIT) would cost more than it saves
SETTINGS = (
    "listen_addresses = ''",
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
    "max_connections = 50",
    "jit = off",
)


#: a UTF-8 locale, not C: under C the full-text parser takes "é" for punctuation and cannot lower "É"
INITDB_OPTIONS = ("-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")


class ServerUnavailable(RuntimeError):
    """PostgreSQL is not installed, or its server would not start; the message says which."""


def find_binaries() -> Path:
    """The folder holding initdb and pg_ctl: Debian's newest version, else the one on PATH.

    RAISES ServerUnavailable: neither has both programs.
    """
    found = sorted(glob.glob(DEBIAN_BINARIES), key=_version, reverse=True)
    on_path = shutil.which("pg_ctl")
    folders = [Path(folder) for folder in found] + ([Path(on_path).resolve().parent] if on_path else [])
    for folder in folders:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise ServerUnavailable(
        f"PostgreSQL's initdb and pg_ctl were found neither under {DEBIAN_BINARIES} nor on PATH; "
        "the store tests run every test on PostgreSQL too: install Debian's `postgresql` package "
        "(scripts/system-deps.sh does)"
    )


def _version(folder: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder))


class PostgresServer:
    """One running cluster. `start()` it, `create_database()` for each test, `stop()` at the end."""

    def __init__(self, binaries: Path, root: Path) -> None:
        self.binaries = binaries
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"
        self._names = itertools.count(1)

    @classmethod
    def start(cls) -> PostgresServer:
        """Create a cluster in a new temporary folder and start its server.

        RAISES ServerUnavailable: PostgreSQL is missing, or initdb or the server failed (the
            message holds their output).
        """
        binaries = find_binaries()
        # not under pytest's tmp folder: that is private to root, and the server user must enter it
        server = cls(binaries, Path(tempfile.mkdtemp(prefix="khabar-pg-")))
        try:
            server._hand_over()
            server._run("initdb", "-D", str(server.data), *INITDB_OPTIONS)
            with (server.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write("\n".join((*SETTINGS, f"unix_socket_directories = '{server.root}'", "")))
            server._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(server.data), "-l", str(server.log))
        except ServerUnavailable:
            server.stop()
            raise
        return server

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.root}"

    def create_database(self) -> str:
        """A new, empty database with a name of its own.

        RETURNS (str): its SQLAlchemy URL.
        """
        import psycopg

        name = f"test_{next(self._names)}"
        with psycopg.connect(host=str(self.root), user=SUPERUSER, dbname="postgres", autocommit=True) as conn:
            # PostgreSQL 15 copies the template page by page through the WAL by default; copying
            # the files is ten times faster for a test's small database
            strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
            conn.execute(f'CREATE DATABASE "{name}"{strategy}')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (if it runs) and delete the cluster."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.root, ignore_errors=True)

    def _hand_over(self) -> None:
        if os.geteuid() != 0:
            return
        try:
            user = pwd.getpwnam(SERVER_USER)
        except KeyError as exc:
            message = f"running as root, but there is no {SERVER_USER!r} user to run PostgreSQL as"
            raise ServerUnavailable(message) from exc
        os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.binaries / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        # the server user may not be allowed into the caller's working directory
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.log.read_text(encoding="utf-8", errors="replace")[-2000:] if self.log.exists() else ""
            raise ServerUnavailable(
                f"{program} {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}"
            )
