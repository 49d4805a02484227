"""report points by day follow a ledger entry whose points change: ``report_points_changed``

Revision ID: a_expiry_replay
Revises: a_card_status

Points expire on every till: each writes the expiry of a lot down at its start-of-day sweep or
at the customer's next sale there, so tills apart for a day each write the same lot off, and
each may know a different remainder of it. Sync now keeps the expiry entries of a lot (from
whatever till) at what the lot really held at each one's moment (``sync/apply.py``:
``_replay_expiries``), which changes the points of entries already written. The day's points
totals (``report_points_day``, kept by ``report_points_entry`` on insert) follow such a change
through this trigger, so the owner's report and ``check`` agree with the entries.
"""

from __future__ import annotations

from alembic import op

revision = "a_expiry_replay"
down_revision = "a_card_status"
branch_labels = None
depends_on = None

TRIGGER = """CREATE TRIGGER IF NOT EXISTS report_points_changed
    AFTER UPDATE OF points ON ledger_entry BEGIN
        INSERT INTO report_points_day (day, kind, plus, minus)
        VALUES (substr(OLD.created_at, 1, 10), OLD.kind,
                -MAX(OLD.points, 0), -MIN(OLD.points, 0))
        ON CONFLICT (day, kind) DO UPDATE SET plus = plus + excluded.plus,
            minus = minus + excluded.minus;
        INSERT INTO report_points_day (day, kind, plus, minus)
        VALUES (substr(NEW.created_at, 1, 10), NEW.kind, MAX(NEW.points, 0), MIN(NEW.points, 0))
        ON CONFLICT (day, kind) DO UPDATE SET plus = plus + excluded.plus,
            minus = minus + excluded.minus;
    END"""


def upgrade() -> None:
    op.execute(TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS report_points_changed")
