"""A big catch-up parsed and bound by worker processes (``sync/staging.py``) leaves the till
exactly as the one-process import leaves it — every row of every shared table, with the same
rowids — refuses what that one refuses with the same words and nothing written, and when the
workers cannot do their part the bundle still goes in, in one process."""

from __future__ import annotations

import logging
import os
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from terminal.app.card_admin import CardAdmin
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.app.till import Till, open_till
from terminal.core.checkout import MAX, NONE
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import StorageError
from terminal.sync import apply as apply_module
from terminal.sync import bundle as bundle_module
from terminal.sync import exchange, rows, staging
from terminal.sync.bundle import BundleRefused, sign
from terminal.sync.exchange import SyncExchange, shop_key
from terminal.sync.pairing import create_pairing, join_pairing
from terminal.sync.staging import StagedBundle, _many_rows, segment_ends
from tests.e2e import test_disk_full_writes as disk_full
from tests.unit.sync.conftest import balances, content_digest

# What differs between two tills of one shop whatever they imported: who they are, their own
# journal and its bookkeeping.
_LOCAL_TABLES = {
    "alembic_version",
    "terminal",
    "journal_event",
    "sync_event_clock",
    "sync_state",
    "shop_setting",
    "audit_log",
}


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every import is a big catch-up, read in small blocks (so even a few dozen events make
    many blocks, segments and workers); returns how many staged imports started."""
    monkeypatch.setattr(exchange, "RECOUNT_MIN_EVENTS", 1)
    monkeypatch.setattr(bundle_module, "CHUNK_BYTES", 700)
    started: list[int] = []
    opened = StagedBundle.__init__

    def counted(self: StagedBundle, *args: object, **kwargs: object) -> None:
        opened(self, *args, **kwargs)  # type: ignore[arg-type]
        started.append(1)

    monkeypatch.setattr(StagedBundle, "__init__", counted)
    return started


@pytest.fixture
def segments(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """For each staged segment, how many blocks each worker staged of it."""
    seen: list[list[int]] = []
    parts = StagedBundle.parts

    def counted(self: StagedBundle, spec):  # type: ignore[no-untyped-def]
        for segment in parts(self, spec):
            seen.append([len(part.blocks) for part in segment])
            yield segment

    monkeypatch.setattr(StagedBundle, "parts", counted)
    return seen


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """For a staged import, which of the workers' counts over the staged rows the till took
    (``staged_counts.py``: the report aggregates' walk, the customers' sums)."""
    taken: dict[str, bool] = {}
    counted = StagedBundle.counted

    def recorded(self: StagedBundle, kind: str, db):  # type: ignore[no-untyped-def]
        figures = counted(self, kind, db)
        taken[kind] = figures is not None
        return figures

    monkeypatch.setattr(StagedBundle, "counted", recorded)
    return taken


@contextmanager
def _in_one_process() -> Iterator[None]:
    """Imports inside go through the one-process path: no worker processes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staging, "worker_count", lambda: 0)
        yield


def _busy_history(one: Till) -> None:
    """Registrations, sales with and without a card, points spent (lot movements), refunds
    whole and in part, a blocked card."""
    rng = random.Random(7)
    cards = []
    for n in range(12):
        form = CustomerForm(name=f"Customer {n}", phone=f"+38050{n:07d}")
        cards.append(Enrollment(one).register(form).card)
    sales = []
    for n in range(60):
        card = rng.choice(cards)
        redeem = MAX if n % 7 == 3 else NONE
        sales.append(
            Counter(one).checkout(
                SaleRequest(card=card, amount=rng.randint(1, 900_00), redeem=redeem)
            )
        )
        if n % 9 == 0:
            Counter(one).checkout(SaleRequest(card=None, amount=rng.randint(1, 90_00)))
    for sale in sales[::11]:
        Refunds(one).refund(sale.sale_id, None)
    Refunds(one).refund(sales[5].sale_id, 1_00)
    CardAdmin(one).block(cards[3], "lost")


def _shared_state(till: Till) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(till.db_path)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in _LOCAL_TABLES
        ]
        state = {}
        for table in tables:
            try:
                state[table] = db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
            except sqlite3.OperationalError:  # a WITHOUT ROWID table: in key order
                state[table] = db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        return state


def _export(one: Till, folder: Path) -> Path:
    exported = SyncExchange(one).export(folder, since=0)
    assert exported.path is not None
    return exported.path


@pytest.mark.parametrize("block_bytes", [700, bundle_module.CHUNK_BYTES], ids=["small", "whole"])
def test_a_staged_catch_up_leaves_every_row_as_one_process_does(
    shop,
    tmp_path: Path,
    big: list[int],
    segments: list[list[int]],
    counts: dict[str, bool],
    monkeypatch: pytest.MonkeyPatch,
    block_bytes: int,
) -> None:
    """In small blocks the rows go through every worker and several segments; in one whole
    block a worker binds them sixteen to a statement, the rest one by one. The till is new,
    so the workers also count over the staged rows what the till would count after them (the
    report aggregates' pass, the customers' sums of points and sales): the report tables and
    balances come out the same too (and ``check`` recounts them)."""
    monkeypatch.setattr(bundle_module, "CHUNK_BYTES", block_bytes)
    one, two, three = shop
    _busy_history(one)
    path = _export(one, tmp_path / "out")
    with _in_one_process():
        assert SyncExchange(two).import_file(path, alone=True).applied > 80
    assert big == []
    assert SyncExchange(three).import_file(path, alone=True).applied > 80
    assert big == [1]
    if block_bytes < 1000:  # every worker, several segments, each of several blocks
        assert len(segments) > 1 and all(min(workers) > 1 for workers in segments[:-1])
    assert counts == {"walk": True, "sums": True}
    assert _shared_state(three) == _shared_state(two)
    assert balances(three) == balances(one)
    report = Integrity(three).check()
    assert report.ok, report.problems
    # nothing of the workers is left: no scratch folder, no file attached to the pooled
    # connection the next sale uses
    assert not [p for p in three.db_path.parent.iterdir() if p.name.startswith(".loyalty-")]
    with three.read_driver() as db:
        assert {row[1] for row in db.execute("PRAGMA database_list")} <= {"main", "temp"}
    # and the till sells on
    card = Enrollment(three).register(CustomerForm(name="New", phone="+380509999999")).card
    assert Counter(three).checkout(SaleRequest(card=card, amount=10_00)).to_pay == 10_00


def test_the_window_s_staged_import_too(shop, tmp_path: Path, big: list[int]) -> None:
    """Settings → Sync and folder sync import in WAL beside the counter: staged all the same."""
    one, two, _ = shop
    _busy_history(one)
    assert SyncExchange(two).import_file(_export(one, tmp_path / "out")).applied > 80
    assert big == [1]
    assert balances(two) == balances(one)


def _resigned(path: Path, key: bytes, change) -> Path:  # type: ignore[no-untyped-def]
    """The bundle with its event lines changed by ``change`` and signed again under the shop's
    key: a file a till of this shop could have written, but whose run is broken."""
    import gzip

    lines = gzip.decompress(path.read_bytes()).split(b"\n")[:-1]
    head, events = lines[0], change(lines[1:-1])
    body = b"".join(line + b"\n" for line in [head, *events])
    signature = b'{"signature": "' + sign(key, body).encode() + b'"}\n'
    out = path.with_name("changed-" + path.name)
    out.write_bytes(gzip.compress(body + signature))
    return out


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda ev: ev[:40] + ev[41:], "out of order: expected number 41, found 42"),
        (lambda ev: [*ev[:40], ev[40], ev[40], *ev[41:-1]], "out of order"),
        (lambda ev: [*ev[:40], b'{"id": ', *ev[41:]], "not in the expected format"),
    ],
    ids=["missing", "twice", "not-json"],
)
def test_a_broken_run_is_refused_in_the_same_words_and_nothing_written(
    shop, tmp_path: Path, big: list[int], change, words: str
) -> None:
    one, two, three = shop
    _busy_history(one)
    path = _resigned(_export(one, tmp_path / "out"), shop_key(one), change)
    with _in_one_process(), pytest.raises(BundleRefused) as alone:
        SyncExchange(two).import_file(path, alone=True)
    before = content_digest(three)
    with pytest.raises(BundleRefused) as staged:
        SyncExchange(three).import_file(path, alone=True)
    assert big == [1]
    assert words in staged.value.message
    assert staged.value.message == alone.value.message
    assert content_digest(three) == before


def test_a_changed_file_is_refused_for_the_change_and_nothing_written(
    shop, tmp_path: Path, big: list[int]
) -> None:
    one, two, _ = shop
    _busy_history(one)
    path = _export(one, tmp_path / "out")
    import gzip

    text = gzip.decompress(path.read_bytes())
    at = text.index(b"amount", len(text) // 2)
    at += next(n for n, c in enumerate(text[at:]) if chr(c).isdigit())
    digit = b"1" if text[at : at + 1] != b"1" else b"2"
    changed = text[:at] + digit + text[at + 1 :]  # a sale's amount, half-way through
    bad = path.with_name("edited.ltb")
    bad.write_bytes(gzip.compress(changed))
    before = content_digest(two)
    with pytest.raises(BundleRefused, match="signature does not match"):
        SyncExchange(two).import_file(bad, alone=True)
    assert big == [1]
    assert content_digest(two) == before


def test_when_the_workers_cannot_write_the_bundle_goes_in_in_one_process(
    shop, tmp_path: Path, big: list[int], monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    one, two, _ = shop
    _busy_history(one)
    monkeypatch.setattr(
        StagedBundle, "part_path", lambda self, s, w: str(tmp_path / "no such folder" / "x.db")
    )
    with caplog.at_level(logging.WARNING, logger="sync"):
        assert SyncExchange(two).import_file(_export(one, tmp_path / "out")).applied > 80
    assert big == [1]
    assert "importing it in this process" in caplog.text
    assert balances(two) == balances(one)
    assert Integrity(two).check().ok


def test_segments_shrink_so_the_last_copy_is_short() -> None:
    assert segment_ends(1_000_000, 4) == [400_000, 700_000, 900_000, 1_000_000]
    assert segment_ends(10, 1) == [10]
    ends = segment_ends(7, 4)
    assert ends[-1] == 7 and ends == sorted(ends)


def test_a_full_disk_stops_a_staged_import_in_plain_words_and_nothing_is_left(
    tiny_tmpfs: Path, tmp_path: Path, clock, big: list[int]
) -> None:
    """The real thing (a tmpfs filled up): the workers' scratch files do not fit, the import
    goes on in one process, runs out of room too and is refused as any write is; nothing of it
    is kept, no scratch file stays behind, and once there is room the bundle goes in."""
    one = open_till(tmp_path / "one" / "loyalty.db", clock=clock)
    _busy_history(one)
    create_pairing(one, 2, tmp_path / "till2.pair")
    path = _export(one, tmp_path / "usb")
    two = open_till(tiny_tmpfs / "loyalty.db", clock=clock)
    join_pairing(two, tmp_path / "till2.pair")
    before = content_digest(two)
    ballast = disk_full._fill_disk(tiny_tmpfs)
    os.truncate(ballast, ballast.stat().st_size - 64 * 1024)  # room to open, not to import
    with pytest.raises(StorageError) as refused:
        SyncExchange(two).import_file(path, alone=True)
    assert refused.value.message == (
        "The disk is full: nothing was saved. Free some space and try again."
    )
    assert big == [1]
    assert sorted(p.name for p in tiny_tmpfs.iterdir()) == ["ballast.bin", "loyalty.db"]
    ballast.unlink()
    assert content_digest(two) == before
    assert SyncExchange(two).import_file(path, alone=True).applied > 80
    assert big == [1, 1]
    assert balances(two) == balances(one)
    one.close()
    two.close()


def test_asked_for_on_a_small_bundle_the_workers_apply_it_beside_the_triggers(
    shop, tmp_path: Path
) -> None:
    """The self-test asks for the workers on a bundle too small to be a catch-up: the report
    triggers stay and keep the figures row by row, and the till ends as one process leaves it."""
    one, two, three = shop
    _busy_history(one)
    path = _export(one, tmp_path / "out")
    assert SyncExchange(two).import_file(path, staged=False).workers == 0
    staged = SyncExchange(three).import_file(path, staged=True)
    assert staged.workers == staging.worker_count() >= 2
    assert _shared_state(three) == _shared_state(two)
    assert Integrity(three).check().ok


def test_a_worker_that_dies_half_way_leaves_the_import_to_one_process(
    shop, tmp_path: Path, big: list[int], monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    """A worker killed once the first segment is handed out (out of memory, say): what was
    copied is rolled back with the transaction and the bundle goes in again in one process."""
    one, two, three = shop
    _busy_history(one)
    path = _export(one, tmp_path / "out")
    named = StagedBundle.part_path

    def dying(self: StagedBundle, segment: int, worker: int) -> str:
        if segment == 1 and worker == 0:  # the second segment begins: the first worker is gone
            self._processes[0].kill()
            self._processes[0].join()
        return named(self, segment, worker)

    monkeypatch.setattr(StagedBundle, "part_path", dying)
    with caplog.at_level(logging.WARNING, logger="sync"):
        result = SyncExchange(three).import_file(path, alone=True)
    assert result.workers == 0 and "a worker" in caplog.text
    with _in_one_process():
        SyncExchange(two).import_file(path, alone=True)
    assert _shared_state(three) == _shared_state(two)
    assert Integrity(three).check().ok


def test_sixteen_rows_a_statement_only_where_a_row_is_a_plain_values_list() -> None:
    """A table this program does not know (a newer release's) has its row named in a one-row
    subquery, to test every value for a time: its rows go one a statement."""
    known, _ = rows.row_insert("INSERT", "staged_1", ("id", "at"), frozenset({"at"}))
    unknown, _ = rows.row_insert("INSERT", "staged_2", ("id", "at"), None)
    many = _many_rows(known)
    assert many is not None and many.count("?") == 32 and many.count("), (?") == 15
    assert _many_rows(unknown) is None


def test_a_till_that_already_sold_makes_the_report_pass_itself(
    shop, tmp_path: Path, big: list[int], counts: dict[str, bool]
) -> None:
    """A catch-up on a till with sales of its own: the staged rows are not all the sales, so
    the workers are not asked to count over them, and the aggregates and balances are the
    facts' (``check``)."""
    one, two, three = shop
    _busy_history(one)
    path = _export(one, tmp_path / "out")
    for till in (two, three):
        card = Enrollment(till).register(CustomerForm(name="Local", phone="+380661234567")).card
        Counter(till).checkout(SaleRequest(card=card, amount=12_00))
    with _in_one_process():
        SyncExchange(two).import_file(path, alone=True)
    SyncExchange(three).import_file(path, alone=True)
    assert big == [1] and counts == {"walk": False, "sums": False}
    theirs = balances(one)
    assert {k: v for k, v in balances(three).items() if k in theirs} == theirs
    report = Integrity(three).check()  # the aggregates against check's own recount
    assert report.ok, report.problems


@pytest.mark.parametrize("load", ["row by row", "bulk in one process", "staged"])
def test_news_built_on_a_third_till_s_news_is_refused_until_that_comes(
    shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load: str
) -> None:
    """Till 2 sells to a customer till 3 registered; till 1 has not heard from till 3. Its
    import of till 2's bundle is refused in plain words with nothing written, whether the
    foreign keys are checked row by row (a small bundle) or once before the commit (a bulk
    load, in one process or staged); once till 3's bundle is in, till 2's goes in too."""
    one, two, three = shop
    for n in range(6):
        Enrollment(three).register(CustomerForm(name=f"Third {n}", phone=f"+38067{n:07d}"))
    card = Enrollment(three).register(CustomerForm(name="Olena", phone="+380671234567")).card
    from_three = _export(three, tmp_path / "three")
    SyncExchange(two).import_file(from_three)
    for amount in (120_00, 80_00, 45_50):
        Counter(two).checkout(SaleRequest(card=card, amount=amount))
    from_two = _export(two, tmp_path / "two")
    if load != "row by row":
        monkeypatch.setattr(exchange, "RECOUNT_MIN_EVENTS", 1)
    if load == "bulk in one process":
        monkeypatch.setattr(staging, "worker_count", lambda: 0)
    before = content_digest(one)
    with pytest.raises(BundleRefused, match="builds on news from other tills") as refused:
        SyncExchange(one).import_file(from_two, alone=True)
    assert "Import the other tills' bundles first" in refused.value.message
    assert content_digest(one) == before
    # and the connection the next sale takes checks its keys row by row again
    with one.read_driver() as db:
        assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    SyncExchange(one).import_file(from_three, alone=True)
    assert SyncExchange(one).import_file(from_two, alone=True).applied > 0
    assert balances(one) == balances(two)
    report = Integrity(one).check()
    assert report.ok, report.problems


def test_sums_counted_over_rows_the_till_then_changed_are_not_taken(
    shop, tmp_path: Path, big: list[int], counts: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An expiry replayed after the copy rewrites entries' points (``apply._replay_expiries``):
    the workers summed the points as staged, so the till sums them itself; the walk, which
    reads no points, is still taken."""
    one, two, three = shop
    _busy_history(one)
    path = _export(one, tmp_path / "out")
    with _in_one_process():
        SyncExchange(two).import_file(path, alone=True)
    replay = apply_module._replay_expiries

    def rewrote(*args):  # type: ignore[no-untyped-def]
        replay(*args)
        return True

    monkeypatch.setattr(apply_module, "_replay_expiries", rewrote)
    SyncExchange(three).import_file(path, alone=True)
    assert big == [1] and counts == {"walk": True, "sums": False}
    assert _shared_state(three) == _shared_state(two)
    report = Integrity(three).check()
    assert report.ok, report.problems


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_a_worker_keeps_the_till_s_file_flushed_while_the_import_lasts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So the commit does not wait for a gigabyte to reach the disk (``staging._flush``); a file
    that cannot be opened is no reason to stop anything."""
    import threading
    import time

    till_file = tmp_path / "loyalty.db"
    till_file.write_bytes(b"pages")
    flushed: list[str] = []
    monkeypatch.setattr(staging, "_FLUSH_EVERY_S", 0.01)
    monkeypatch.setattr(
        staging.os, "fsync", lambda fd: flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
    )
    threading.Thread(target=staging._flush, args=(str(till_file),), daemon=True).start()
    deadline = time.monotonic() + 5
    while len(flushed) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert flushed[:3] == [str(till_file)] * 3
    staging._flush(str(tmp_path / "missing" / "loyalty.db"))  # returns at once


@pytest.mark.skipif(not hasattr(staging.fcntl, "F_GETPIPE_SZ"), reason="Linux pipes only")
def test_a_block_crosses_to_a_worker_in_a_few_writes() -> None:
    """The pipe to a worker holds a megabyte (a 4 MiB block in 4 writes, not 64)."""
    import multiprocessing

    receiving, sending = multiprocessing.Pipe(duplex=False)
    staging._widen(sending)
    assert staging.fcntl.fcntl(sending.fileno(), staging.fcntl.F_GETPIPE_SZ) == 1 << 20
    receiving.close()
    sending.close()


def test_a_count_the_worker_cannot_make_is_made_by_the_till(
    shop,
    tmp_path: Path,
    big: list[int],
    counts: dict[str, bool],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The worker is pointed at staging tables that are not there: both its counts fail, it
    says so, and the till counts itself — the same rows, balances and report tables."""
    one, two, three = shop
    _busy_history(one)
    path = _export(one, tmp_path / "out")
    with _in_one_process():
        SyncExchange(two).import_file(path, alone=True)
    start_counts = StagedBundle.start_counts

    def misdirected(self: StagedBundle, sources):  # type: ignore[no-untyped-def]
        start_counts(
            self, {table: [(p, "no_such_table") for p, _ in s] for table, s in sources.items()}
        )

    monkeypatch.setattr(StagedBundle, "start_counts", misdirected)
    with caplog.at_level(logging.WARNING, logger="sync"):
        SyncExchange(three).import_file(path, alone=True)
    assert big == [1] and counts == {"walk": False, "sums": False}
    assert "count of the worker failed" in caplog.text
    assert _shared_state(three) == _shared_state(two)
    report = Integrity(three).check()
    assert report.ok, report.problems
