"""The default program as the issue writes it, priced by the pure ``quote``."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core.checkout import MAX, NONE, CustomerState, Redeem, RedeemMode, quote
from terminal.core.errors import InsufficientPoints, InvalidAmount, InvalidInput, RedemptionRefused
from terminal.core.program import DEFAULT_PROGRAM as P

NOW = datetime(2026, 3, 2, 10, 0)


def state(balance: int = 0, lifetime: int = 0, **kw: object) -> CustomerState:
    return CustomerState(balance=balance, lifetime_paid=lifetime, **kw)  # type: ignore[arg-type]


def test_bronze_earns_five_percent_of_what_was_paid_rounded_down() -> None:
    q = quote(P, state(100), 123_45, NONE, NOW)
    assert (q.to_pay, q.points_earned, q.tier, q.tier_up) == (123_45, 6, "Bronze", None)
    assert q.balance_after == 106
    assert q.explanation == "5 % Bronze"


def test_max_is_half_the_check_or_the_balance() -> None:
    q = quote(P, state(100), 150_00, MAX, NOW)  # cap 75 points
    assert (q.points_redeemed, q.redeemed_value, q.to_pay) == (75, 75_00, 75_00)
    assert q.points_earned == 3  # 5 % of 75.00
    assert q.balance_after == 100 - 75 + 3
    q = quote(P, state(40), 150_00, MAX, NOW)
    assert (q.points_redeemed, q.to_pay, q.max_redeemable) == (40, 110_00, 40)


def test_cap_rounds_down_on_odd_kopecks() -> None:
    q = quote(P, state(1000), 99_99, MAX, NOW)  # 50 % = 49.995 -> 49 points
    assert q.points_redeemed == 49 and q.to_pay == 50_99


def test_custom_points() -> None:
    q = quote(P, state(100), 100_00, Redeem(RedeemMode.POINTS, 30), NOW)
    assert (q.points_redeemed, q.to_pay, q.points_earned) == (30, 70_00, 3)
    zero = quote(P, state(100), 100_00, Redeem(RedeemMode.POINTS, 0), NOW)
    assert zero.points_redeemed == 0


@pytest.mark.parametrize(
    ("balance", "points", "error", "words"),
    [
        (100, 101, InsufficientPoints, "Only 100 points are available; 101 were asked for"),
        (100, 51, RedemptionRefused, "At most 50 points can be spent"),
        (-20, 10, InsufficientPoints, "balance is negative"),
        (100, -1, RedemptionRefused, "cannot be negative"),
    ],
)
def test_refused_redemptions(balance: int, points: int, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        quote(P, state(balance), 100_00, Redeem(RedeemMode.POINTS, points), NOW)


def test_negative_balance_gives_nothing_for_max() -> None:
    q = quote(P, state(-20), 100_00, MAX, NOW)
    assert q.points_redeemed == 0 and q.max_redeemable == 0 and q.balance_after == -15


@pytest.mark.parametrize("amount", [0, -1])
def test_amount_must_be_positive(amount: int) -> None:
    with pytest.raises(InvalidAmount):
        quote(P, state(), amount, NONE, NOW)


def test_tiers_by_lifetime_paid_before_the_sale() -> None:
    assert quote(P, state(0, 9_999_99), 100_00, NONE, NOW).points_earned == 5
    assert quote(P, state(0, 10_000_00), 100_00, NONE, NOW).points_earned == 7
    assert quote(P, state(0, 29_999_99), 100_00, NONE, NOW).tier == "Silver"
    gold = quote(P, state(0, 30_000_00), 100_00, NONE, NOW)
    assert (gold.tier, gold.points_earned, gold.explanation) == ("Gold", 10, "10 % Gold")


def test_crossing_a_threshold_is_reported_and_the_rate_waits() -> None:
    q = quote(P, state(0, 9_900_00), 200_00, NONE, NOW)
    assert (q.tier, q.tier_after, q.tier_up, q.points_earned) == ("Bronze", "Silver", "Silver", 10)
    # paying with points does not count toward the threshold
    q = quote(P, state(100, 9_900_00), 200_00, MAX, NOW)
    assert q.to_pay == 100_00 and q.tier_up == "Silver"  # exactly 10 000.00 reached
    q = quote(P, state(100, 9_899_00), 200_00, MAX, NOW)
    assert q.tier_up is None


def test_birthday_bonus_once_a_year_within_seven_days() -> None:
    bday = date(1990, 3, 5)
    q = quote(P, state(0, birthday=bday), 10_00, NONE, NOW)
    assert [(b.kind, b.points) for b in q.bonuses] == [("birthday", 200)]
    assert q.birthday_year == 2026 and q.balance_after == 200
    again = quote(
        P, state(0, birthday=bday, birthday_bonus_years=frozenset({2026})), 10_00, NONE, NOW
    )
    assert again.bonuses == () and again.birthday_year is None
    far = quote(P, state(0, birthday=date(1990, 3, 10)), 10_00, NONE, NOW)  # 8 days
    assert far.bonuses == ()


def test_referral_bonus_on_the_first_sale_for_both() -> None:
    q = quote(P, state(100, referral_pending=True), 10_00, NONE, NOW)
    assert [(b.kind, b.points) for b in q.bonuses] == [("referral", 100)]
    assert q.referrer_bonus == 100
    assert q.bonus_points == 100
    plain = quote(P, state(100), 10_00, NONE, NOW)
    assert plain.referrer_bonus == 0 and plain.bonus_points == 0


def test_redeem_parse() -> None:
    assert Redeem.parse(None) == NONE
    assert Redeem.parse("") == NONE
    assert Redeem.parse(" None ") == NONE
    assert Redeem.parse("0") == NONE
    assert Redeem.parse("MAX") == MAX
    assert Redeem.parse("25") == Redeem(RedeemMode.POINTS, 25)
    for bad in ("-5", "1.5", "all", "1e3"):
        with pytest.raises(InvalidInput, match="not a number of points"):
            Redeem.parse(bad)


redeems = st.one_of(
    st.just(NONE), st.just(MAX), st.integers(0, 5000).map(lambda n: Redeem(RedeemMode.POINTS, n))
)


@settings(max_examples=400, deadline=None)
@given(
    balance=st.integers(-500, 5000),
    lifetime=st.integers(0, 5_000_000),
    amount=st.integers(1, 5_000_000),
    redeem=redeems,
)
def test_never_redeems_above_the_cap_or_the_balance(
    balance: int, lifetime: int, amount: int, redeem: Redeem
) -> None:
    try:
        q = quote(P, state(balance, lifetime), amount, redeem, NOW)
    except RedemptionRefused:
        assert redeem.mode == RedeemMode.POINTS
        assert redeem.points > max(0, min(balance, amount // 2 // 100))
        return
    cap = min(max(balance, 0), amount * 5000 // 10_000 // 100)
    assert 0 <= q.points_redeemed <= cap
    assert q.points_redeemed <= max(balance, 0)
    assert q.redeemed_value * 2 <= amount
    assert q.to_pay == amount - q.points_redeemed * 100 >= 0
    assert q.points_earned == q.to_pay * P.tier_for(lifetime).earn_bp // 1_000_000
    assert q.balance_after == balance - q.points_redeemed + q.points_earned
    if redeem.mode == RedeemMode.MAX:
        assert q.points_redeemed == cap
