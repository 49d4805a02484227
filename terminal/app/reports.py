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
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.kpis import Period
from terminal.core.sentences import Day

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
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The period ends before it starts."), field="period"
            )
        if period.end >= date.max:
            # bounds() reads up to the next midnight, which the calendar does not have.
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The period must end before {last}."),
                field="period",
                last=Day(date.max),
            )
        before = period.previous()  # refused in words before anything is read
        with self.till.read_driver() as db:
            _version, program = current_program(db)
            current = period_figures(db, period)
            previous = period_figures(db, before)
            # lots only know what remains today, so the liability is always as of now
            liability = points_liability(db, self.till.now(), program.point_value)
        return KpiReport(current, previous, liability, program.point_value)


def _day(day: date) -> str:
    return day.isoformat()


def period_figures(db: sqlite3.Connection, period: Period) -> PeriodFigures:
    """Read from the day aggregates kept by triggers (migration ``a_aggregates``): a year is
    a few hundred day rows and a few tens of thousands of (day, previous visit day) pairs."""
    lo, hi = bounds(period)
    first_day, last_day = _day(period.start), _day(period.end)
    sales, revenue, card_sales, member_revenue = db.execute(
        "SELECT COALESCE(SUM(sales), 0), COALESCE(SUM(revenue), 0), COALESCE(SUM(card_sales), 0),"
        " COALESCE(SUM(member_revenue), 0) FROM report_day WHERE day BETWEEN ? AND ?",
        (first_day, last_day),
    ).fetchone()
    # each member's sales are paired with the day of their previous sale ('' = none ever):
    # a member is active once (their first sale in the period has its previous one before the
    # period), a first sale ever has no previous one, and a member with k sales in the period
    # has k−1 whose previous sale is in it and max(0, k−2) whose one-before-previous is.
    # retention rides on the same pairs: members active in the previous period are those whose
    # first sale there had its previous one before it; of them, kept = those whose first sale in
    # this period has its previous one in the previous period (their last sale before this one)
    prev_first = _day(period.previous().start)
    active, first_n, first_sum, previous_inside, active_before, kept = db.execute(
        "SELECT COALESCE(SUM(CASE WHEN day >= :lo AND prev_day < :lo THEN visits END), 0),"
        " COALESCE(SUM(CASE WHEN day >= :lo AND prev_day = '' THEN visits END), 0),"
        " COALESCE(SUM(CASE WHEN day >= :lo AND prev_day = '' THEN amount END), 0),"
        " COALESCE(SUM(CASE WHEN day >= :lo AND prev_day >= :lo THEN visits END), 0),"
        " COALESCE(SUM(CASE WHEN day < :lo AND prev_day < :plo THEN visits END), 0),"
        " COALESCE(SUM(CASE WHEN day >= :lo AND prev_day >= :plo AND prev_day < :lo"
        " THEN visits END), 0) FROM report_visit_gap WHERE day BETWEEN :plo AND :hi",
        {"plo": prev_first, "lo": first_day, "hi": last_day},
    ).fetchone()
    (before_previous_inside,) = db.execute(
        "SELECT COALESCE(SUM(visits), 0) FROM report_visit_gap2"
        " WHERE day BETWEEN :lo AND :hi AND prev_day >= :lo",
        {"lo": first_day, "hi": last_day},
    ).fetchone()
    two_plus = previous_inside - before_previous_inside
    (new_members,) = db.execute(
        "SELECT COUNT(*) FROM customer WHERE created_at >= ? AND created_at < ?", (lo, hi)
    ).fetchone()
    # lifetime value: everything members paid up to the period's end, per member by then
    members_by_end, paid_by_end = db.execute(
        "SELECT (SELECT COUNT(*) FROM customer WHERE created_at < ?),"
        " (SELECT COALESCE(SUM(member_revenue), 0) FROM report_day WHERE day <= ?)",
        (hi, last_day),
    ).fetchone()
    # points by day and kind (trigger-kept): totals by kind, and for manual adjustments the
    # positive and negative sides apart
    points: dict[str, int] = {}
    positive_adjust = negative_adjust = 0
    for kind, plus, minus in db.execute(
        "SELECT kind, SUM(plus), SUM(minus) FROM report_points_day"
        " WHERE day BETWEEN ? AND ? GROUP BY kind",
        (first_day, last_day),
    ):
        points[kind] = plus + minus
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
    whose expiry falls within the next 30 days.

    Whole days come from ``report_lot_expiry`` (remaining points by expiry day, trigger-kept;
    lots that never expire under 'never', which sorts after every date); the two partial days —
    the rest of today and the 30th day up to this time — are read lot by lot."""
    now, soon = as_of, as_of + timedelta(days=30)
    today, tomorrow = now.date(), now.date() + timedelta(days=1)
    soon_day = soon.date()
    (whole_live,) = db.execute(
        "SELECT COALESCE(SUM(remaining), 0) FROM report_lot_expiry WHERE day > ?",
        (_day(today),),
    ).fetchone()
    (whole_expiring,) = db.execute(
        "SELECT COALESCE(SUM(remaining), 0) FROM report_lot_expiry WHERE day > ? AND day < ?",
        (_day(today), _day(soon_day)),
    ).fetchone()

    def lots_between(after: datetime, up_to: datetime, inclusive: bool) -> int:
        upper = "<=" if inclusive else "<"
        (total,) = db.execute(
            "SELECT COALESCE(SUM(remaining), 0) FROM points_lot"
            f" WHERE expires_at > ? AND expires_at {upper} ?",
            (_t(after), _t(up_to)),
        ).fetchone()
        return int(total)

    rest_of_today = lots_between(now, datetime.combine(tomorrow, time.min), inclusive=False)
    midnight_soon = datetime.combine(soon_day, time.min)
    last_day_part = lots_between(midnight_soon - timedelta(microseconds=1), soon, inclusive=True)
    live = whole_live + rest_of_today
    expiring = whole_expiring + rest_of_today + last_day_part
    return Liability(
        as_of=as_of,
        live_points=live,
        value=kpis.liability_minor(live, point_value),
        expiring_points_30d=expiring,
        expiring_value_30d=kpis.liability_minor(expiring, point_value),
    )
