"""report aggregates: per-day totals kept by triggers, so the year dashboard reads days, not sales

Revision ID: a_aggregates
Revises: a_reports

The owner's year dashboard over 1 000 000 sales must open in about a second. Reading every sale
of the year (and grouping them per member for "active", "repeat", "retained") cannot, so the
figures are kept up to date as facts arrive, by SQLite triggers on the fact tables. Triggers,
not application code, because every writer — the counter, refunds, sync apply, the importer, the
demo — inserts ``purchase``, ``ledger_entry`` and ``points_lot`` rows, and a trigger cannot be
forgotten by the next one; it also runs in the same transaction as the fact it counts.

Distinct members per period without a GROUP BY per member: each member's sales are ordered
(``created_at``, then ``id``), and every sale is counted under the pair (its day, the day of the
member's previous sale) in ``report_visit_gap`` and (its day, the day of the sale before that)
in ``report_visit_gap2``; '' means "no such sale". For a period [lo, hi]:

* active members = sales in the period whose previous sale is before ``lo`` (each active member
  has exactly one such sale: their first in the period);
* first sales ever = sales in the period with previous day '';
* members with ≥ 2 sales = Σ[previous in period] − Σ[the one before in period] (a member with k
  sales in the period contributes k−1 and max(0, k−2));
* retained from the previous period Q = sales in the period whose previous sale falls in Q.

A sale that arrives late (sync from another till) lands between two existing ones: the trigger
moves the next two sales of that member to their new pairs. ``report_cohort_visit`` is the same
idea per month and registration month (cohort table). ``report_member_total`` (Σ check amounts per
member) bounds the top-customers search; ``report_points_day`` and ``report_lot_expiry`` hold
points by day and kind, and live lot points by expiry day (the liability).

The rows are backfilled from the facts here; ``loyalty-terminal check`` proves they still equal a
recomputation (``app/integrity.py``).
"""

from __future__ import annotations

from alembic import op

revision = "a_aggregates"
down_revision = "a_reports"
branch_labels = None
depends_on = None

TABLES = (
    # a member's sales in order, with the amount: the triggers' neighbour lookups read only this
    """CREATE INDEX IF NOT EXISTS ix_purchase_member_order
        ON purchase (customer_id, created_at, id, amount)""",
    """CREATE TABLE IF NOT EXISTS report_day (
        day TEXT PRIMARY KEY, sales INTEGER NOT NULL, revenue INTEGER NOT NULL,
        card_sales INTEGER NOT NULL, member_revenue INTEGER NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS report_visit_gap (
        day TEXT NOT NULL, prev_day TEXT NOT NULL, visits INTEGER NOT NULL,
        amount INTEGER NOT NULL, PRIMARY KEY (day, prev_day)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS report_visit_gap2 (
        day TEXT NOT NULL, prev_day TEXT NOT NULL, visits INTEGER NOT NULL,
        PRIMARY KEY (day, prev_day)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS report_cohort_visit (
        cohort TEXT NOT NULL, month TEXT NOT NULL, prev_month TEXT NOT NULL,
        visits INTEGER NOT NULL, PRIMARY KEY (cohort, month, prev_month)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS report_member_total (
        customer_id TEXT PRIMARY KEY, sales INTEGER NOT NULL, amount INTEGER NOT NULL)
        WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS ix_report_member_total_amount ON report_member_total (amount)",
    """CREATE TABLE IF NOT EXISTS report_points_day (
        day TEXT NOT NULL, kind TEXT NOT NULL, plus INTEGER NOT NULL, minus INTEGER NOT NULL,
        PRIMARY KEY (day, kind)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS report_lot_expiry (
        day TEXT PRIMARY KEY, remaining INTEGER NOT NULL) WITHOUT ROWID""",
)

# The member's sales around NEW, in (created_at, id) order; NEW itself is already in the table.
# Row-value comparisons make each lookup one seek along ix_purchase_member_order.
_BEFORE = (
    "SELECT substr(created_at, 1, 10) FROM purchase WHERE customer_id = NEW.customer_id"
    " AND (created_at, id) < (NEW.created_at, NEW.id)"
    " ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET {k}"
)
_AFTER = (
    "SELECT {col} FROM purchase WHERE customer_id = NEW.customer_id"
    " AND (created_at, id) > (NEW.created_at, NEW.id)"
    " ORDER BY created_at, id LIMIT 1 OFFSET {k}"
)
P1 = f"COALESCE(({_BEFORE.format(k=0)}), '')"
P2 = f"COALESCE(({_BEFORE.format(k=1)}), '')"
N1_DAY = f"({_AFTER.format(col='substr(created_at, 1, 10)', k=0)})"
N1_AMOUNT = f"({_AFTER.format(col='amount', k=0)})"
N2_DAY = f"({_AFTER.format(col='substr(created_at, 1, 10)', k=1)})"
DAY = "substr(NEW.created_at, 1, 10)"
COHORT = "(SELECT substr(created_at, 1, 7) FROM customer WHERE id = NEW.customer_id)"


def _gap(day: str, prev: str, visits: str, amount: str, when: str = "") -> str:
    where = f" WHERE {when}" if when else " WHERE 1"
    return (
        f"INSERT INTO report_visit_gap (day, prev_day, visits, amount) SELECT {day}, {prev},"
        f" {visits}, {amount}{where} ON CONFLICT (day, prev_day) DO UPDATE SET"
        " visits = visits + excluded.visits, amount = amount + excluded.amount;"
    )


def _gap2(day: str, prev: str, visits: str, when: str = "") -> str:
    where = f" WHERE {when}" if when else " WHERE 1"
    return (
        f"INSERT INTO report_visit_gap2 (day, prev_day, visits) SELECT {day}, {prev},"
        f" {visits}{where} ON CONFLICT (day, prev_day) DO UPDATE SET"
        " visits = visits + excluded.visits;"
    )


def _cohort(month: str, prev_month: str, visits: str, when: str = "") -> str:
    where = f" WHERE {COHORT} IS NOT NULL" + (f" AND {when}" if when else "")
    return (
        "INSERT INTO report_cohort_visit (cohort, month, prev_month, visits)"
        f" SELECT {COHORT}, {month}, {prev_month}, {visits}{where}"
        " ON CONFLICT (cohort, month, prev_month) DO UPDATE SET visits = visits + excluded.visits;"
    )


def _month(day: str) -> str:
    return f"substr({day}, 1, 7)"


HAS_N1 = f"{N1_DAY} IS NOT NULL"
HAS_N2 = f"{N2_DAY} IS NOT NULL"

TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS report_sale_day AFTER INSERT ON purchase BEGIN
        INSERT INTO report_day (day, sales, revenue, card_sales, member_revenue)
        VALUES ({DAY}, 1, NEW.amount, NEW.customer_id IS NOT NULL,
                CASE WHEN NEW.customer_id IS NOT NULL THEN NEW.amount ELSE 0 END)
        ON CONFLICT (day) DO UPDATE SET sales = sales + 1, revenue = revenue + excluded.revenue,
            card_sales = card_sales + excluded.card_sales,
            member_revenue = member_revenue + excluded.member_revenue;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS report_member_sale AFTER INSERT ON purchase
    WHEN NEW.customer_id IS NOT NULL BEGIN
        {_gap(DAY, P1, "1", "NEW.amount")}
        {_gap2(DAY, P2, "1")}
        {_cohort(_month(DAY), f"substr({P1}, 1, 7)", "1")}
        INSERT INTO report_member_total (customer_id, sales, amount)
        VALUES (NEW.customer_id, 1, NEW.amount)
        ON CONFLICT (customer_id) DO UPDATE SET sales = sales + 1,
            amount = amount + excluded.amount;
    END""",
    # a sale that lands before the member's later ones (a late bundle): they get new neighbours
    f"""CREATE TRIGGER IF NOT EXISTS report_member_sale_between AFTER INSERT ON purchase
    WHEN NEW.customer_id IS NOT NULL AND {HAS_N1} BEGIN
        {_gap(N1_DAY, P1, "-1", f"-{N1_AMOUNT}")}
        {_gap(N1_DAY, DAY, "1", N1_AMOUNT)}
        {_gap2(N1_DAY, P2, "-1")}
        {_gap2(N1_DAY, P1, "1")}
        {_gap2(N2_DAY, P1, "-1", HAS_N2)}
        {_gap2(N2_DAY, DAY, "1", HAS_N2)}
        {_cohort(_month(N1_DAY), f"substr({P1}, 1, 7)", "-1")}
        {_cohort(_month(N1_DAY), _month(DAY), "1")}
    END""",
    # a member's sales written before their customer row (one sync batch) join their cohort now
    """CREATE TRIGGER IF NOT EXISTS report_member_registered AFTER INSERT ON customer BEGIN
        INSERT INTO report_cohort_visit (cohort, month, prev_month, visits)
        SELECT substr(NEW.created_at, 1, 7), m, pm, COUNT(*) FROM (
            SELECT substr(created_at, 1, 7) AS m,
                substr(LAG(created_at, 1, '') OVER (ORDER BY created_at, id), 1, 7) AS pm
            FROM purchase WHERE customer_id = NEW.id) WHERE 1 GROUP BY m, pm
        ON CONFLICT (cohort, month, prev_month) DO UPDATE SET visits = visits + excluded.visits;
    END""",
    """CREATE TRIGGER IF NOT EXISTS report_points_entry AFTER INSERT ON ledger_entry BEGIN
        INSERT INTO report_points_day (day, kind, plus, minus)
        VALUES (substr(NEW.created_at, 1, 10), NEW.kind, MAX(NEW.points, 0), MIN(NEW.points, 0))
        ON CONFLICT (day, kind) DO UPDATE SET plus = plus + excluded.plus,
            minus = minus + excluded.minus;
    END""",
    """CREATE TRIGGER IF NOT EXISTS report_lot_added AFTER INSERT ON points_lot BEGIN
        INSERT INTO report_lot_expiry (day, remaining)
        VALUES (COALESCE(substr(NEW.expires_at, 1, 10), 'never'), NEW.remaining)
        ON CONFLICT (day) DO UPDATE SET remaining = remaining + excluded.remaining;
    END""",
    """CREATE TRIGGER IF NOT EXISTS report_lot_changed
    AFTER UPDATE OF remaining, expires_at ON points_lot BEGIN
        INSERT INTO report_lot_expiry (day, remaining)
        VALUES (COALESCE(substr(OLD.expires_at, 1, 10), 'never'), -OLD.remaining)
        ON CONFLICT (day) DO UPDATE SET remaining = remaining + excluded.remaining;
        INSERT INTO report_lot_expiry (day, remaining)
        VALUES (COALESCE(substr(NEW.expires_at, 1, 10), 'never'), NEW.remaining)
        ON CONFLICT (day) DO UPDATE SET remaining = remaining + excluded.remaining;
    END""",
    """CREATE TRIGGER IF NOT EXISTS report_lot_removed AFTER DELETE ON points_lot BEGIN
        INSERT INTO report_lot_expiry (day, remaining)
        VALUES (COALESCE(substr(OLD.expires_at, 1, 10), 'never'), -OLD.remaining)
        ON CONFLICT (day) DO UPDATE SET remaining = remaining + excluded.remaining;
    END""",
)

# The same figures recomputed from the facts in one set-based pass each (backfill).
_ORDERED = """WITH o AS (SELECT p.customer_id, substr(p.created_at, 1, 10) AS d, p.amount,
        LAG(substr(p.created_at, 1, 10), 1, '') OVER w AS p1,
        LAG(substr(p.created_at, 1, 10), 2, '') OVER w AS p2,
        substr(c.created_at, 1, 7) AS cohort
    FROM purchase p LEFT JOIN customer c ON c.id = p.customer_id
    WHERE p.customer_id IS NOT NULL
    WINDOW w AS (PARTITION BY p.customer_id ORDER BY p.created_at, p.id))"""

BACKFILL = (
    """INSERT INTO report_day (day, sales, revenue, card_sales, member_revenue)
    SELECT substr(created_at, 1, 10), COUNT(*), SUM(amount), COUNT(customer_id),
        COALESCE(SUM(CASE WHEN customer_id IS NOT NULL THEN amount END), 0)
    FROM purchase GROUP BY 1""",
    f"""{_ORDERED} INSERT INTO report_visit_gap (day, prev_day, visits, amount)
    SELECT d, p1, COUNT(*), SUM(amount) FROM o WHERE 1 GROUP BY d, p1""",
    f"""{_ORDERED} INSERT INTO report_visit_gap2 (day, prev_day, visits)
    SELECT d, p2, COUNT(*) FROM o WHERE 1 GROUP BY d, p2""",
    f"""{_ORDERED} INSERT INTO report_cohort_visit (cohort, month, prev_month, visits)
    SELECT cohort, substr(d, 1, 7), substr(p1, 1, 7), COUNT(*) FROM o WHERE cohort IS NOT NULL
    GROUP BY 1, 2, 3""",
    """INSERT INTO report_member_total (customer_id, sales, amount)
    SELECT customer_id, COUNT(*), SUM(amount) FROM purchase WHERE customer_id IS NOT NULL
    GROUP BY customer_id""",
    """INSERT INTO report_points_day (day, kind, plus, minus)
    SELECT substr(created_at, 1, 10), kind, COALESCE(SUM(MAX(points, 0)), 0),
        COALESCE(SUM(MIN(points, 0)), 0) FROM ledger_entry GROUP BY 1, 2""",
    """INSERT INTO report_lot_expiry (day, remaining)
    SELECT COALESCE(substr(expires_at, 1, 10), 'never'), SUM(remaining) FROM points_lot
    GROUP BY 1""",
)

NAMES = (
    "report_day",
    "report_visit_gap",
    "report_visit_gap2",
    "report_cohort_visit",
    "report_member_total",
    "report_points_day",
    "report_lot_expiry",
)
TRIGGER_NAMES = (
    "report_sale_day",
    "report_member_sale",
    "report_member_sale_between",
    "report_member_registered",
    "report_points_entry",
    "report_lot_added",
    "report_lot_changed",
    "report_lot_removed",
)


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)
    for name in NAMES:  # an interrupted earlier run may have left part of a backfill
        op.execute(f"DELETE FROM {name}")
    for statement in BACKFILL:
        op.execute(statement)
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP INDEX IF EXISTS ix_report_member_total_amount")
    op.execute("DROP INDEX IF EXISTS ix_purchase_member_order")
    for name in NAMES:
        op.execute(f"DROP TABLE IF EXISTS {name}")
