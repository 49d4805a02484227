"""The pairing file: a secret for one new till, written whole, its number given once."""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from terminal.app.till import open_till
from terminal.core.errors import StorageError
from terminal.sync import pairing
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import shop_key
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
