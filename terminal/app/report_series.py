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
    """Monday-based weeks overlapping the period (the first and last may be partial).

    Sales and revenue come from the day totals; active members from the (day, previous visit
    day) pairs: a member counts in a week once, on their first sale of that week inside the
    period — the sale whose previous one is before the week's first day in the period."""
    first_day, last_day = period.start.isoformat(), period.end.isoformat()
    totals: dict[date, list[int]] = {}
    for day, n, revenue in db.execute(
        "SELECT day, sales, revenue FROM report_day WHERE day BETWEEN ? AND ?",
        (first_day, last_day),
    ):
        week = totals.setdefault(_monday(date.fromisoformat(day)), [0, 0, 0])
        week[0] += n
        week[1] += revenue
    slice_start: dict[str, str] = {}  # day -> first day of its week inside the period
    for day, prev_day, visits in db.execute(
        "SELECT day, prev_day, visits FROM report_visit_gap WHERE day BETWEEN ? AND ?",
        (first_day, last_day),
    ):
        start = slice_start.get(day)
        if start is None:
            start = max(_monday(date.fromisoformat(day)), period.start).isoformat()
            slice_start[day] = start
        if prev_day < start:
            totals.setdefault(_monday(date.fromisoformat(day)), [0, 0, 0])[2] += visits
    lo, hi = bounds(period)
    monday = f"CAST((julianday(substr(created_at, 1, 10)) - {_ANCHOR_JD}) / 7 AS INTEGER)"
    joined = {
        _week_monday(w): n
        for w, n in db.execute(
            f"SELECT {monday} AS w, COUNT(*) FROM customer"
            " WHERE created_at >= ? AND created_at < ? GROUP BY w",
            (lo, hi),
        )
    }
    out = []
    week = _monday(period.start)
    while week <= period.end:
        n, revenue, active = totals.get(week, (0, 0, 0))
        out.append(WeekPoint(week, n, revenue, active, joined.get(week, 0)))
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
    # distinct members of a cohort who bought in a month = that month's sales whose previous
    # sale was in an earlier month (kept by triggers per registration month); whole months
    bought: dict[tuple[str, str], int] = dict(
        ((cohort, month), n)
        for cohort, month, n in db.execute(
            "SELECT cohort, month, SUM(visits) FROM report_cohort_visit"
            " WHERE cohort BETWEEN :first AND :last AND month BETWEEN cohort AND :last"
            " AND prev_month < month GROUP BY cohort, month",
            {"first": first, "last": last},
        )
    )
    month_lo = f"{last}-01 00:00:00.000000"
    next_month_lo = f"{_add_months(last, 1)}-01 00:00:00.000000"
    (later,) = db.execute(
        "SELECT EXISTS (SELECT 1 FROM purchase WHERE created_at >= ? AND created_at < ?)",
        (hi, next_month_lo),
    ).fetchone()
    if later:  # the period ends inside a month that has later sales: that column up to the end
        for key in [key for key in bought if key[1] == last]:
            del bought[key]
        for cohort, n in db.execute(
            "SELECT substr(c.created_at, 1, 7), COUNT(DISTINCT p.customer_id) FROM purchase p"
            " JOIN customer c ON c.id = p.customer_id"
            " WHERE p.created_at >= ? AND p.created_at < ? AND c.created_at >= ?"
            " AND c.created_at < ? GROUP BY 1",
            (month_lo, hi, lo, hi),
        ):
            bought[(cohort, last)] = n
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


TOP_SEARCH_LIMIT = 5_000


def top_customers(db: sqlite3.Connection, period: Period, limit: int) -> list[TopCustomer]:
    """The members with the highest Σ check amounts in the period, best first (name breaks ties).

    A member's sales in the period never exceed their sales ever (``report_member_total``), so
    members are visited from the biggest spender ever down, each summed over the period along
    ``purchase(customer_id, created_at)``, until the next one's lifetime total cannot beat the
    current last place. A young shop stops after a dozen members; if a long history makes the
    walk long, one GROUP BY over the period's sales answers instead."""
    lo, hi = bounds(period)
    best: list[tuple[int, str, str, int, int]] = []  # (revenue, name, id, sales, balance)
    visited = 0
    for customer_id, lifetime in db.execute(
        "SELECT customer_id, amount FROM report_member_total ORDER BY amount DESC"
    ):
        if len(best) >= limit and lifetime < best[limit - 1][0]:
            break
        visited += 1
        if visited > TOP_SEARCH_LIMIT:
            return _top_customers_grouped(db, lo, hi, limit)
        n, revenue = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM purchase"
            " WHERE customer_id = ? AND created_at >= ? AND created_at < ?",
            (customer_id, lo, hi),
        ).fetchone()
        if not n:
            continue
        name, balance = db.execute(
            "SELECT name, balance FROM customer WHERE id = ?", (customer_id,)
        ).fetchone()
        best.append((revenue, name, customer_id, n, balance))
        best.sort(key=lambda row: (-row[0], row[1]))
        del best[limit:]
    return [TopCustomer(cid, name, n, revenue, balance) for revenue, name, cid, n, balance in best]


def _top_customers_grouped(
    db: sqlite3.Connection, lo: str, hi: str, limit: int
) -> list[TopCustomer]:
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
