"""Refund split: proportional, cumulative, and parts add up exactly to the whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.core.errors import RefundRefused
from terminal.core.refunds import SaleFigures, split_refund

SALE = SaleFigures(
    amount=100_000, to_pay=70_000, points_redeemed=300, points_earned=35, bonus_points=200
)


def test_full_refund_returns_everything() -> None:
    r = split_refund(SALE, 0, None)
    assert (r.amount, r.money_returned, r.points_returned, r.points_reversed) == (
        100_000,
        70_000,
        300,
        35,
    )
    assert r.complete and r.bonus_reversed


def test_explicit_full_amount_is_the_same_as_none() -> None:
    assert split_refund(SALE, 0, 100_000) == split_refund(SALE, 0, None)


def test_a_third_then_the_rest() -> None:
    first = split_refund(SALE, 0, 33_333)
    assert (first.money_returned, first.points_returned, first.points_reversed) == (
        23_333,
        99,
        11,
    )  # 23333.1, 99.999, 11.66 rounded down
    assert not first.complete and not first.bonus_reversed
    rest = split_refund(SALE, 33_333, None)
    assert rest.amount == 66_667
    assert first.money_returned + rest.money_returned == 70_000
    assert first.points_returned + rest.points_returned == 300
    assert first.points_reversed + rest.points_reversed == 35
    assert rest.complete and rest.bonus_reversed


def test_sale_without_bonus_has_nothing_to_take_back() -> None:
    plain = SaleFigures(10_000, 10_000, 0, 5, 0)
    r = split_refund(plain, 0, None)
    assert r.complete and not r.bonus_reversed


@pytest.mark.parametrize(
    ("before", "amount", "words"),
    [
        (100_000, None, "already been refunded in full"),
        (100_000, 1, "already been refunded in full"),
        (0, 0, "more than zero"),
        (0, -5, "more than zero"),
        (0, 100_001, "larger than what is left"),
        (60_000, 40_001, "larger than what is left"),
    ],
)
def test_refusals(before: int, amount: int | None, words: str) -> None:
    with pytest.raises(RefundRefused, match=words):
        split_refund(SALE, before, amount)


sales = st.builds(
    lambda amount, paid_share, redeemed, earned, bonus: SaleFigures(
        amount, amount * paid_share // 100, redeemed, earned, bonus
    ),
    st.integers(1, 10**8),
    st.integers(0, 100),
    st.integers(0, 10**5),
    st.integers(0, 10**5),
    st.integers(0, 500),
)


@settings(max_examples=300, deadline=None)
@given(sale=sales, cuts=st.lists(st.integers(1, 10**8), max_size=8), data=st.data())
def test_parts_add_up_exactly_to_refunding_at_once(
    sale: SaleFigures, cuts: list[int], data: st.DataObject
) -> None:
    whole = split_refund(sale, 0, None)
    refunded = 0
    totals = [0, 0, 0]
    bonus_times = 0
    for cut in cuts:
        left = sale.amount - refunded
        if left <= 1:
            break
        part = 1 + cut % (left - 1)
        r = split_refund(sale, refunded, part)
        assert min(r.money_returned, r.points_returned, r.points_reversed) >= 0
        refunded += r.amount
        totals = [
            totals[0] + r.money_returned,
            totals[1] + r.points_returned,
            totals[2] + r.points_reversed,
        ]
        bonus_times += r.bonus_reversed
    if refunded < sale.amount:
        last = split_refund(sale, refunded, None)
        totals = [
            totals[0] + last.money_returned,
            totals[1] + last.points_returned,
            totals[2] + last.points_reversed,
        ]
        bonus_times += last.bonus_reversed
        assert last.complete
    assert totals == [whole.money_returned, whole.points_returned, whole.points_reversed]
    assert bonus_times == (1 if sale.bonus_points else 0)
