"""A big catch-up (a new till importing a shop's history) counts the report aggregates once at the
end instead of row by row and builds the tables' plain indexes after the rows instead of row by
row, with a rollback journal when it has the file to itself; the owner's figures come out the
same, the triggers and indexes are back for the next sale, and a refused bundle still changes
nothing — not even the triggers or indexes."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.app.report_series import weeks
from terminal.app.reports import period_figures
from terminal.core.customer_form import CustomerForm
from terminal.core.kpis import Period
from terminal.sync import exchange, staging
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange
from tests.unit.sync.conftest import content_digest

YEAR = Period(date(2000, 1, 1), date(2100, 1, 1))


def _triggers(till) -> set[str]:  # type: ignore[no-untyped-def]
    with closing(sqlite3.connect(till.db_path)) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}


def _indexes(till) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with closing(sqlite3.connect(till.db_path)) as db:
        return set(db.execute("SELECT name, sql FROM sqlite_master WHERE type='index'"))


def _figures(till):  # type: ignore[no-untyped-def]
    with till.read_driver() as db:
        return period_figures(db, YEAR), weeks(db, Period(till.now().date(), till.now().date()))


@pytest.fixture(params=["worker processes", "one process"])
def recount_everything(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> list[int]:
    """Every import counts as big — staged by worker processes (sync/staging.py) or, where a
    machine has one core, in one; returns the list of recounts made (one item each)."""
    monkeypatch.setattr(exchange, "RECOUNT_MIN_EVENTS", 1)
    if request.param == "one process":
        monkeypatch.setattr(staging, "worker_count", lambda: 0)
    recounts: list[int] = []
    rebuild = exchange.report_aggregates.rebuild

    def counted(db: sqlite3.Connection, walked: object = None) -> None:
        recounts.append(1)
        rebuild(db, walked)  # type: ignore[arg-type]

    monkeypatch.setattr(exchange.report_aggregates, "rebuild", counted)
    return recounts


def test_a_big_import_is_counted_once_and_the_figures_match(  # type: ignore[no-untyped-def]
    shop, tmp_path: Path, recount_everything, caplog: pytest.LogCaptureFixture
) -> None:
    one, two, _ = shop
    for name, phone in (("Olena Koval", "+380501112233"), ("Ivan Shevchenko", "+380671112233")):
        card = Enrollment(one).register(CustomerForm(name=name, phone=phone)).card
        sale = Counter(one).checkout(SaleRequest(card=card, amount=100_00))
        Counter(one).checkout(SaleRequest(card=card, amount=50_00))
        Refunds(one).refund(sale.sale_id, 40_00)
    Counter(one).checkout(SaleRequest(card=None, amount=30_00))
    everything, indexes = _triggers(one), _indexes(one)
    bundle = SyncExchange(one).export(tmp_path / "out", since=0)
    assert bundle.path is not None
    with caplog.at_level(logging.INFO, logger="db"):
        assert SyncExchange(two).import_file(bundle.path).applied == bundle.count
    assert recount_everything == [1]  # counted once, at the end
    # the window's import stays in WAL, so the counter keeps reading beside it
    assert "rollback journal" not in caplog.text
    assert _figures(two) == _figures(one)
    assert _triggers(two) == everything
    assert _indexes(two) == indexes
    report = Integrity(two).check()
    assert report.ok, report.problems
    # the triggers count the next sale on the till that imported
    Counter(two).checkout(SaleRequest(card=None, amount=10_00))
    assert _figures(two)[0].sales == _figures(one)[0].sales + 1
    assert Integrity(two).check().ok


def test_a_refused_big_import_changes_nothing(  # type: ignore[no-untyped-def]
    shop, tmp_path: Path, recount_everything, caplog: pytest.LogCaptureFixture
) -> None:
    one, two, three = shop
    # a customer registered on till 3 reaches till 1 only: till 1's sale to them cannot be
    # applied on till 2, which has not heard of them
    card = Enrollment(three).register(CustomerForm(name="Maria Bondar", phone="+380931112233"))
    news = SyncExchange(three).export(tmp_path / "three", since=0)
    assert news.path is not None
    SyncExchange(one).import_file(news.path)
    Counter(one).checkout(SaleRequest(card=card.card, amount=70_00))
    bundle = SyncExchange(one).export(tmp_path / "one", since=0)
    assert bundle.path is not None
    before, triggers, indexes = content_digest(two), _triggers(two), _indexes(two)
    with caplog.at_level(logging.INFO, logger="db"), pytest.raises(BundleRefused):
        SyncExchange(two).import_file(bundle.path, alone=True)  # as `sync import` does
    # alone on the file, the load ran with a rollback journal, and its rollback left every page
    assert "bulk load with a rollback journal" in caplog.text
    assert content_digest(two) == before
    assert _triggers(two) == triggers
    assert _indexes(two) == indexes
