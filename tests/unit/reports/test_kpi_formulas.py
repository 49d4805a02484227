"""The pure formulas, with numbers small enough to check by eye."""

from __future__ import annotations

from datetime import date

from terminal.core import kpis
from terminal.core.kpis import Period


def test_shares_round_half_up_and_refuse_to_divide_by_zero() -> None:
    assert kpis.share_bp(1, 3) == 3333  # 33.333 %
    assert kpis.share_bp(2, 3) == 6667  # 66.667 %
    assert kpis.share_bp(1, 8) == 1250
    assert kpis.share_bp(5, 0) is None
    assert kpis.average_minor(10, 4) == 3  # 2.5 → 3
    assert kpis.average_minor(10, 0) is None
    assert kpis.per_hundred(7, 3) == 233


def test_nps_counts_promoters_passives_and_detractors() -> None:
    """10 9 | 8 7 | 6 0 0 → (2 − 3) / 7 = −14.3 % → −14."""
    score = kpis.nps_from_scores([10, 9, 8, 7, 6, 0, 0])
    assert (score.promoters, score.passives, score.detractors) == (2, 2, 3)
    assert score.nps == -14
    assert kpis.nps_from_scores([]).nps is None
    assert kpis.nps_from_scores({9: 1, 10: 1}).nps == 100


def test_csat_is_the_share_of_eight_to_ten() -> None:
    assert kpis.csat_bp({10: 1, 8: 1, 7: 1, 2: 1}) == 5000
    assert kpis.csat_bp({}) is None


def test_retention_churn_and_liability() -> None:
    assert kpis.retention_bp(3, 4) == 7500
    assert kpis.churn_bp(3, 4) == 2500
    assert kpis.churn_bp(0, 0) is None
    assert kpis.liability_minor(150, 100) == 15000
    assert kpis.liability_minor(-5, 100) == 0
    assert kpis.change_bp(110, 100) == 1000
    assert kpis.change_bp(90, 100) == -1000


def test_previous_period_has_the_same_length_just_before() -> None:
    p = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert p.days == 31
    assert p.previous() == Period(date(2026, 1, 29), date(2026, 2, 28))
