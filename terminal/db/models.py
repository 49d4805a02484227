"""Tables. Every change of a balance is an append-only ledger entry; cached figures on the
customer row (balance, lifetime paid, visits) are written in the same transaction and proven
equal to the sums by ``loyalty-terminal check``.

Ids of anything that travels between tills are UUID strings, so tills can create rows offline
without coordination. Times are the shop's local wall-clock time (naive), which is what birthday
windows, happy hours and daily reports are about.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class ShopSetting(SQLModel, table=True):
    __tablename__ = "shop_setting"

    key: str = Field(primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    updated_at: NaiveDatetime


class Terminal(SQLModel, table=True):
    """A till. Exactly one row has ``is_local``; the others are tills known through sync."""

    __tablename__ = "terminal"

    id: str = Field(primary_key=True)
    number: int = Field(index=True)
    name: str = ""
    is_local: bool = False
    next_card_serial: int = 1
    created_at: NaiveDatetime


class ProgramVersion(SQLModel, table=True):
    __tablename__ = "program_version"

    version: int = Field(primary_key=True)
    rules: str = Field(sa_column=Column(Text, nullable=False))  # JSON of core.program.Program
    created_at: NaiveDatetime
    created_by: str = ""
    note: str = ""


class Staff(SQLModel, table=True):
    """People who use the till; owners unlock owner screens with their PIN."""

    __tablename__ = "staff"

    id: str = Field(primary_key=True)
    name: str
    role: str = "cashier"  # cashier | owner
    pin_hash: str = ""
    failed_attempts: int = 0
    locked_until: NaiveDatetime | None = None
    active: bool = True
    created_at: NaiveDatetime


class StaffName(SQLModel, table=True):
    """The name of everyone who works at any of the shop's tills, by their staff id: what a
    sale's or an adjustment's ``cashier_id`` / ``created_by`` reads as on every till.

    ``staff`` holds this till's own people with their PIN hashes and lockouts, which never
    leave the till; these rows are what travels instead (journal event ``staff.named``), so a
    till shows who made another till's sales without learning anyone's PIN, and a person of
    another till can never sign in or count as an owner here.
    """

    __tablename__ = "staff_name"

    id: str = Field(primary_key=True)  # the person's id in ``staff`` on their own till
    name: str
    terminal_id: str  # the till whose roster the person is on
    created_at: NaiveDatetime


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (Index("ix_customer_name_key", "name_key"),)

    id: str = Field(primary_key=True)
    name: str
    name_key: str = ""  # casefolded name for search
    phone: str | None = Field(default=None, index=True)
    email: str | None = None
    birthday: date | None = None
    consent: bool = False
    consent_at: NaiveDatetime | None = None
    referrer_id: str | None = Field(default=None, foreign_key="customer.id")
    created_at: NaiveDatetime
    created_terminal_id: str | None = None
    erased_at: NaiveDatetime | None = None
    # caches, written in the same transaction as the entries they summarise
    balance: int = 0
    lifetime_paid: int = 0
    visits: int = 0
    last_visit_at: NaiveDatetime | None = None


class Card(SQLModel, table=True):
    """A card number; stock cards (pre-printed, unassigned) have no customer yet."""

    __tablename__ = "card"

    number: str = Field(primary_key=True)
    customer_id: str | None = Field(default=None, foreign_key="customer.id", index=True)
    status: str = "active"  # stock | active | blocked | replaced
    issued_at: NaiveDatetime
    assigned_at: NaiveDatetime | None = None
    status_reason: str = ""
    terminal_id: str | None = None
    batch: str | None = None


class Purchase(SQLModel, table=True):
    __tablename__ = "purchase"
    # indexes: ix_purchase_member_order and ix_purchase_time_customer_amount (migrations
    # a_aggregates, a_reports); the schema is made by the migrations, not from these classes

    id: str = Field(primary_key=True)  # the client-generated sale UUID
    customer_id: str | None = Field(default=None, foreign_key="customer.id")
    card_number: str | None = None
    amount: int
    discount: int = 0
    points_redeemed: int = 0
    redeemed_value: int = 0
    paid: int = 0
    points_earned: int = 0
    bonus_points: int = 0
    program_version: int = Field(foreign_key="program_version.version")
    tier: str = ""
    explanation: str = ""
    category: str | None = None
    cashier_id: str | None = None
    terminal_id: str | None = None
    created_at: NaiveDatetime
    refunded_amount: int = 0  # cache of the refunds' amounts
    balance_after: int = 0  # what the customer was told, returned again on a repeated submit
    tier_after: str = ""


class Refund(SQLModel, table=True):
    __tablename__ = "refund"

    id: str = Field(primary_key=True)
    purchase_id: str = Field(foreign_key="purchase.id", index=True)
    amount: int
    money_returned: int
    points_returned: int
    points_reversed: int
    bonus_reversed: int = 0
    cashier_id: str | None = None
    terminal_id: str | None = None
    created_at: NaiveDatetime


class PointsLot(SQLModel, table=True):
    """Points granted together, spent oldest first and expired as a whole when their day comes."""

    __tablename__ = "points_lot"
    __table_args__ = (Index("ix_lot_customer_live", "customer_id", "remaining", "expires_at"),)

    id: str = Field(primary_key=True)
    customer_id: str = Field(foreign_key="customer.id")
    points: int
    remaining: int
    granted_at: NaiveDatetime
    expires_at: NaiveDatetime | None = Field(default=None, index=True)


class LedgerEntry(SQLModel, table=True):
    """One append-only change of a balance. ``points`` is signed."""

    __tablename__ = "ledger_entry"
    __table_args__ = (Index("ix_ledger_customer_time", "customer_id", "created_at"),)

    id: str = Field(primary_key=True)
    customer_id: str = Field(foreign_key="customer.id")
    kind: str  # earn redeem welcome birthday referral milestone expire refund_return
    # refund_reversal bonus_reversal adjustment opening_balance
    points: int
    purchase_id: str | None = Field(default=None, index=True)
    refund_id: str | None = None
    lot_id: str | None = None  # the lot a grant created
    reason: str = ""
    birthday_year: int | None = None
    program_version: int | None = None
    terminal_id: str | None = None
    created_by: str | None = None
    created_at: NaiveDatetime


class LotMovement(SQLModel, table=True):
    """Which lots an outgoing entry (redeem, expire, reversal) took its points from, so a refund
    can put redeemed points back into the very lots they came from."""

    __tablename__ = "lot_movement"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(foreign_key="ledger_entry.id", index=True)
    lot_id: str = Field(foreign_key="points_lot.id", index=True)
    points: int  # signed: negative takes from the lot, positive puts back


class JournalEvent(SQLModel, table=True):
    """Outbox of domain changes, exported to other tills and the hub. Append-only."""

    __tablename__ = "journal_event"
    __table_args__ = (
        UniqueConstraint("terminal_id", "seq", name="uq_journal_terminal_seq"),
        # the few events only a newer release can apply (journal.py), for the bundle manifest;
        # partial, so a sale never writes to it
        Index(
            "ix_journal_event_newer_schema",
            "terminal_id",
            "seq",
            "schema_version",
            sqlite_where=text("schema_version > 1"),
        ),
    )

    id: str = Field(primary_key=True)  # UUIDv7
    terminal_id: str  # led by the unique (terminal_id, seq) index
    seq: int
    created_at: NaiveDatetime
    type: str
    payload: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    schema_version: int = 1
    applied_at: NaiveDatetime | None = None  # set when imported from another till


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(index=True)
    actor: str = ""
    action: str
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"

    id: str = Field(primary_key=True)
    customer_id: str | None = Field(default=None, foreign_key="customer.id", index=True)
    kind: str = "complaint"  # complaint | suggestion | praise
    text: str
    status: str = "open"  # open | resolved
    resolution: str = ""
    created_at: NaiveDatetime
    resolved_at: NaiveDatetime | None = None
    created_by: str | None = None


class NpsResponse(SQLModel, table=True):
    __tablename__ = "nps_response"

    id: str = Field(primary_key=True)
    customer_id: str | None = Field(default=None, foreign_key="customer.id", index=True)
    purchase_id: str | None = Field(default=None, foreign_key="purchase.id")
    score: int
    created_at: NaiveDatetime = Field(index=True)


from terminal.db.safety_models import *  # noqa: E402,F403
from terminal.db.sync_models import *  # noqa: E402,F403
