"""The customer's history says why each sale earned what it did, under the rules of its day."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

from terminal.app.counter import Counter, SaleRequest
from terminal.app.desk import Desk
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.program import ProgramBook
from terminal.core.customer_form import CustomerForm
from terminal.core.program import DEFAULT_PROGRAM, ProgramKind, Tier
from terminal.core.promotions import Promotion


def test_each_earn_entry_carries_the_rates_and_promotions_it_used(till, clock) -> None:  # type: ignore[no-untyped-def]
    card = Enrollment(till).register(CustomerForm("Olena", "0671234567")).card
    counter = Counter(till)
    book = ProgramBook(till)

    clock.set(datetime(2026, 3, 2, 12, 0))
    plain = counter.checkout(SaleRequest(card, 100_000))
    book.save(
        replace(
            DEFAULT_PROGRAM,
            promotions=(Promotion("Happy hour", multiplier_pct=200, hours=(time(16), time(18))),),
        ),
        actor="owner",
    )
    clock.set(datetime(2026, 3, 2, 17, 0))
    happy = counter.checkout(SaleRequest(card, 100_000))
    book.save(
        replace(
            DEFAULT_PROGRAM,
            kind=ProgramKind.HYBRID,
            tiers=(Tier("Bronze", 0, 300, 200), Tier("Silver", 1_000_000, 500, 300)),
        )
    )
    clock.set(datetime(2026, 3, 3, 12, 0))
    hybrid = counter.checkout(SaleRequest(card, 100_000))

    history = Desk(till).history(plain.customer_id or "")
    reasons = {line.sale_id: line.reason for line in history.ledger if line.kind == "earn"}
    assert reasons == {
        plain.sale_id: "5 % Bronze",
        happy.sale_id: "5 % Bronze + Happy hour ×2",
        hybrid.sale_id: "2 % discount Bronze + 3 % Bronze",
    }
    earned = {line.sale_id: line.points_earned for line in history.sales}
    assert earned == {plain.sale_id: 50, happy.sale_id: 100, hybrid.sale_id: 29}
    assert [v.version for v in book.history()] == [3, 2, 1]
    assert Integrity(till).check().ok
