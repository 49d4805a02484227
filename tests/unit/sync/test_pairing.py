"""The pairing file: a secret for one new till, written whole, its number given once."""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from terminal.app.enrollment import Enrollment
from terminal.app.till import open_till
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import StorageError
from terminal.sync import pairing
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange, shop_key
from terminal.sync.overview import sync_overview
from terminal.sync.pairing import create_pairing, join_pairing


def test_the_file_is_its_owners_alone_and_the_key_stays_out_of_the_log(
    till, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "usb" / "till2.pair"
    with caplog.at_level(logging.DEBUG):
        made = create_pairing(till, 2, out)
    assert made.till_number == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    key = shop_key(till).hex()
    assert json.loads(out.read_text())["shop_key"] == key
    assert key not in caplog.text
    assert [p.name for p in out.parent.iterdir()] == ["till2.pair"]  # no part-written file
    with pytest.raises(BundleRefused, match="Till number 2 is already in use in this shop"):
        create_pairing(till, 2, tmp_path / "again.pair")
    with pytest.raises(BundleRefused, match="Till number 1 is already in use in this shop"):
        create_pairing(till, 1, tmp_path / "mine.pair")
    assert not (tmp_path / "again.pair").exists()


def test_a_pairing_file_that_cannot_be_written_leaves_the_number_free(
    till, tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "usb" / "till2.pair"
    real_fsync = os.fsync

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pairing.os, "fsync", full)
    with pytest.raises(StorageError) as refused:
        create_pairing(till, 2, out)
    assert refused.value.message == (
        f"The pairing file could not be written to {out.parent}: the disk is full. Free some "
        "space there or choose another folder; the till number is still free."
    )
    assert list(out.parent.iterdir()) == []  # nothing with the key in it left behind
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("not a folder")
    with pytest.raises(StorageError, match=r"notes\.txt: File exists\. The till number is still"):
        create_pairing(till, 2, in_the_way / "till2.pair")
    monkeypatch.setattr(pairing.os, "fsync", real_fsync)  # room on the stick again
    assert create_pairing(till, 2, out).till_number == 2
    second = open_till(tmp_path / "two" / "loyalty.db", clock=clock)
    try:
        assert join_pairing(second, out).till_number == 2
        assert second.terminal_number == 2
    finally:
        second.close()


def test_only_a_new_empty_till_joins_a_shop(till, tmp_path: Path, clock) -> None:
    """A till with no sales of its own may still hold its shop's customers (from the other
    tills' news) or have paired other tills: joining another shop would carry those customers
    into it, or leave the paired tills without their shop. Refused, and said why."""
    names = ("other", "listener", "origin", "fresh")
    other, listener, origin, fresh = (
        open_till(tmp_path / name / "loyalty.db", clock=clock) for name in names
    )
    try:
        for number in (2, 3, 4):
            create_pairing(other, number, tmp_path / f"other{number}.pair")
        # a till of the first shop that only listens: it has the shop's customers, no sales
        create_pairing(till, 2, tmp_path / "mine2.pair")
        join_pairing(listener, tmp_path / "mine2.pair")
        Enrollment(till).register(CustomerForm(name="Olena Koval", phone="+380501112233"))
        news = SyncExchange(till).export(tmp_path / "usb", since=0).path
        SyncExchange(listener).import_file(news)
        with pytest.raises(BundleRefused) as refused:
            join_pairing(listener, tmp_path / "other2.pair")
        assert refused.value.message == (
            "This till already holds customers or sales from the other tills of its shop; only "
            "a new, empty till can join a shop."
        )
        assert sync_overview(listener).join_refused is not None
        assert listener.terminal_number == 2  # still a till of its own shop
        # the first till of a shop, before its first sale, that paired another till
        create_pairing(origin, 2, tmp_path / "origin2.pair")
        with pytest.raises(BundleRefused, match="Other tills were paired from this one"):
            join_pairing(origin, tmp_path / "other3.pair")
        assert not sync_overview(origin).can_join
        # and a new, empty till joins
        assert sync_overview(fresh).can_join
        assert join_pairing(fresh, tmp_path / "other4.pair").till_number == 4
    finally:
        for opened in (other, listener, origin, fresh):
            opened.close()


def test_a_pairing_file_that_is_not_there_is_named_as_missing(till, tmp_path: Path) -> None:
    with pytest.raises(BundleRefused) as refused:
        join_pairing(till, tmp_path / "till2.pair")
    assert str(refused.value) == f"There is no file {tmp_path / 'till2.pair'}."
