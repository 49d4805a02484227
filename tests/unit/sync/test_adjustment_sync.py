"""A manual point adjustment travels to the other tills like any other fact: the same balance,
the same reason, the same lots everywhere, and ``check`` is happy on every till."""

from __future__ import annotations

from pathlib import Path

from terminal.app.adjustments import PointAdjustments
from terminal.app.counter import Counter, SaleRequest
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.staff import StaffRoster
from terminal.core.customer_form import CustomerForm
from terminal.sync.exchange import SyncExchange
from tests.unit.sync.conftest import balances


def test_an_adjustment_gives_the_same_balance_on_the_till_that_imports_it(shop, tmp_path: Path):
    one, two, _ = shop
    owner = StaffRoster(one).set_first_owner("Olena", "2468")
    who = Enrollment(one).register(CustomerForm(name="Iryna Koval", phone="+380671112233"))
    Counter(one).checkout(SaleRequest(card=who.card, amount=100_00))
    PointAdjustments(one).adjust(owner.id, who.customer_id, "+75", "lost receipt")
    PointAdjustments(one).adjust(owner.id, who.customer_id, "-40", "typed twice")
    bundle = SyncExchange(one).export(tmp_path / "out", since=0)
    assert bundle.path is not None
    assert SyncExchange(two).import_file(bundle.path).applied == bundle.count
    assert balances(one) == balances(two)
    ledger_one = Desk(one).history(who.customer_id).ledger
    ledger_two = Desk(two).history(who.customer_id).ledger
    assert [(e.kind, e.points, e.reason) for e in ledger_two] == [
        (e.kind, e.points, e.reason) for e in ledger_one
    ]
    assert ledger_two[0].reason == "typed twice" and ledger_two[1].reason == "lost receipt"
    for till in (one, two):
        report = Integrity(till).check()
        assert report.ok, report.problems
