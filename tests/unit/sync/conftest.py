"""A shop of several tills, each its own database, paired the way the owner pairs them."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from terminal.app.till import Till, open_till
from terminal.sync.pairing import create_pairing, join_pairing


def make_shop(tmp_path: Path, clock: Callable, count: int) -> list[Till]:
    first = open_till(tmp_path / "till1" / "loyalty.db", clock=clock)
    tills = [first]
    for number in range(2, count + 1):
        pairing = tmp_path / f"pair{number}.json"
        create_pairing(first, number, pairing)
        till = open_till(tmp_path / f"till{number}" / "loyalty.db", clock=clock)
        join_pairing(till, pairing)
        tills.append(till)
    return tills


@pytest.fixture
def shop(tmp_path: Path, clock: Callable) -> Iterator[list[Till]]:
    tills = make_shop(tmp_path, clock, 3)
    yield tills
    for till in tills:
        till.close()


def file_digest(till: Till) -> str:
    """The database file's bytes after the WAL is copied in (what "unchanged" means)."""
    with closing(sqlite3.connect(till.db_path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    till.engine.dispose()
    return hashlib.sha256(till.db_path.read_bytes()).hexdigest()


# SQLite's own counters in the file header (offsets 24 and 92): bumped whenever the file is
# opened for writing, as a bulk load's switch to a rollback journal and back does.
_HEADER_COUNTERS = ((24, 28), (92, 96))


def content_digest(till: Till) -> str:
    """:func:`file_digest` but for SQLite's header counters: every page, every row, every
    schema object the same (what "unchanged" means after a refused bulk load, which switched
    the journal mode before it knew the bundle would be refused)."""
    file_digest(till)
    data = bytearray(till.db_path.read_bytes())
    for start, end in _HEADER_COUNTERS:
        data[start:end] = bytes(end - start)
    return hashlib.sha256(data).hexdigest()


def balances(till: Till) -> dict[str, tuple]:
    with till.read_driver() as db:
        return {
            row[0]: tuple(row[1:])
            for row in db.execute(
                "SELECT id, name, phone, balance, lifetime_paid, visits FROM customer ORDER BY id"
            )
        }


PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A real PostgreSQL started for this test session (as the ``postgres`` user when root).

    Its folder is made straight under the system temp dir: pytest's own temp folders are
    private to root, and the server runs as ``postgres``.
    """
    import os
    import shutil
    import subprocess
    import tempfile

    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN} (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="loyalty-pg-"))
    data = root / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root and runuser is missing: cannot start PostgreSQL")
        shutil.chown(root, "postgres")
        root.chmod(0o755)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    try:
        subprocess.run(
            [*run_as, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *run_as,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(root / "log.txt"),
                "-w",
                "-o",
                f"-h 127.0.0.1 -p {port} -k {root} -F",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        print(f"PostgreSQL could not be started: {exc} {detail.decode(errors='replace')}")
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not be started: {exc}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def new_hub_database(pg_url: str) -> str:
    """A fresh, empty hub database on the session's server: each test (or property example)
    starts from a hub no till has pushed to."""
    import uuid

    from sqlalchemy import create_engine, text

    name = "hub_" + uuid.uuid4().hex[:12]
    admin = create_engine(
        pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return pg_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def hub_url(pg_url: str) -> str:
    """A fresh hub database on the session's server for each test."""
    return new_hub_database(pg_url)
