"""A full disk or a read-only database: a clear message, no confirmed sale lost, the till goes on.

The real thing first — the database on a small tmpfs that fills up (needs root to mount; skipped
otherwise) — then the same promises with SQLite's own limits, which run everywhere:
``max_page_count`` makes SQLite answer "database or disk is full" exactly as a full disk does,
and ``query_only`` makes it refuse writes as a read-only file does.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import event

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.till import Till, open_till
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import StorageError
from terminal.db.engine import make_engine
from terminal.sync.exchange import SyncExchange
from terminal.sync.pairing import create_pairing
from tests.e2e.cli_helpers import dump, run_cli, run_json


def _sell_until_refused(till: Till, card: str, limit: int) -> tuple[list[str], StorageError]:
    """Ring up sales until the database refuses one; returns the confirmed ids and the error."""
    confirmed: list[str] = []
    counter = Counter(till)
    for i in range(limit):
        sale_id = str(uuid.uuid4())
        try:
            counter.checkout(SaleRequest(card, 10_000 + i), sale_id)
        except StorageError as exc:
            return confirmed, exc
        confirmed.append(sale_id)
    raise AssertionError(f"{limit} sales went through: the disk never filled")


def _stored_sales(till: Till) -> set[str]:
    with till.read_driver() as db:
        return {row[0] for row in db.execute("SELECT id FROM purchase")}


def _prove_still_working(till: Till, card: str, confirmed: list[str]) -> None:
    """Reads work while the disk is full; nothing confirmed is missing."""
    view = Customers(till).by_card(card)
    assert view.balance > 0
    assert set(confirmed) <= _stored_sales(till)


def _fill_disk(folder: Path) -> Path:
    ballast = folder / "ballast.bin"
    with ballast.open("wb", buffering=0) as f:  # unbuffered: close() has nothing left to fail
        try:
            while True:
                f.write(b"\0" * 16_384)
        except OSError:
            pass
    return ballast


def test_full_disk_on_a_real_filesystem(tiny_tmpfs: Path, clock) -> None:
    db = tiny_tmpfs / "loyalty.db"
    till = open_till(db, clock=clock)
    card = Enrollment(till).register(CustomerForm(name="Full Disk")).card
    before, _ = _sell(till, card, 20)
    ballast = _fill_disk(tiny_tmpfs)
    after, refused = _sell_until_refused(till, card, 20_000)
    confirmed = before + after
    print(f"\ndisk full (tmpfs): {len(confirmed)} sales confirmed before: {refused.message}")
    assert "disk is full" in refused.message and "nothing was saved" in refused.message
    _prove_still_working(till, card, confirmed)
    ballast.unlink()  # the owner frees some space
    more, _ = _sell(till, card, 5)
    assert len(more) == 5
    assert set(confirmed + more) == _stored_sales(till)
    report = Integrity(till).check()
    assert report.ok, report.problems
    till.close()


def _sell(till: Till, card: str, count: int) -> tuple[list[str], None]:
    """Ring up ``count`` sales that must all go through."""
    counter = Counter(till)
    ids = [str(uuid.uuid4()) for _ in range(count)]
    for sale_id in ids:
        counter.checkout(SaleRequest(card, 777), sale_id)
    return ids, None


def _limit_pages(till: Till, extra_pages: int | None) -> None:
    """Reconnect with ``max_page_count`` just above today's size (None: lift the limit)."""
    till.engine.dispose()
    engine = make_engine(till.db_path)
    with till.read_driver() as db:
        (pages,) = db.execute("PRAGMA page_count").fetchone()
    if extra_pages is not None:
        limit = pages + extra_pages

        @event.listens_for(engine, "connect")
        def _limit(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_connection.execute(f"PRAGMA max_page_count={limit}")

    till.engine = engine


def test_database_full_refuses_the_sale_cleanly_and_recovers(till, clock) -> None:
    card = Enrollment(till).register(CustomerForm(name="Page Limit")).card
    _limit_pages(till, 6)
    confirmed, refused = _sell_until_refused(till, card, 5_000)
    print(f"\ndatabase full (max_page_count): {len(confirmed)} sales, then: {refused.message}")
    assert confirmed  # some fitted, then the limit hit
    assert refused.message == "The disk is full: nothing was saved. Free some space and try again."
    _prove_still_working(till, card, confirmed)
    assert _stored_sales(till) == set(confirmed)  # the refused sale left nothing behind
    _limit_pages(till, None)
    more, _ = _sell(till, card, 3)
    assert _stored_sales(till) == set(confirmed + more)
    report = Integrity(till).check()
    assert report.ok, report.problems


def test_read_only_database_refuses_writes_and_keeps_reading(till) -> None:
    card = Enrollment(till).register(CustomerForm(name="Read Only")).card
    kept, _ = _sell(till, card, 2)
    till.engine.dispose()
    engine = make_engine(till.db_path)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA query_only=ON")

    till.engine = engine
    with pytest.raises(StorageError) as refused:
        Counter(till).checkout(SaleRequest(card, 5000), str(uuid.uuid4()))
    assert "read-only" in refused.value.message and "nothing was saved" in refused.value.message
    assert _stored_sales(till) == set(kept)
    assert Customers(till).by_card(card).visits == 2
    till.engine.dispose()
    till.engine = make_engine(till.db_path)
    more, _ = _sell(till, card, 1)
    assert _stored_sales(till) == set(kept + more)


def test_a_bundle_import_on_a_full_disk_is_refused_and_goes_in_once_there_is_room(
    tiny_tmpfs: Path, tmp_path: Path, clock
) -> None:
    """``sync import`` on a till whose disk is full (the real thing: a tmpfs filled up)."""
    one = open_till(tmp_path / "one" / "loyalty.db", clock=clock)
    for n in range(150):
        form = CustomerForm(name=f"Customer {n} with a long name", phone=f"+3805011{n:05d}")
        card = Enrollment(one).register(form).card
        Counter(one).checkout(SaleRequest(card, 100_00 + n))
    create_pairing(one, 2, tmp_path / "till2.pair")
    bundle = SyncExchange(one).export(tmp_path / "usb", since=0)
    assert bundle.path is not None
    one.close()
    two = tiny_tmpfs / "loyalty.db"
    run_json(two, "sync", "pair-join", str(tmp_path / "till2.pair"))
    before = dump(two)
    ballast = _fill_disk(tiny_tmpfs)
    # not a byte free: SQLite cannot even open the file (it says "disk I/O error")
    refused = run_cli(two, "sync", "import", str(bundle.path))
    print(f"\ndisk full (tmpfs), sync import: {refused.stderr.strip()}")
    assert refused.returncode != 0
    assert "The disk is full: nothing was saved." in refused.stderr
    # room to open the file, not to take the bundle: the import runs out of space half-way
    os.truncate(ballast, ballast.stat().st_size - 100 * 1024)
    refused = run_cli(two, "sync", "import", str(bundle.path))
    print(f"disk full half-way (tmpfs), sync import: {refused.stderr.strip()}")
    assert refused.returncode != 0
    assert "The disk is full: nothing was saved." in refused.stderr
    ballast.unlink()  # the owner frees some space and imports the same file again
    assert dump(two) == before
    assert run_json(two, "sync", "import", str(bundle.path))["applied"] == bundle.count
    assert run_cli(two, "check").returncode == 0


def test_a_bundle_exported_to_a_full_usb_stick_is_refused_in_plain_words(
    tiny_tmpfs: Path, tmp_path: Path
) -> None:
    """``sync export --out`` to a stick with no room (the real thing: a tmpfs filled up)."""
    till = tmp_path / "till" / "loyalty.db"
    till.parent.mkdir()
    olena = run_json(till, "customer", "add", "--name", "Олена Коваленко", "--phone", "0671234567")
    run_json(till, "sale", "--card", olena["card"], "--amount", "300")
    waiting = run_json(till, "sync", "status")["waiting"]
    ballast = _fill_disk(tiny_tmpfs)
    refused = run_cli(till, "sync", "export", "--out", str(tiny_tmpfs / "usb"))
    print(f"\nexport to a full stick: {refused.stderr.strip()}")
    assert refused.returncode != 0
    assert "the disk is full. Nothing was marked as sent" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert list((tiny_tmpfs / "usb").iterdir()) == []  # no part-written file left
    assert run_json(till, "sync", "status")["waiting"] == waiting
    ballast.unlink()
    exported = run_json(till, "sync", "export", "--out", str(tiny_tmpfs / "usb"))
    assert exported["count"] == waiting
