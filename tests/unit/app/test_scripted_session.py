"""A year at the counter, computed by hand from the default program and replayed through the app.

Default program (issue 3): 1 point = 1.00; earn on what is paid (amount − points' value), rounded
down: Bronze 5 %, Silver 7 % from lifetime paid 10 000.00, Gold 10 % from 30 000.00, tier decided
before the sale; redeem up to 50 % of the check, ``max`` = min(balance, floor(50 % of amount));
welcome 100; birthday 200 once a year at the first sale within ±7 days; referral 100 to both at
the referred customer's first sale; every lot expires 365 days after it was granted.

A person can follow this table with a pencil (balances after each step):

=====  ===================  ==================================================  ===== ===== =====
step   when                 what                                                    A     B     C
=====  ===================  ==================================================  ===== ===== =====
1      2026-03-02 10:00     register A (birthday 5 March), B (referred by A),     100   100   100
                            C (birthday 20 August): welcome 100 each
2      10:01                A buys 1 000.00, no points: earn 5 % = 50, birthday    350
                            200 (3 days before 5 March)
3      10:02                A buys 200.00: earn 10, no second birthday bonus       360
4      10:03                B buys 300.00, max: cap 150, balance 100 → 100 pts;    460   110
                            pays 200.00, earns 10; first sale: B +100, A +100
5      10:04                B buys 100.00 with 30 points: pays 70.00, earns 3            83
                            (3.5 rounded down)
6      10:05                C buys 50.00 with max: cap 25 → 25 pts; pays 25.00,                76
                            earns 1 (1.25)
7      2026-03-03 10:00     A buys 9 000.00: lifetime 1 200 → 10 200 crosses       910
                            10 000.00: tier_up Silver, still earns 5 % = 450
8      10:01                A buys 100.00: Silver 7 % = 7                          917
9      2026-03-04 10:00     refund 100.00 of step 4 (a third): money 66.66,              113
                            points back 33, earned taken back 3
10     10:01                refund the rest (200.00): money 133.34, points back          73
                            67, earned taken back 7, referral bonuses taken back
                            from B (100) and A (100) — same as refunding at once
                            (83 + 100 − 10 − 100 = 73)                            817
11     2026-09-18 10:00     C buys 400.00: earn 20                                             96
12     2027-03-02 11:00     expiry sweep: lots of 2 March 2026 are 365 days old:   457     0    20
                            A loses 100+50+200+10 = 360 (its referral lot was
                            emptied in step 10), B all 73, C 75+1 = 76
13     2027-03-04 12:00     A buys 100.00: the lots of 3 March 2026 (450+7)        207
                            expired first (explicit entries), Silver 7 % = 7, birthday
                            2027 = 200
=====  ===================  ==================================================  ===== ===== =====
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from terminal.app.counter import Counter, SaleRequest
from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.expiry import ExpirySweep
from terminal.app.integrity import Integrity
from terminal.app.refunds import Refunds
from terminal.core.checkout import MAX, NONE, Redeem, RedeemMode
from terminal.core.customer_form import CustomerForm


def test_a_year_at_the_counter_matches_the_hand_computed_table(till, clock) -> None:
    enroll, counter, refunds, customers = (
        Enrollment(till),
        Counter(till),
        Refunds(till),
        Customers(till),
    )

    def balance(card: str) -> int:
        return customers.by_card(card).balance

    def sale(card: str, amount: int, redeem: Redeem = NONE):
        return counter.checkout(SaleRequest(card, amount, redeem))

    # 1
    a = enroll.register(CustomerForm("Олена Коваленко", "067 111 22 33", birthday="1990-03-05"))
    b = enroll.register(CustomerForm("Іван Петренко", "067 444 55 66"), referrer_card=a.card)
    c = enroll.register(CustomerForm("Марія Іванова", birthday="20.08.1985"))
    assert (a.balance, b.balance, c.balance) == (100, 100, 100)

    # 2
    clock.advance(minutes=1)
    s2 = sale(a.card, 1000_00)
    assert (s2.to_pay, s2.points_earned, s2.balance) == (1000_00, 50, 350)
    assert [(x.kind, x.points) for x in s2.bonuses] == [("birthday", 200)]
    # 3
    clock.advance(minutes=1)
    s3 = sale(a.card, 200_00)
    assert (s3.points_earned, s3.bonuses, s3.balance) == (10, [], 360)
    # 4
    clock.advance(minutes=1)
    s4 = sale(b.card, 300_00, MAX)
    assert (s4.points_redeemed, s4.redeemed_value, s4.to_pay, s4.points_earned) == (
        100,
        100_00,
        200_00,
        10,
    )
    assert [(x.kind, x.points) for x in s4.bonuses] == [("referral", 100)]
    assert (s4.balance, balance(a.card)) == (110, 460)
    # 5
    clock.advance(minutes=1)
    s5 = sale(b.card, 100_00, Redeem(RedeemMode.POINTS, 30))
    assert (s5.to_pay, s5.points_earned, s5.bonuses, s5.balance) == (70_00, 3, [], 83)
    # 6
    clock.advance(minutes=1)
    s6 = sale(c.card, 50_00, MAX)
    assert (s6.points_redeemed, s6.to_pay, s6.points_earned, s6.balance) == (25, 25_00, 1, 76)

    # 7
    clock.set(datetime(2026, 3, 3, 10, 0))
    s7 = sale(a.card, 9000_00)
    assert (s7.tier, s7.tier_up, s7.points_earned, s7.balance) == ("Bronze", "Silver", 450, 910)
    # 8
    clock.advance(minutes=1)
    s8 = sale(a.card, 100_00)
    assert (s8.tier, s8.tier_up, s8.points_earned, s8.balance) == ("Silver", None, 7, 917)

    # 9
    clock.set(datetime(2026, 3, 4, 10, 0))
    r9 = refunds.refund(s4.sale_id, 100_00)
    assert (r9.money_returned, r9.points_returned, r9.points_reversed, r9.balance) == (
        66_66,
        33,
        3,
        113,
    )
    # 10
    clock.advance(minutes=1)
    r10 = refunds.refund(s4.sale_id)
    assert (r10.amount, r10.money_returned, r10.points_returned, r10.points_reversed) == (
        200_00,
        133_34,
        67,
        7,
    )
    assert (r10.bonus_reversed, r10.balance, balance(a.card)) == (100, 73, 817)
    assert customers.by_card(b.card).lifetime_paid == 70_00

    # 11
    clock.set(datetime(2026, 9, 18, 10, 0))
    s11 = sale(c.card, 400_00)
    assert (s11.points_earned, s11.balance) == (20, 96)

    # 12
    clock.set(datetime(2027, 3, 2, 11, 0))
    swept = ExpirySweep(till).run()
    assert (swept.customers, swept.points) == (3, 360 + 73 + 76)
    assert (balance(a.card), balance(b.card), balance(c.card)) == (457, 0, 20)
    assert ExpirySweep(till).run().points == 0  # nothing twice

    # 13
    clock.set(datetime(2027, 3, 4, 12, 0))
    assert customers.by_card(a.card).balance == 0  # views already leave expired points out
    s13 = sale(a.card, 100_00)
    assert (s13.tier, s13.points_earned, s13.balance) == ("Silver", 7, 207)
    assert [(x.kind, x.points) for x in s13.bonuses] == [("birthday", 200)]

    # every expiry is an explicit entry, and the books balance
    with till.read() as s:
        expired = dict(
            s.connection()
            .execute(
                text(
                    "SELECT c.name, SUM(e.points) FROM ledger_entry e JOIN customer c "
                    "ON c.id = e.customer_id WHERE e.kind = 'expire' GROUP BY c.name"
                )
            )
            .all()
        )
    assert expired == {"Олена Коваленко": -(360 + 457), "Іван Петренко": -73, "Марія Іванова": -76}
    report = Integrity(till).check()
    assert report.ok, report.problems
    assert (report.customers, report.purchases) == (3, 9)
