"""Chart series and lists on the hand-made shop of ``fixture.py``.

Weeks (Mondays) over 02-01 … 02-10: 01-26 (only Sunday 02-01: nothing), 02-02 (p5 p6 p7 p8:
4 sales, 12000, active A and C = 2, new C = 1), 02-09 (nothing).
Tiers by lifetime paid: A 13000 and B 3000 Bronze, C 1 000 000 Silver (threshold 1 000 000).
Cohorts (registration month): 2026-01 = A, B; both bought in January (100 %), A in February
(50 %). 2026-02 = C; bought in February (100 %).
NPS by month: February only: 5 answers, NPS 40.
Top customers: A 2 sales 10000, then C 1 sale 1000.
Call-back (60 days away, consent, phone): B (last visit 2025-11-01 → 101 days); C has no consent;
A came on 02-05.
"""

from __future__ import annotations

from datetime import date

from terminal.app.report_series import ReportSeriesQuery
from terminal.core.kpis import Period

PERIOD = Period(date(2026, 2, 1), date(2026, 2, 10))


def test_series_for_the_charts(shop) -> None:  # type: ignore[no-untyped-def]
    series = ReportSeriesQuery(shop).series(PERIOD)
    assert [
        (w.week_start, w.sales, w.revenue, w.active_members, w.new_members) for w in series.weeks
    ] == [
        (date(2026, 1, 26), 0, 0, 0, 0),
        (date(2026, 2, 2), 4, 12000, 2, 1),
        (date(2026, 2, 9), 0, 0, 0, 0),
    ]
    assert [(t.tier, t.customers) for t in series.tiers] == [
        ("Bronze", 2),
        ("Silver", 1),
        ("Gold", 0),
    ]
    assert [(c.month, c.members, c.retained_bp[:2]) for c in series.cohorts] == [
        ("2026-01", 2, (10000, 5000)),
        ("2026-02", 1, (10000,)),
    ]
    assert [(p.month, p.responses, p.nps) for p in series.nps_by_month] == [("2026-02", 5, 40)]


def test_top_customers_and_the_call_back_list(shop) -> None:  # type: ignore[no-untyped-def]
    series = ReportSeriesQuery(shop).series(PERIOD, away_days=60)
    assert [(t.customer_id, t.sales, t.revenue) for t in series.top_customers] == [
        ("A", 2, 10000),
        ("C", 1, 1000),
    ]
    assert [(c.customer_id, c.phone, c.days_away) for c in series.call_back] == [
        ("B", "+380502222222", 101)
    ]
