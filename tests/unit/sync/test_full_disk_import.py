"""A bundle that does not fit on the disk: refused in plain words, nothing of it kept, and the
same bundle goes in whole once there is room — in the window (WAL, row by row) and in
``sync import`` (a big catch-up alone on the file, with a rollback journal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import StorageError
from terminal.sync import exchange
from terminal.sync.exchange import SyncExchange
from tests.e2e.test_disk_full_writes import _limit_pages
from tests.unit.sync.conftest import balances, content_digest


@pytest.mark.parametrize("alone", [False, True], ids=["window", "sync-import-command"])
def test_a_bundle_that_does_not_fit_is_refused_whole_and_goes_in_once_there_is_room(
    shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: bool
) -> None:
    one, two, _three = shop
    if alone:
        monkeypatch.setattr(exchange, "RECOUNT_MIN_EVENTS", 1)  # loaded as a big catch-up
    for n in range(40):
        form = CustomerForm(name=f"Customer {n} with a long name", phone=f"+3805011{n:05d}")
        card = Enrollment(one).register(form).card
        Counter(one).checkout(SaleRequest(card=card, amount=100_00 + n))
    bundle = SyncExchange(one).export(tmp_path / "out", since=0)
    assert bundle.path is not None
    before = content_digest(two)
    _limit_pages(two, 4)  # the disk has room for four more pages
    with pytest.raises(StorageError) as refused:
        SyncExchange(two).import_file(bundle.path, alone=alone)
    assert refused.value.message == (
        "The disk is full: nothing was saved. Free some space and try again."
    )
    _limit_pages(two, None)
    assert content_digest(two) == before  # not a row, not a page of it
    assert SyncExchange(two).status().peers == []  # nothing known of till 1 yet
    # the owner frees some space and imports the same file again
    assert SyncExchange(two).import_file(bundle.path, alone=alone).applied == bundle.count
    assert balances(two) == balances(one)
    report = Integrity(two).check()
    assert report.ok, report.problems
