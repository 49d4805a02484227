"""The PostgreSQL hub: one journal for every till of a shop or a chain, on a database server.

Each till pushes its own events (after the hub's highest sequence number for that till) and
pulls every other till's events (after its own cursor for each), then applies them with the
same engine as a bundle, all or nothing. The hub stores events as they are — it is a relay, not a
second copy of the shop's tables — so it never needs migrating when the till's schema grows.
Events carry their HLC stamp, so field edits resolve the same way whichever path they took.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    CursorResult,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from terminal.app.privacy import blanked_payload, erased_in, finish_archive_scrubs_if_free
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, LoyaltyError
from terminal.db import journal_archive
from terminal.db.sync_state import put_state
from terminal.sync.apply import known_seq
from terminal.sync.exchange import (
    SyncExchange,
    events_missing,
    local_events,
    mark_sent,
    note_activity,
    shop_id,
)

log = logging.getLogger("sync")

hub_metadata = MetaData()

hub_event = Table(
    "hub_event",
    hub_metadata,
    Column("id", String, primary_key=True),
    Column("shop_id", String, nullable=False, index=True),
    Column("terminal_id", String, nullable=False),
    Column("terminal_number", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("created_at", String, nullable=False),
    Column("type", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("hlc", String, nullable=False),
    Column("received_at", DateTime, nullable=False, server_default=func.now()),
    UniqueConstraint("shop_id", "terminal_id", "seq", name="uq_hub_event_till_seq"),
)

# Events sent or fetched at a time: a till with years of history moves it in batches this size
# (held in memory one at a time), not all at once.
PUSH_CHUNK = 5_000
PULL_CHUNK = 5_000


class HubUnavailable(LoyaltyError):
    code = "hub_unavailable"


@dataclass(frozen=True)
class HubResult:
    pushed: int
    pulled: int


def hub_engine(url: str) -> Engine:
    """An engine on the hub (``postgresql://`` URLs use psycopg 3), its table made if missing."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    try:
        engine = create_engine(url, pool_pre_ping=True)
        hub_metadata.create_all(engine)
    except SQLAlchemyError as exc:
        raise HubUnavailable(
            QT_TRANSLATE_NOOP(
                "Errors", "Cannot reach the sync server: {reason}. Sales go on; try again later."
            ),
            reason=_plain(exc),
        ) from exc
    return engine


def _plain(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def _blank_on_hub(hub: Connection, shop: str, customers: list[str]) -> None:
    """The server keeps every till's journal for tills yet to pull (or to join): when this till
    sends an erasure, the erased people's fields are blanked in the server's copy too, in the
    same transaction, so a till that pulls later never receives them (replaying the blanked
    events gives the same result: the erasure sets the same blanks)."""
    for customer in customers:
        rows = hub.execute(
            select(hub_event.c.id, hub_event.c.payload).where(
                hub_event.c.shop_id == shop, hub_event.c.payload.contains(customer)
            )
        ).all()
        for event_id, payload in rows:
            blanked = blanked_payload(payload, [customer])
            if blanked is not None:
                hub.execute(
                    update(hub_event).where(hub_event.c.id == event_id).values(payload=blanked)
                )


def _recorded_batches(
    rows: CursorResult[Any], record: journal_archive.EventsBody
) -> Iterator[list[dict[str, Any]]]:
    """The pulled rows as events a batch at a time, each batch added to the archived body as
    it passes (the body is whole before the applier archives it: it asks for the next batch
    until there is none)."""
    for part in rows.mappings().partitions():
        events = [dict(row) for row in part]
        record.add(events)
        yield events
    record.close()


class Hub:
    def __init__(self, till: Till, engine: Engine) -> None:
        self.till = till
        self.engine = engine
        self.shop = shop_id(till)

    def push(self) -> int:
        """Send this till's events the hub does not have yet; returns how many."""
        now = self.till.now()
        try:
            with self.engine.begin() as hub:
                have = hub.execute(
                    select(func.coalesce(func.max(hub_event.c.seq), 0)).where(
                        hub_event.c.shop_id == self.shop,
                        hub_event.c.terminal_id == self.till.terminal_id,
                    )
                ).scalar_one()
                with self.till.write_driver() as db:
                    events = local_events(db, self.till.terminal_id, int(have))
                    pushed, last_seq = 0, 0
                    erased: set[str] = set()  # customers whose erasure is pushed
                    while batch := list(islice(events, PUSH_CHUNK)):
                        hub.execute(
                            insert(hub_event),
                            [
                                {
                                    **event,
                                    "shop_id": self.shop,
                                    "terminal_number": self.till.terminal_number,
                                }
                                for event in batch
                            ],
                        )
                        erased.update(c for event in batch for c in erased_in(event["payload"]))
                        pushed, last_seq = pushed + len(batch), batch[-1]["seq"]
                    if erased:
                        _blank_on_hub(hub, self.shop, sorted(erased))
                    if pushed:
                        mark_sent(db, last_seq, now, "push", pushed)
        except SQLAlchemyError as exc:
            raise HubUnavailable(
                QT_TRANSLATE_NOOP("Errors", "Pushing to the sync server failed: {reason}."),
                reason=_plain(exc),
            ) from exc
        log.info("pushed %d events to the hub", pushed)
        return pushed

    def pull(self) -> int:
        """Fetch and apply every other till's new events; returns how many were applied."""
        now = self.till.now()
        exchange = SyncExchange(self.till)
        applied = 0
        try:
            with self.engine.connect() as hub:
                # each till with the number of its latest event: a till that took a new
                # number (pairing.join_pairing) pushes its later events under it
                latest = (
                    select(hub_event.c.terminal_id, func.max(hub_event.c.seq).label("seq"))
                    .where(
                        hub_event.c.shop_id == self.shop,
                        hub_event.c.terminal_id != self.till.terminal_id,
                    )
                    .group_by(hub_event.c.terminal_id)
                    .subquery()
                )
                tills = hub.execute(
                    select(hub_event.c.terminal_id, hub_event.c.terminal_number)
                    .join(
                        latest,
                        (hub_event.c.terminal_id == latest.c.terminal_id)
                        & (hub_event.c.seq == latest.c.seq),
                    )
                    .where(hub_event.c.shop_id == self.shop)
                    .order_by(hub_event.c.terminal_id)
                ).all()
                with self.till.write_driver() as db:
                    senders: list[int] = []
                    for terminal_id, number in tills:
                        have = known_seq(db, terminal_id)
                        news = (
                            hub_event.c.shop_id == self.shop,
                            hub_event.c.terminal_id == terminal_id,
                            hub_event.c.seq > have,
                        )
                        count, first = hub.execute(
                            select(func.count(), func.min(hub_event.c.seq)).where(*news)
                        ).one()
                        if not count:
                            continue
                        if first > have + 1:
                            raise events_missing(int(number), have)
                        rows = hub.execute(
                            select(
                                hub_event.c.id,
                                hub_event.c.terminal_id,
                                hub_event.c.seq,
                                hub_event.c.created_at,
                                hub_event.c.type,
                                hub_event.c.payload,
                                hub_event.c.schema_version,
                                hub_event.c.hlc,
                            )
                            .where(*news)
                            .order_by(hub_event.c.seq),
                            execution_options={"stream_results": True, "yield_per": PULL_CHUNK},
                        )
                        record = journal_archive.EventsBody()
                        senders.append(int(number))
                        applied += exchange.apply(
                            db,
                            terminal_id,
                            number,
                            _recorded_batches(rows, record),
                            now,
                            size=int(count),
                            record=record.body,
                            source="hub",
                        )
                    put_state(db, "last_pull_at", now.isoformat(timespec="seconds"))
                    if applied:
                        note_activity(
                            db, "last_received", now, "pull", tills=sorted(senders), count=applied
                        )
        except SQLAlchemyError as exc:
            raise HubUnavailable(
                QT_TRANSLATE_NOOP("Errors", "Pulling from the sync server failed: {reason}."),
                reason=_plain(exc),
            ) from exc
        except sqlite3.IntegrityError as exc:
            # news of a till that reached this one by bundle, building on a till not on the hub
            raise HubUnavailable(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The sync server's news build on news of a till that has not pushed to it "
                    "yet (a customer, card or sale made there); nothing was changed. Push from "
                    "that till, or import its bundle here, then pull again.",
                )
            ) from exc
        log.info("pulled and applied %d events from the hub", applied)
        if applied:
            finish_archive_scrubs_if_free(self.till)
        return applied


def sync_with_hub(till: Till, url: str, *, push: bool = True, pull: bool = True) -> HubResult:
    engine = hub_engine(url)
    try:
        hub = Hub(till, engine)
        pushed = hub.push() if push else 0
        pulled = hub.pull() if pull else 0
    finally:
        engine.dispose()
    return HubResult(pushed, pulled)


__all__ = ["Hub", "HubResult", "HubUnavailable", "hub_engine", "sync_with_hub"]
