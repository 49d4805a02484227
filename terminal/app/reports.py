"""The owner's dashboard figures for a period, each beside the previous period of the same length.

The same :class:`Reports` feeds the Reports screen and ``loyalty-terminal report``, so both show
the same numbers. Gathering is set-based SQL on the till's ``sqlite3`` connection along the
covering ``purchase(created_at, customer_id, amount)``, ``ledger_entry(created_at, kind,
points)`` and ``customer(created_at)`` indexes (migration ``a_reports``) and
``purchase(customer_id, created_at)``; per-member figures come from one GROUP BY pass, never a
subquery per sale; the formulas
themselves are in :mod:`terminal.core.kpis` (docs/kpis.md). Series for charts are in
:mod:`terminal.app.report_series`.

A "sale" is a purchase row; its value is the check amount before loyalty discounts and points
(``amount``). A "member" is a customer with a card; an "active member" bought at least once in
the period. Refunds are not netted out of checks (they are counted separately).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from terminal.app.till import Till, current_program
from terminal.core import kpis
from terminal.core.errors import QT_TRANSLATE_NOOP
from terminal.core.kpis import Period

GRANT_KINDS = ("earn", "welcome", "birthday", "referral", "milestone", "opening_balance")
REVERSAL_KINDS = ("refund_reversal", "bonus_reversal")


@dataclass(frozen=True)
class PeriodFigures:
    """Every KPI of one period. Money in minor units, shares in basis points, ``_x100`` ratios
    ×100; None = nothing to divide by."""

    start: date
    end: date
    sales: int
    revenue: int
    card_sales: int
    member_revenue: int
    active_members: int
    new_members: int
    participation_bp: int | None
    repeat_rate_bp: int | None
    frequency_x100: int | None
    avg_check: int | None
    avg_check_members: int | None
    avg_check_first: int | None
    avg_check_repeat: int | None
    clv: int | None
    retention_bp: int | None
    churn_bp: int | None
    points_issued: int
    points_redeemed: int
    points_expired: int
    redemption_rate_bp: int | None
    nps: int | None
    nps_responses: int
    promoters: int
    passives: int
    detractors: int
    csat_bp: int | None
    refunds: int
    refunded_amount: int


@dataclass(frozen=True)
class Liability:
    """Points customers can still spend, as of now (lots only know what remains today)."""

    as_of: datetime
    live_points: int
    value: int
    expiring_points_30d: int
    expiring_value_30d: int


@dataclass(frozen=True)
class KpiReport:
    current: PeriodFigures
    previous: PeriodFigures
    liability: Liability
    point_value: int


def _t(moment: date | datetime) -> str:
    """The text SQLAlchemy stores for a naive datetime; dates mean their midnight."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min)
    return moment.isoformat(sep=" ", timespec="microseconds")


def bounds(period: Period) -> tuple[str, str]:
    """[start midnight, day after end midnight) as stored text, for index range scans."""
    return _t(period.start), _t(period.end + timedelta(days=1))


class Reports:
    def __init__(self, till: Till) -> None:
        self.till = till

    def kpis(self, period: Period) -> KpiReport:
        if period.end < period.start:
            from terminal.core.errors import InvalidInput

            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The period ends before it starts."), field="period"
            )
        with self.till.read_driver() as db:
            _version, program = current_program(db)
            current = period_figures(db, period)
            previous = period_figures(db, period.previous())
            # lots only know what remains today, so the liability is always as of now
            liability = points_liability(db, self.till.now(), program.point_value)
        return KpiReport(current, previous, liability, program.point_value)


def period_figures(db: sqlite3.Connection, period: Period) -> PeriodFigures:
    lo, hi = bounds(period)
    sales, revenue, card_sales, member_revenue = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(amount), 0), COUNT(customer_id),"
        " COALESCE(SUM(CASE WHEN customer_id IS NOT NULL THEN amount END), 0)"
        " FROM purchase WHERE created_at >= ? AND created_at < ?",
        (lo, hi),
    ).fetchone()
    # one pass over the period's card sales, grouped per member, feeds three figures: active
    # members, repeat buyers and first checks. A member's first purchase ever falls in the
    # period when nothing came before the period's start; it is then their first sale in it
    # (every sale at that very moment counts, as before).
    active, two_plus, first_n, first_sum = db.execute(
        "WITH a AS MATERIALIZED (SELECT customer_id, COUNT(*) AS n, MIN(created_at) AS first_at"
        " FROM purchase WHERE created_at >= ? AND created_at < ? AND customer_id IS NOT NULL"
        " GROUP BY customer_id),"
        " f AS MATERIALIZED (SELECT p.amount FROM a"
        " JOIN purchase p ON p.customer_id = a.customer_id AND p.created_at = a.first_at"
        " WHERE NOT EXISTS (SELECT 1 FROM purchase q WHERE q.customer_id = a.customer_id"
        " AND q.created_at < ?))"
        " SELECT (SELECT COUNT(*) FROM a), (SELECT COALESCE(SUM(n >= 2), 0) FROM a),"
        " (SELECT COUNT(*) FROM f), (SELECT COALESCE(SUM(amount), 0) FROM f)",
        (lo, hi, lo),
    ).fetchone()
    (new_members,) = db.execute(
        "SELECT COUNT(*) FROM customer WHERE created_at >= ? AND created_at < ?", (lo, hi)
    ).fetchone()
    prev_lo, prev_hi = bounds(period.previous())
    active_before, kept = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM purchase q"
        " WHERE q.customer_id = b.customer_id AND q.created_at >= ? AND q.created_at < ?)), 0)"
        " FROM (SELECT DISTINCT customer_id FROM purchase"
        " WHERE created_at >= ? AND created_at < ? AND customer_id IS NOT NULL) b",
        (lo, hi, prev_lo, prev_hi),
    ).fetchone()
    # lifetime value: everything members paid up to the period's end, per member by then
    members_by_end, paid_by_end = db.execute(
        "SELECT (SELECT COUNT(*) FROM customer WHERE created_at < ?),"
        " (SELECT COALESCE(SUM(amount), 0) FROM purchase"
        "  WHERE customer_id IS NOT NULL AND created_at < ?)",
        (hi, hi),
    ).fetchone()
    # one pass over the period's ledger (covering index): totals by kind, and for manual
    # adjustments the positive and negative sides apart
    points: dict[str, int] = {}
    positive_adjust = negative_adjust = 0
    for kind, total, plus, minus in db.execute(
        "SELECT kind, COALESCE(SUM(points), 0), COALESCE(SUM(CASE WHEN points > 0 THEN points"
        " END), 0), COALESCE(SUM(CASE WHEN points < 0 THEN points END), 0) FROM ledger_entry"
        " WHERE created_at >= ? AND created_at < ? GROUP BY kind",
        (lo, hi),
    ):
        points[kind] = total
        if kind == "adjustment":
            positive_adjust, negative_adjust = plus, minus
    issued = (
        sum(points.get(k, 0) for k in GRANT_KINDS)
        + positive_adjust
        + sum(points.get(k, 0) for k in REVERSAL_KINDS)
        + negative_adjust
    )
    redeemed = -points.get("redeem", 0) - points.get("refund_return", 0)
    expired = -points.get("expire", 0)
    scores = dict(
        db.execute(
            "SELECT score, COUNT(*) FROM nps_response"
            " WHERE created_at >= ? AND created_at < ? GROUP BY score",
            (lo, hi),
        ).fetchall()
    )
    nps = kpis.nps_from_scores(scores)
    refunds, refunded = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM refund"
        " WHERE created_at >= ? AND created_at < ?",
        (lo, hi),
    ).fetchone()
    return PeriodFigures(
        start=period.start,
        end=period.end,
        sales=sales,
        revenue=revenue,
        card_sales=card_sales,
        member_revenue=member_revenue,
        active_members=active,
        new_members=new_members,
        participation_bp=kpis.participation_bp(card_sales, sales),
        repeat_rate_bp=kpis.repeat_rate_bp(two_plus, active),
        frequency_x100=kpis.per_hundred(card_sales, active),
        avg_check=kpis.average_minor(revenue, sales),
        avg_check_members=kpis.average_minor(member_revenue, card_sales),
        avg_check_first=kpis.average_minor(first_sum, first_n),
        avg_check_repeat=kpis.average_minor(member_revenue - first_sum, card_sales - first_n),
        clv=kpis.average_minor(paid_by_end, members_by_end),
        retention_bp=kpis.retention_bp(kept, active_before),
        churn_bp=kpis.churn_bp(kept, active_before),
        points_issued=issued,
        points_redeemed=redeemed,
        points_expired=expired,
        redemption_rate_bp=kpis.redemption_rate_bp(redeemed, issued),
        nps=nps.nps,
        nps_responses=nps.responses,
        promoters=nps.promoters,
        passives=nps.passives,
        detractors=nps.detractors,
        csat_bp=kpis.csat_bp(scores),
        refunds=refunds,
        refunded_amount=refunded,
    )


def points_liability(db: sqlite3.Connection, as_of: datetime, point_value: int) -> Liability:
    """Live points = what remains in lots not expired at ``as_of``; "expiring" = those lots
    whose expiry falls within the next 30 days."""
    now, soon = _t(as_of), _t(as_of + timedelta(days=30))
    live, expiring = db.execute(
        "SELECT COALESCE(SUM(remaining), 0),"
        " COALESCE(SUM(CASE WHEN expires_at <= ? THEN remaining END), 0)"
        " FROM points_lot WHERE remaining > 0 AND (expires_at IS NULL OR expires_at > ?)",
        (soon, now),
    ).fetchone()
    return Liability(
        as_of=as_of,
        live_points=live,
        value=kpis.liability_minor(live, point_value),
        expiring_points_30d=expiring,
        expiring_value_30d=kpis.liability_minor(expiring, point_value),
    )
