"""Series and lists behind the dashboard's charts and tables: sales and members by week, tier
distribution, monthly cohort retention, NPS by month, top customers and the call-back list."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from terminal.app.reports import bounds
from terminal.app.till import Till, current_program
from terminal.core import kpis
from terminal.core.kpis import Period


@dataclass(frozen=True)
class WeekPoint:
    week_start: date  # the Monday
    sales: int
    revenue: int
    active_members: int
    new_members: int


@dataclass(frozen=True)
class TierCount:
    tier: str
    customers: int


@dataclass(frozen=True)
class CohortRow:
    """Members who registered in ``month``; ``retained_bp[k]`` = share of them who bought in the
    k-th month after (k = 0 is the registration month)."""

    month: str  # YYYY-MM
    members: int
    retained_bp: tuple[int | None, ...]


@dataclass(frozen=True)
class NpsPoint:
    month: str
    responses: int
    nps: int | None


@dataclass(frozen=True)
class TopCustomer:
    customer_id: str
    name: str
    sales: int
    revenue: int
    balance: int


@dataclass(frozen=True)
class CallBack:
    customer_id: str
    name: str
    phone: str
    last_visit_at: datetime
    days_away: int
    visits: int
    lifetime_paid: int


@dataclass(frozen=True)
class ReportSeries:
    weeks: tuple[WeekPoint, ...]
    tiers: tuple[TierCount, ...]
    cohorts: tuple[CohortRow, ...]
    nps_by_month: tuple[NpsPoint, ...]
    top_customers: tuple[TopCustomer, ...]
    call_back: tuple[CallBack, ...]
    call_back_days: int


COHORT_MONTHS = 12


class ReportSeriesQuery:
    def __init__(self, till: Till) -> None:
        self.till = till

    def series(self, period: Period, *, away_days: int = 60, top: int = 10) -> ReportSeries:
        now = self.till.now()
        with self.till.read_driver() as db:
            _v, program = current_program(db)
            return ReportSeries(
                weeks=tuple(weeks(db, period)),
                tiers=tuple(tier_counts(db, [(t.name, t.threshold) for t in program.tiers])),
                cohorts=tuple(cohorts(db, period)),
                nps_by_month=tuple(nps_by_month(db, period)),
                top_customers=tuple(top_customers(db, period, top)),
                call_back=tuple(call_back(db, now, away_days)),
                call_back_days=away_days,
            )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


_ANCHOR = date(1900, 1, 1)  # a Monday before any shop's first sale
_ANCHOR_JD = 2415020.5  # julianday('1900-01-01')


def _week_monday(week_number: int) -> date:
    return _ANCHOR + timedelta(days=7 * week_number)


def weeks(db: sqlite3.Connection, period: Period) -> list[WeekPoint]:
    """Monday-based weeks overlapping the period (the first and last may be partial)."""
    lo, hi = bounds(period)
    # weeks counted from a Monday long ago: one julianday() per row instead of date() with a
    # modifier built per row (a third of the series' time on a big year); Python turns the
    # week number back into its Monday for the ≤ 53 weeks
    monday = f"CAST((julianday(substr(created_at, 1, 10)) - {_ANCHOR_JD}) / 7 AS INTEGER)"
    sales = {
        _week_monday(row[0]).isoformat(): row[1:]
        for row in db.execute(
            f"SELECT {monday} AS w, COUNT(*), COALESCE(SUM(amount), 0),"
            " COUNT(DISTINCT customer_id) FROM purchase"
            " WHERE created_at >= ? AND created_at < ? GROUP BY w",
            (lo, hi),
        )
    }
    joined = {
        _week_monday(w).isoformat(): n
        for w, n in db.execute(
            f"SELECT {monday} AS w, COUNT(*) FROM customer"
            " WHERE created_at >= ? AND created_at < ? GROUP BY w",
            (lo, hi),
        )
    }
    out = []
    week = _monday(period.start)
    while week <= period.end:
        key = week.isoformat()
        n, revenue, active = sales.get(key, (0, 0, 0))
        out.append(WeekPoint(week, n, revenue, active, joined.get(key, 0)))
        week += timedelta(days=7)
    return out


def tier_counts(db: sqlite3.Connection, tiers: list[tuple[str, int]]) -> list[TierCount]:
    """Members (not erased) by the tier their lifetime paid spend reaches today."""
    parts = ", ".join("COALESCE(SUM(lifetime_paid >= ?), 0)" for _ in tiers)
    reached = db.execute(
        f"SELECT {parts} FROM customer WHERE erased_at IS NULL", [t for _n, t in tiers]
    ).fetchone()
    out = []
    for i, (name, _threshold) in enumerate(tiers):
        above = reached[i + 1] if i + 1 < len(tiers) else 0
        out.append(TierCount(name, reached[i] - above))
    return out


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _add_months(month: str, k: int) -> str:
    y, m = int(month[:4]), int(month[5:])
    total = y * 12 + (m - 1) + k
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def cohorts(db: sqlite3.Connection, period: Period) -> list[CohortRow]:
    """Registration-month cohorts of the last 12 months up to the period's end."""
    last = _month(period.end)
    first = _add_months(last, -(COHORT_MONTHS - 1))
    lo = f"{first}-01 00:00:00.000000"
    _lo, hi = bounds(period)
    sizes = dict(
        db.execute(
            "SELECT substr(created_at, 1, 7) AS m, COUNT(*) FROM customer"
            " WHERE created_at >= ? AND created_at < ? GROUP BY m",
            (lo, hi),
        ).fetchall()
    )
    bought: dict[tuple[str, str], int] = {}
    for cohort, month, n in db.execute(
        "SELECT substr(c.created_at, 1, 7) AS cm, substr(p.created_at, 1, 7) AS pm,"
        " COUNT(DISTINCT p.customer_id) FROM customer c"
        " JOIN purchase p ON p.customer_id = c.id AND p.created_at >= c.created_at"
        " AND p.created_at < ?"
        " WHERE c.created_at >= ? AND c.created_at < ? GROUP BY cm, pm",
        (hi, lo, hi),
    ):
        bought[(cohort, month)] = n
    rows = []
    month = first
    for i in range(COHORT_MONTHS):
        size = sizes.get(month, 0)
        span = COHORT_MONTHS - i  # months from the cohort's month to the last one
        shares = tuple(
            kpis.share_bp(bought.get((month, _add_months(month, k)), 0), size) for k in range(span)
        )
        if size:
            rows.append(CohortRow(month, size, shares))
        month = _add_months(month, 1)
    return rows


def nps_by_month(db: sqlite3.Connection, period: Period) -> list[NpsPoint]:
    lo, hi = bounds(period)
    counts: dict[str, dict[int, int]] = {}
    for month, score, n in db.execute(
        "SELECT substr(created_at, 1, 7) AS m, score, COUNT(*) FROM nps_response"
        " WHERE created_at >= ? AND created_at < ? GROUP BY m, score",
        (lo, hi),
    ):
        counts.setdefault(month, {})[score] = n
    out = []
    month, last = _month(period.start), _month(period.end)
    while month <= last:
        score = kpis.nps_from_scores(counts.get(month, {}))
        out.append(NpsPoint(month, score.responses, score.nps))
        month = _add_months(month, 1)
    return out


def top_customers(db: sqlite3.Connection, period: Period, limit: int) -> list[TopCustomer]:
    lo, hi = bounds(period)
    # group the sales first (covering index, no table reads), then look up one name per member
    rows = db.execute(
        "SELECT a.customer_id, c.name, a.n, a.revenue, c.balance FROM (SELECT customer_id,"
        " COUNT(*) AS n, SUM(amount) AS revenue FROM purchase"
        " WHERE created_at >= ? AND created_at < ? AND customer_id IS NOT NULL"
        " GROUP BY customer_id) a JOIN customer c ON c.id = a.customer_id"
        " ORDER BY a.revenue DESC, c.name LIMIT ?",
        (lo, hi, limit),
    ).fetchall()
    return [TopCustomer(*row) for row in rows]


def call_back(db: sqlite3.Connection, now: datetime, away_days: int) -> list[CallBack]:
    """Members who agreed to be contacted, have a phone, and have not visited for
    ``away_days`` days — best customers first."""
    cutoff = now - timedelta(days=away_days)
    rows = db.execute(
        "SELECT id, name, phone, last_visit_at, visits, lifetime_paid FROM customer"
        " WHERE consent = 1 AND phone IS NOT NULL AND phone != '' AND erased_at IS NULL"
        " AND last_visit_at IS NOT NULL AND last_visit_at < ?"
        " ORDER BY lifetime_paid DESC, name LIMIT 200",
        (cutoff.isoformat(sep=" ", timespec="microseconds"),),
    ).fetchall()
    out = []
    for cid, name, phone, last, visits, paid in rows:
        last_at = datetime.fromisoformat(last)
        out.append(CallBack(cid, name, phone, last_at, (now - last_at).days, visits, paid))
    return out
