"""Properties of the books under random sequences of sales, refunds and time passing."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.expiry import ExpirySweep
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.core.checkout import MAX, NONE, Redeem, RedeemMode
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import RedemptionRefused, RefundRefused
from terminal.core.ids import new_id

START = datetime(2026, 3, 2, 10, 0)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

redeems = st.one_of(
    st.just(NONE), st.just(MAX), st.integers(1, 400).map(lambda n: Redeem(RedeemMode.POINTS, n))
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), st.integers(0, 2), st.integers(1, 1_500_000), redeems),
        st.tuples(
            st.just("refund"), st.integers(0, 50), st.one_of(st.none(), st.integers(1, 10**6))
        ),
        st.tuples(st.just("jump"), st.integers(0, 400)),
        st.tuples(
            st.just("sweep"),
        ),
    ),
    min_size=1,
    max_size=25,
)


def _sums(till) -> dict[str, tuple[int, int]]:
    with till.read() as s:
        rows = s.connection().execute(
            text(
                "SELECT c.id, c.balance, COALESCE(SUM(e.points), 0) FROM customer c "
                "LEFT JOIN ledger_entry e ON e.customer_id = c.id GROUP BY c.id"
            )
        )
        return {cid: (cached, total) for cid, cached, total in rows}


@SETTINGS
@given(ops=operations)
def test_balance_is_always_the_sum_of_the_entries(fresh_till, ops) -> None:
    till, clock = fresh_till(START)
    enroll = Enrollment(till)
    a = enroll.register(CustomerForm("A", birthday="1990-03-05"))
    b = enroll.register(CustomerForm("B"), referrer_card=a.card)
    c = enroll.register(CustomerForm("C", birthday="1992-02-29"))
    cards = [a.card, b.card, c.card]
    counter, refunds = Counter(till), Refunds(till)
    sales: list[str] = []
    for op in ops:
        if op[0] == "sale":
            _, who, amount, redeem = op
            with contextlib.suppress(RedemptionRefused):
                sales.append(counter.checkout(SaleRequest(cards[who], amount, redeem)).sale_id)
        elif op[0] == "refund" and sales:
            _, index, amount = op
            with contextlib.suppress(RefundRefused):
                refunds.refund(sales[index % len(sales)], amount)
        elif op[0] == "jump":
            clock.now += timedelta(days=op[1], hours=1)
        elif op[0] == "sweep":
            ExpirySweep(till).run()
        for cached, total in _sums(till).values():
            assert cached == total
    report = Integrity(till).check()
    assert report.ok, report.problems


@SETTINGS
@given(
    earlier=st.lists(st.integers(1_000, 500_000), max_size=3),
    amount=st.integers(2, 2_000_000),
    redeem=redeems,
    cuts=st.lists(st.integers(1, 10**9), min_size=1, max_size=5),
    days_between=st.integers(0, 30),
)
def test_refunding_in_parts_ends_exactly_where_refunding_at_once_ends(
    fresh_till, earlier, amount, redeem, cuts, days_between
) -> None:
    till, clock = fresh_till(START)
    enroll, counter, refunds = Enrollment(till), Counter(till), Refunds(till)
    twins = [enroll.register(CustomerForm(name)) for name in ("Parts", "Whole")]
    sale_ids = []
    for twin in twins:
        for earlier_amount in earlier:
            counter.checkout(SaleRequest(twin.card, earlier_amount))
        try:
            sale_ids.append(counter.checkout(SaleRequest(twin.card, amount, redeem)).sale_id)
        except RedemptionRefused:
            return
    clock.now += timedelta(days=days_between)
    in_parts, at_once = [], []
    refunded = 0
    for cut in cuts:
        left = amount - refunded
        if left <= 1:
            break
        part = 1 + cut % (left - 1)
        in_parts.append(refunds.refund(sale_ids[0], part))
        refunded += part
    in_parts.append(refunds.refund(sale_ids[0]))
    at_once.append(refunds.refund(sale_ids[1]))

    def totals(results):
        return (
            sum(r.amount for r in results),
            sum(r.money_returned for r in results),
            sum(r.points_returned for r in results),
            sum(r.points_reversed for r in results),
            results[-1].balance,
        )

    assert totals(in_parts) == totals(at_once)
    assert in_parts[-1].balance == at_once[-1].balance
    views = [Customers(till).by_card(t.card) for t in twins]
    assert views[0].lifetime_paid == views[1].lifetime_paid
    assert views[0].balance == views[1].balance
    assert Integrity(till).check().ok


@SETTINGS
@given(amount=st.integers(1, 3_000_000), redeem=redeems, with_card=st.booleans())
def test_the_same_sale_id_twice_is_one_purchase(fresh_till, amount, redeem, with_card) -> None:
    till, clock = fresh_till(START)
    card = Enrollment(till).register(CustomerForm("Twice", birthday="1990-03-03")).card
    counter = Counter(till)
    request = SaleRequest(card if with_card else None, amount, redeem)
    sale_id = new_id()
    try:
        first = counter.checkout(request, sale_id)
    except RedemptionRefused:
        return
    clock.now += timedelta(minutes=3)
    second = counter.checkout(request, sale_id)
    assert second.replayed and not first.replayed
    for field in (
        "sale_id", "customer_id", "card", "amount", "discount", "points_redeemed",
        "redeemed_value", "to_pay", "points_earned", "bonuses", "balance", "tier", "tier_up",
        "created_at", "program_version",
    ):  # fmt: skip
        assert getattr(second, field) == getattr(first, field), field
    with till.read() as s:
        db = s.connection()
        assert db.execute(text("SELECT COUNT(*) FROM purchase")).scalar() == 1
        assert (
            db.execute(
                text("SELECT COUNT(*) FROM journal_event WHERE type='sale.committed'")
            ).scalar()
            == 1
        )
    assert Integrity(till).check().ok
