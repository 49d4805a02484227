"""Every KPI against the tiny shop of ``fixture.py``, computed by hand.

Period: 2026-02-01 … 2026-02-10 (10 days); previous: 2026-01-22 … 2026-01-31. Now: 2026-02-10 12:00.

Customers: A registered 01-05, B 01-25, C 02-03.
Purchases: p1 A 01-10 1000 · p2 A 01-25 2000 · p3 B 01-26 3000 · p4 anon 01-27 500 ·
           p5 A 02-02 4000 · p6 A 02-05 6000 · p7 C 02-04 1000 · p8 anon 02-06 1000.

Current period: sales p5 p6 p7 p8 = 4, revenue 12000, card sales 3, members' revenue 11000.
  active members A, C = 2; with 2+ purchases: A = 1 → repeat rate 1/2 = 50.00 %
  new members: C = 1; participation 3/4 = 75.00 %; frequency 3/2 = 1.50
  average check 12000/4 = 3000; members 11000/3 = 3666.67 → 3667
  first checks: only p7 (A bought before) = 1000; repeat (11000−1000)/2 = 5000
  CLV: members' purchases before 02-11 = 1000+2000+3000+4000+6000+1000 = 17000 / 3 members
       = 5666.67 → 5667
  retention: active in previous period A, B; of them A bought again → 1/2 = 50 %; churn 50 %
  points: issued 40+60+10+100 +15 (positive adjustment) −6 (refund reversal) −5 (negative
          adjustment) = 214; redeemed 50 − 10 returned = 40; expired 20;
          redemption 40/214 = 18.69 % → 1869 bp
  NPS answers 10 10 9 8 3: promoters 3, passives 1, detractors 1 → (3−1)/5 = 40;
  CSAT (8–10) 4/5 = 80 %; refunds 1 of 1000.
Previous period: sales p2 p3 p4 = 3, revenue 5500, card 2 → participation 66.67 %;
  active A, B = 2, none twice → 0 %; new B = 1; frequency 1.00; average 5500/3 = 1833.33 → 1833;
  members 2500; first p3 = 3000, repeat p2 = 2000; CLV 6000 / 2 = 3000;
  retention: nobody bought 01-12…01-21 → none (nothing to divide by);
  points issued 999 (an earn); NPS one 5 → −100; CSAT 0 %.
Liability at 02-10 12:00: live lots l1 50 (expires 02-20) + l2 100 = 150 points × 100 = 15000;
  l3 expired 02-09, l4 empty; expiring within 30 days: 50 points = 5000.
"""

from __future__ import annotations

from datetime import date

from terminal.app.reports import Reports
from terminal.core.kpis import Period

PERIOD = Period(date(2026, 2, 1), date(2026, 2, 10))


def test_current_period_figures_match_the_hand_computation(shop) -> None:  # type: ignore[no-untyped-def]
    cur = Reports(shop).kpis(PERIOD).current
    assert (cur.sales, cur.revenue, cur.card_sales, cur.member_revenue) == (4, 12000, 3, 11000)
    assert (cur.active_members, cur.new_members) == (2, 1)
    assert cur.participation_bp == 7500
    assert cur.repeat_rate_bp == 5000
    assert cur.frequency_x100 == 150
    assert (cur.avg_check, cur.avg_check_members) == (3000, 3667)
    assert (cur.avg_check_first, cur.avg_check_repeat) == (1000, 5000)
    assert cur.clv == 5667
    assert (cur.retention_bp, cur.churn_bp) == (5000, 5000)
    assert (cur.points_issued, cur.points_redeemed, cur.points_expired) == (214, 40, 20)
    assert cur.redemption_rate_bp == 1869
    assert (cur.nps, cur.nps_responses, cur.promoters, cur.passives, cur.detractors) == (
        40,
        5,
        3,
        1,
        1,
    )
    assert cur.csat_bp == 8000
    assert (cur.refunds, cur.refunded_amount) == (1, 1000)


def test_previous_period_sits_beside_it(shop) -> None:  # type: ignore[no-untyped-def]
    prev = Reports(shop).kpis(PERIOD).previous
    assert (prev.start, prev.end) == (date(2026, 1, 22), date(2026, 1, 31))
    assert (prev.sales, prev.revenue, prev.card_sales) == (3, 5500, 2)
    assert prev.participation_bp == 6667
    assert (prev.active_members, prev.new_members, prev.repeat_rate_bp) == (2, 1, 0)
    assert prev.frequency_x100 == 100
    assert (prev.avg_check, prev.avg_check_members) == (1833, 2500)
    assert (prev.avg_check_first, prev.avg_check_repeat) == (3000, 2000)
    assert prev.clv == 3000
    assert prev.retention_bp is None and prev.churn_bp is None
    assert prev.points_issued == 999 and prev.redemption_rate_bp == 0
    assert (prev.nps, prev.csat_bp) == (-100, 0)


def test_points_liability_and_what_expires_within_30_days(shop) -> None:  # type: ignore[no-untyped-def]
    report = Reports(shop).kpis(PERIOD)
    liab = report.liability
    assert report.point_value == 100
    assert (liab.live_points, liab.value) == (150, 15000)
    assert (liab.expiring_points_30d, liab.expiring_value_30d) == (50, 5000)


def test_an_empty_period_shows_no_invented_figures(shop) -> None:  # type: ignore[no-untyped-def]
    cur = Reports(shop).kpis(Period(date(2025, 6, 1), date(2025, 6, 30))).current
    assert cur.sales == 0
    assert cur.participation_bp is None and cur.avg_check is None and cur.nps is None
    assert cur.csat_bp is None and cur.repeat_rate_bp is None
