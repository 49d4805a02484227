"""Export and import of signed bundles between two tills of one shop."""

from __future__ import annotations

import errno
import gzip
import re
import warnings
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.app.till import open_till
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import StorageError
from terminal.sync import bundle as bundle_module
from terminal.sync.apply import _db_value, _row_insert
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange, events_waiting
from tests.unit.sync.conftest import balances, file_digest


def _busy_day(till, name: str, phone: str) -> str:
    card = Enrollment(till).register(CustomerForm(name=name, phone=phone)).card
    sale = Counter(till).checkout(SaleRequest(card=card, amount=100_00))
    Counter(till).checkout(SaleRequest(card=card, amount=50_00))
    Refunds(till).refund(sale.sale_id, 40_00)
    return card


def test_a_bundle_carries_customers_sales_and_refunds_to_another_till(shop, tmp_path: Path):
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    result = SyncExchange(one).export(tmp_path / "out", since=0)
    assert result.count == 4 and result.path is not None
    imported = SyncExchange(two).import_file(result.path)
    assert imported.applied == 4
    assert balances(one) == balances(two)
    assert Integrity(two).check().ok, Integrity(two).check().problems


def _times(till) -> list[tuple]:
    with till.read_driver() as db:
        return db.execute(
            "SELECT 'sale', id, created_at FROM purchase UNION ALL "
            "SELECT 'entry', id, created_at FROM ledger_entry UNION ALL "
            "SELECT 'lot', id, granted_at || '|' || COALESCE(expires_at, '') FROM points_lot "
            "UNION ALL SELECT 'customer', id, created_at FROM customer ORDER BY 1, 2"
        ).fetchall()


def test_imported_times_are_stored_as_the_selling_till_stored_them(shop, clock, tmp_path):
    """A sale at a whole second and one a few microseconds past: the other till files both
    exactly as this one did, so days in reports and "latest visit" agree between them."""
    one, two, _ = shop
    card = Enrollment(one).register(CustomerForm(name="Olena Koval", phone="+380501112233")).card
    Counter(one).checkout(SaleRequest(card=card, amount=100_00))
    clock.advance(hours=1, microseconds=250)
    Counter(one).checkout(SaleRequest(card=card, amount=50_00))
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    SyncExchange(two).import_file(path)
    mine = _times(one)
    assert {len(at) for _, _, at in mine if "|" not in at} == {26}
    assert any(at.endswith(".000000") for _, _, at in mine)
    assert any(at.endswith(".000250") for _, _, at in mine)
    assert _times(two) == mine


@pytest.mark.parametrize(
    ("granted", "expires"),
    [
        ("2026-03-01T09:30:00", None),
        ("2026-03-01T09:30:00.000250", "2027-03-01T09:30:00.000250"),
        ("2026-03-01 09:30:00.000000", "2027-03-01T23:59:59"),  # already in the stored form
    ],
)
def test_time_columns_take_what_db_value_gives(shop, granted, expires):
    """The catch-up converts a date-time column's payload text in SQL (one expression, no
    subquery); what it stores is what the app stores, the rule _db_value keeps for updates."""
    one, _, _ = shop
    who = Enrollment(one).register(CustomerForm(name="Olena Koval")).customer_id
    row = {
        "id": "lot-1",
        "customer_id": who,
        "points": 5,
        "remaining": 5,
        "granted_at": granted,
        "expires_at": expires,
    }
    sql, values = _row_insert("points_lot", tuple(row))
    with one.write_driver() as db:
        db.executemany(sql, [values(row)])
        stored = db.execute(
            "SELECT granted_at, expires_at FROM points_lot WHERE id = 'lot-1'"
        ).fetchone()
    assert tuple(stored) == (_db_value(granted), _db_value(expires))


def test_imported_rows_bind_each_value_by_a_plain_placeholder(shop, tmp_path):
    """Since Python 3.12 the sqlite3 module warns for every numbered or named placeholder
    bound from a sequence (a catch-up took three times as long there) and 3.14 refuses them:
    every row insert of the import binds its values by bare ``?``, once each."""
    for table in [*SQLModel.metadata.tables.values()]:
        columns = tuple(table.c.keys())
        sql, values = _row_insert(table.name, columns)
        assert not re.findall(r"[?:@$][A-Za-z0-9_]", sql), sql
        assert sql.count("?") == len(values(dict.fromkeys(columns))), sql
    sql, _ = _row_insert("a_table_of_a_newer_release", ("id", "at"))
    assert not re.findall(r"[?:@$][A-Za-z0-9_]", sql) and sql.count("?") == 2
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a DeprecationWarning of the sqlite3 module fails here
        assert SyncExchange(two).import_file(path).applied == 4
    assert balances(two) == balances(one)


def test_reimport_changes_nothing(shop, tmp_path: Path):
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    SyncExchange(two).import_file(path)
    before = file_digest(two)
    again = SyncExchange(two).import_file(path)
    assert (again.applied, again.skipped) == (0, 4)
    assert file_digest(two) == before


def _refused(till, path: Path, reason: str) -> None:
    before = file_digest(till)
    with pytest.raises(BundleRefused, match=reason):
        SyncExchange(till).import_file(path)
    assert file_digest(till) == before


def _rewrite(path: Path, change) -> Path:
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    out = path.with_name("changed.ltb")
    out.write_bytes(gzip.compress(b"\n".join(change(lines))))
    return out


def test_tampered_bundle_is_refused_and_nothing_changes(shop, tmp_path: Path):
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    tampered = _rewrite(path, lambda lines: [line.replace(b"10000", b"99900") for line in lines])
    _refused(two, tampered, "signature does not match")


def test_truncated_bundle_is_refused(shop, tmp_path: Path):
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    cut = tmp_path / "cut.ltb"
    cut.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    _refused(two, cut, "damaged or cut short")
    no_signature = _rewrite(path, lambda lines: lines[:-2])
    _refused(two, no_signature, "signature")


def test_duplicated_events_are_refused(shop, tmp_path: Path):
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    data = gzip.decompress(path.read_bytes()).split(b"\n")
    # a re-signed bundle with an event twice: the signature holds, the run of numbers does not
    from terminal.sync.bundle import sign
    from terminal.sync.exchange import shop_key

    body = b"\n".join([data[0], data[1], data[1], *data[2:-2]]) + b"\n"
    doubled = tmp_path / "doubled.ltb"
    doubled.write_bytes(
        gzip.compress(body + b'{"signature":"' + sign(shop_key(one), body).encode() + b'"}\n')
    )
    _refused(two, doubled, "out of order|twice|should hold")


def test_foreign_shop_bundle_is_refused(shop, tmp_path: Path, clock):
    _one, two, _ = shop
    stranger = open_till(tmp_path / "other" / "loyalty.db", clock=clock)
    _busy_day(stranger, "Someone Else", "+380509998877")
    path = SyncExchange(stranger).export(tmp_path / "out", since=0).path
    stranger.close()
    _refused(two, path, "signature does not match")


def test_a_till_of_no_shop_yet_refuses_a_bundle_without_making_itself_a_key(shop, tmp_path, clock):
    one, _two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    path = SyncExchange(one).export(tmp_path / "out").path
    alone = open_till(tmp_path / "alone" / "loyalty.db", clock=clock)
    try:
        _refused(alone, path, "signature does not match")  # the file, key included, unchanged
    finally:
        alone.close()


def test_out_of_order_bundle_is_refused_until_the_earlier_one_arrives(shop, tmp_path: Path):
    one, two, _ = shop
    card = _busy_day(one, "Olena Koval", "+380501112233")
    first = SyncExchange(one).export(tmp_path / "a").path
    Counter(one).checkout(SaleRequest(card=card, amount=10_00))
    second = SyncExchange(one).export(tmp_path / "b").path
    _refused(two, second, "missing")
    SyncExchange(two).import_file(first)
    assert SyncExchange(two).import_file(second).applied == 1
    assert balances(one) == balances(two)


def test_waiting_events_count_for_the_status_bar(shop, tmp_path: Path):
    one, _two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    assert events_waiting(one) == 4
    SyncExchange(one).export(tmp_path / "out")
    assert events_waiting(one) == 0
    assert SyncExchange(one).export(tmp_path / "out").path is None


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_partial_one(
    shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    one, _, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    out = tmp_path / "out"
    first = SyncExchange(one).export(out, since=0)
    assert first.path is not None
    before = first.path.read_bytes()

    def disk_full(self, chunk: bytes) -> None:  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle_module._Compressor, "put", disk_full)
    with pytest.raises(StorageError, match="the disk is full"):
        SyncExchange(one).export(out, since=0)  # the same name: written beside, never over
    assert first.path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [first.path.name]


def test_reimporting_the_applied_file_is_answered_from_the_archive_and_a_changed_copy_is_not(
    shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The very file applied before (kept in the archive, byte for byte) is "nothing new" at
    once, without decompressing it again; a copy with one byte changed is read out and refused
    for its signature, even though it claims only numbers this till already holds."""
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    path = SyncExchange(one).export(tmp_path / "out", since=0).path
    assert path is not None
    SyncExchange(two).import_file(path)
    read_out: list[int] = []
    verify = bundle_module.SignedBundle.verify

    def counted(self) -> None:  # type: ignore[no-untyped-def]
        read_out.append(1)
        verify(self)

    monkeypatch.setattr(bundle_module.SignedBundle, "verify", counted)
    copy = tmp_path / "copy.ltb"
    copy.write_bytes(path.read_bytes())
    again = SyncExchange(two).import_file(copy)
    assert (again.applied, again.skipped) == (0, 4)
    assert read_out == []
    tampered = _rewrite(path, lambda lines: [line.replace(b"10000", b"99900") for line in lines])
    _refused(two, tampered, "signature does not match")
    assert read_out


def test_a_bundle_that_cannot_be_written_is_said_in_plain_words_and_nothing_is_marked_sent(
    shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    one, two, _ = shop
    _busy_day(one, "Olena Koval", "+380501112233")
    waiting = events_waiting(one)
    # a full USB stick: the last of the file does not fit (the disk says so at the latest
    # when the till makes sure the file is on it)
    usb = tmp_path / "usb"

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_module.os, "fsync", full)
    with pytest.raises(StorageError) as refused:
        SyncExchange(one).export(usb)
    assert refused.value.message == (
        f"The bundle could not be written to {usb}: the disk is full. Nothing was marked as "
        "sent; free some space there or choose another folder."
    )
    assert list(usb.iterdir()) == []  # no part-written file left behind
    assert events_waiting(one) == waiting
    # a file where the folder should be (a stick mounted elsewhere, a typo)
    monkeypatch.undo()
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("not a folder")
    with pytest.raises(StorageError, match=r"could not be written to .*notes\.txt: File exists"):
        SyncExchange(one).export(in_the_way)
    # space again: the same news go out whole and arrive
    result = SyncExchange(one).export(usb)
    assert result.count == waiting and events_waiting(one) == 0
    assert SyncExchange(two).import_file(result.path).applied == waiting


def test_a_folder_or_an_unreadable_file_given_for_a_bundle_is_named_for_what_it_is(
    shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _one, two, _ = shop
    before = file_digest(two)
    with pytest.raises(BundleRefused) as refused:
        SyncExchange(two).import_file(tmp_path)
    assert refused.value.message == (
        f"{tmp_path} is a folder, not a bundle file: give the bundle file in it (its name ends "
        "in .ltb)."
    )
    stick = tmp_path / "till1.ltb"
    stick.write_bytes(b"\x1f\x8b")

    def failing(self: Path) -> bytes:
        raise OSError(errno.EIO, "Input/output error")  # a stick going bad

    monkeypatch.setattr(Path, "read_bytes", failing)
    with pytest.raises(BundleRefused) as refused:
        SyncExchange(two).import_file(stick)
    assert refused.value.message == (f"The bundle file {stick} cannot be read: Input/output error.")
    monkeypatch.undo()
    assert file_digest(two) == before
