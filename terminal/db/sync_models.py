"""Tables of sync between tills: the hybrid logical clock, per-field clocks, and conflicts.

Which events a till already holds needs no table of its own: ``journal_event`` keeps this
till's events (and other tills' events imported before the archive existed), and
``journal_archive`` the runs of other tills' events imported since; the cursor for each other
till is the highest ``seq`` of either.
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class SyncState(SQLModel, table=True):
    """Small named values of this till's sync: the HLC, the last exported sequence number."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True)
    value: str


class SyncEventClock(SQLModel, table=True):
    """The hybrid-logical-clock stamp of an event, fixed when it first leaves or meets others."""

    __tablename__ = "sync_event_clock"

    event_id: str = Field(primary_key=True)
    hlc: str


class SyncFieldClock(SQLModel, table=True):
    """The stamp of the last write to one field of one row: last writer wins, per field."""

    __tablename__ = "sync_field_clock"

    tbl: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    hlc: str
    # The winning value as JSON: set again when the row itself arrives after the edit.
    value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SyncCardStatus(SQLModel, table=True):
    """Every change of a card's status this till knows of, from any till, with its HLC stamp.

    The field clock keeps only the last write; deciding whether a sale was made while its card
    was blocked needs the card's status *at the sale's time*, whatever order the news of the
    block, the sale and a later unblock arrive in (``sync/apply.py``: sale_on_blocked_card).
    A rowid table, so the rows one bundle added are those above the highest rowid before it.
    """

    __tablename__ = "sync_card_status"
    __table_args__ = (UniqueConstraint("card", "hlc", name="uq_sync_card_status"),)

    id: int | None = Field(default=None, primary_key=True)
    card: str
    hlc: str
    status: str


class SyncConflict(SQLModel, table=True):
    """Something two tills did offline that the owner should look at (points spent twice...).

    The id is derived from what clashed, so every till that meets the clash writes the same row.
    """

    __tablename__ = "sync_conflict"

    id: str = Field(primary_key=True)
    # points_overspent | points_debt_unsettled | card_assigned_twice | sale_on_blocked_card |
    # sale_refunded_twice | till_number_twice
    kind: str = Field(index=True)
    customer_id: str | None = Field(default=None, index=True)
    subject: str = ""  # the customer, card, sale or till number it is about
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    created_at: NaiveDatetime
    resolved_at: NaiveDatetime | None = None


class JournalArchive(SQLModel, table=True):
    """A run of another till's events, kept as it arrived (see ``db/journal_archive.py``).

    ``body`` is gzip: the bundle file as imported (manifest, events, signature), or the events
    of a hub pull. A body too big for one SQLite value is cut into ``piece`` 0, 1, … rows that
    share the run's numbers; joined in order they are the gzip stream. The run is the
    sequence numbers applied from it; the body may hold more (those the till already had).
    """

    __tablename__ = "journal_archive"
    __table_args__ = (
        UniqueConstraint("terminal_id", "first_seq", "piece", name="uq_journal_archive_run"),
    )

    id: int | None = Field(default=None, primary_key=True)
    terminal_id: str
    first_seq: int
    last_seq: int
    piece: int = 0
    source: str  # bundle | hub
    received_at: NaiveDatetime
    scrubbed_at: NaiveDatetime | None = None  # privacy erasure rewrote the body
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class JournalArchiveScrub(SQLModel, table=True):
    """A customer erased whose archived events are still to be blanked (``journal_archive``)."""

    __tablename__ = "journal_archive_scrub"

    customer_id: str = Field(primary_key=True)
    asked_at: NaiveDatetime
