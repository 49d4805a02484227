"""Other tills' events are kept as they arrived (the bundle file, the hub's events), not as a
journal row each: the till still knows how far it has got with every other till, ``check``
still proves no event is missing, and an erased person's name is blanked in the archive on
every till the erasure reaches."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import orjson
import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.privacy import (
    ERASED_NAME,
    Privacy,
    blanker,
    finish_archive_scrubs,
    scrub_journal,
)
from terminal.core.customer_form import CustomerForm
from terminal.db import journal_archive
from terminal.sync.exchange import SyncExchange
from tests.unit.sync.conftest import balances

PHONE = "+380501234567"


def _archive_text(till) -> bytes:  # type: ignore[no-untyped-def]
    """Everything the till archived, decompressed (what a look into the file would find)."""
    with till.read_driver() as db:
        runs = db.execute(
            "SELECT terminal_id, first_seq FROM journal_archive WHERE piece = 0 ORDER BY id"
        ).fetchall()
        return b"".join(
            gzip.decompress(journal_archive._body(db, terminal, first)) for terminal, first in runs
        )


def _runs(till) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    with till.read_driver() as db:
        return db.execute(
            "SELECT first_seq, last_seq, source FROM journal_archive WHERE piece = 0 ORDER BY id"
        ).fetchall()


def _export(till, out: Path, since: int | None = None) -> Path:  # type: ignore[no-untyped-def]
    bundle = SyncExchange(till).export(out, since=since)
    assert bundle.path is not None
    return bundle.path


def _olena_buys(till, out: Path) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    """Till 1 registers Olena and sells to her; her card and the bundle of both events."""
    card = Enrollment(till).register(CustomerForm(name="Olena Koval", phone=PHONE)).card
    Counter(till).checkout(SaleRequest(card=card, amount=120_00))
    return card, _export(till, out)


def test_an_imported_bundle_is_kept_as_the_file_and_the_cursor_reads_it(  # type: ignore[no-untyped-def]
    shop, tmp_path: Path
) -> None:
    one, two, _ = shop
    card, first = _olena_buys(one, tmp_path / "a")
    result = SyncExchange(two).import_file(first)
    assert result.applied == result.last_seq == 2  # registration, sale

    with two.read_driver() as db:
        rows = db.execute(
            "SELECT COUNT(*) FROM journal_event WHERE terminal_id = ?", (one.terminal_id,)
        ).fetchone()[0]
        archived = list(journal_archive.events(db, one.terminal_id))
    assert rows == 0  # no journal row per event of another till
    with one.read_driver() as db:
        ids = [r[0] for r in db.execute("SELECT id FROM journal_event ORDER BY seq")]
    assert [e["id"] for e in archived] == ids
    with two.read_driver() as db:
        (body,) = db.execute("SELECT body FROM journal_archive").fetchone()
    assert bytes(body) == first.read_bytes()  # the signed file, byte for byte
    assert _runs(two) == [(1, 2, "bundle")]

    # the same file again: nothing applied, nothing archived twice
    assert SyncExchange(two).import_file(first).applied == 0
    assert _runs(two) == [(1, 2, "bundle")]
    # the next bundle carries on from the archived run; one that overlaps it applies the rest
    Counter(one).checkout(SaleRequest(card=card, amount=30_00))
    Counter(one).checkout(SaleRequest(card=card, amount=45_00))
    overlapping = _export(one, tmp_path / "b", since=1)
    assert SyncExchange(two).import_file(overlapping).applied == 2
    assert _runs(two) == [(1, 2, "bundle"), (3, 4, "bundle")]
    assert SyncExchange(two).status().peers[0]["events"] == 4
    assert balances(two) == balances(one)
    report = Integrity(two).check()
    assert report.ok, report.problems
    assert report.events == 4


def test_check_names_a_missing_run_of_another_till(shop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one, two, _ = shop
    for amount in (10_00, 20_00):
        Counter(one).checkout(SaleRequest(card=None, amount=amount))
        SyncExchange(two).import_file(_export(one, tmp_path / str(amount)))
    assert Integrity(two).check().ok
    with sqlite3.connect(two.db_path) as db:
        db.execute("DELETE FROM journal_archive WHERE first_seq = 1")
    db.close()
    problems = [str(p) for p in Integrity(two).check().problems]
    assert any("1 events but sequence numbers run from 2 to 2" in p for p in problems), problems


def test_erasing_a_customer_blanks_them_in_the_archive_of_every_till(  # type: ignore[no-untyped-def]
    shop, tmp_path: Path, clock
) -> None:
    one, two, three = shop
    card, registration = _olena_buys(one, tmp_path / "a")
    for till in (two, three):
        SyncExchange(till).import_file(registration)
    assert b"Olena Koval" in _archive_text(two)
    with two.read_driver() as db:
        (arrived,) = db.execute("SELECT received_at FROM journal_archive").fetchone()

    # erased on till 2 a day later: its own archive of till 1's registration is blanked at once
    clock.advance(days=1)
    Privacy(two).erase(card)
    with two.read_driver() as db:
        row = db.execute("SELECT received_at, scrubbed_at FROM journal_archive").fetchone()
    assert row[0] == arrived and row[1] > arrived  # when it arrived stays; when blanked is new
    assert b"Olena Koval" not in _archive_text(two)
    assert PHONE.encode() not in _archive_text(two)
    assert ERASED_NAME.encode() in _archive_text(two)
    with two.read_driver() as db:
        assert db.execute("SELECT scrubbed_at IS NOT NULL FROM journal_archive").fetchone()[0]
        assert [e["seq"] for e in journal_archive.events(db, one.terminal_id)] == [1, 2]
    assert Integrity(two).check().ok

    # till 3 hears of the erasure from till 2's bundle and blanks its archive of till 1 too
    SyncExchange(three).import_file(_export(two, tmp_path / "b"))
    assert b"Olena Koval" not in _archive_text(three)
    assert PHONE.encode() not in _archive_text(three)
    # and till 1, which registered her, blanks its own journal
    SyncExchange(one).import_file(_export(two, tmp_path / "c", since=0))
    with one.read_driver() as db:
        payloads = [r[0] for r in db.execute("SELECT payload FROM journal_event")]
    assert not any("Olena Koval" in p for p in payloads)
    for till in (one, two, three):
        report = Integrity(till).check()
        assert report.ok, report.problems
    assert balances(one) == balances(two) == balances(three)


@pytest.mark.parametrize("pieces", [1, 3])
def test_a_body_too_big_for_one_value_is_kept_in_pieces(  # type: ignore[no-untyped-def]
    shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: int
) -> None:
    one, two, _ = shop
    for amount in (10_00, 20_00, 30_00):
        Counter(one).checkout(SaleRequest(card=None, amount=amount))
    path = _export(one, tmp_path / "a")
    size = len(path.read_bytes())
    monkeypatch.setattr(journal_archive, "PIECE_BYTES", -(-size // pieces))
    SyncExchange(two).import_file(path)
    with two.read_driver() as db:
        (count,) = db.execute("SELECT COUNT(*) FROM journal_archive").fetchone()
        seqs = [e["seq"] for e in journal_archive.events(db, one.terminal_id)]
    assert count == pieces
    assert seqs == [1, 2, 3]
    assert _runs(two) == [(1, 3, "bundle")]
    assert Integrity(two).check().events == 3


def test_an_erasure_left_half_done_is_finished_and_news_meanwhile_are_covered(  # type: ignore[no-untyped-def]
    shop, tmp_path: Path
) -> None:
    one, two, _ = shop
    card = Enrollment(one).register(CustomerForm(name="Olena Koval", phone=PHONE)).card
    SyncExchange(two).import_file(_export(one, tmp_path / "a"))
    customer = Customers(two).find(card).customer_id

    # a program stopped between the erasure's commit and the archive's rewrite...
    with two.write_driver() as db:
        scrub_journal(db, customer, two.now())
    assert b"Olena Koval" in _archive_text(two)
    # ...the next news finish it, and the news themselves are covered (till 1 corrected her phone)
    Desk(one).edit(customer, CustomerForm(name="Olena Koval", phone="+380501112299"))
    SyncExchange(two).import_file(_export(one, tmp_path / "b"))
    text = _archive_text(two)
    assert b"Olena Koval" not in text and b"+380501112299" not in text
    with two.read_driver() as db:
        assert journal_archive.waiting_scrubs(db) == []

    # news archived while a rewrite is being prepared: that round is not the last
    with two.write_driver() as db:
        scrub_journal(db, customer, two.now())
    with two.read_driver() as db:
        plan = journal_archive.prepare_scrub(db, [customer], blanker([customer]))
    assert plan.rewrites == []  # nothing left to blank in what was read
    edit = {
        "id": "late-edit",
        "terminal_id": one.terminal_id,
        "seq": 99,
        "type": "customer.edited",
        "created_at": "2026-03-02T10:05:00",
        "payload": json.dumps(
            {"updates": [{"table": "customer", "key": customer, "fields": {"phone": "+3805"}}]}
        ),
    }
    with two.write_driver() as db:
        journal_archive.keep(
            db, one.terminal_id, 99, 99, "hub", journal_archive.encode_events([edit]), two.now()
        )
    with two.write_driver() as db:
        assert journal_archive.write_scrub(db, plan, two.now()) == (0, False)
        assert journal_archive.waiting_scrubs(db) == [customer]  # still asked for
    assert finish_archive_scrubs(two) == 1  # the next round covers the run that came meanwhile
    assert b'"+3805"' not in _archive_text(two)
    with two.read_driver() as db:
        assert journal_archive.waiting_scrubs(db) == []


def test_a_big_body_is_compressed_in_parallel_members_and_read_back_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(journal_archive, "PARALLEL_TEXT", 1_000)  # "big" from 1 kB
    monkeypatch.setattr(journal_archive, "ZLIB_CHUNK", 64)  # fed to zlib 64 bytes at a time
    events = [
        {"id": f"e{seq}", "seq": seq, "payload": json.dumps({"rows": {"n": [seq] * 20}})}
        for seq in range(1, 301)
    ]
    body = journal_archive.encode_events(events)
    assert body.count(b"\x1f\x8b\x08") >= 2  # several gzip members
    assert gzip.decompress(body) == b"".join(orjson.dumps(e) + b"\n" for e in events)
    text = journal_archive._decompressed(body)
    assert list(journal_archive._run_events(text, 1, 300)) == events
    with pytest.raises(Exception, match="cut short"):
        journal_archive._decompressed(body[:-20])


@pytest.mark.parametrize("news_last", ["registration", "edit"])
def test_news_of_a_customer_arriving_after_her_erasure_are_blanked_in_the_archive(  # type: ignore[no-untyped-def]
    shop, tmp_path: Path, clock, news_last: str
) -> None:
    """Till 3 hears of the erasure before the news that carry her name: the registration
    (till 1's bundle comes last) or an edit made on till 2 before it heard of the erasure."""
    one, two, three = shop
    card, registration = _olena_buys(one, tmp_path / "a")
    SyncExchange(two).import_file(registration)
    customer = Customers(two).by_card(card).customer_id
    if news_last == "edit":
        SyncExchange(three).import_file(registration)
    clock.advance(hours=1)
    Privacy(two).erase(card)
    erasure = _export(two, tmp_path / "b", since=0)
    clock.advance(hours=1)
    if news_last == "edit":  # till 1 has not heard of it when it corrects her phone
        Desk(one).edit(customer, CustomerForm(name="Olena Koval", phone="+380671234567"))
    SyncExchange(three).import_file(erasure)
    SyncExchange(three).import_file(_export(one, tmp_path / "c", since=0))
    assert b"Olena Koval" not in _archive_text(three)
    assert PHONE.encode() not in _archive_text(three)
    assert b"+380671234567" not in _archive_text(three)
    with three.read_driver() as db:
        assert db.execute(
            "SELECT name, phone FROM customer WHERE id = ?", (customer,)
        ).fetchone() == (ERASED_NAME, None)
    report = Integrity(three).check()
    assert report.ok, report.problems
