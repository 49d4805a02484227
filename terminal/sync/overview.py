"""Everything the Settings → Sync screen shows, read in one go: this till and its shop, when
news last left and arrived, the other tills known here and how far this till has their news,
the conflicts with the customers' names, the preferences and the last folder round."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from terminal.app.settings import get_setting
from terminal.app.till import Till
from terminal.db.sync_state import state
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange, last_activity
from terminal.sync.folder import FolderRound, FolderSync
from terminal.sync.pairing import join_refusal, number_twice
from terminal.sync.preferences import SyncPreferences, SyncSettings


@dataclass(frozen=True)
class Activity:
    """The last time events left this till or arrived at it."""

    at: datetime
    how: str  # export | push | import | pull | "" (recorded by an older version)
    tills: tuple[int, ...]  # the tills whose events arrived (for arrivals)
    count: int


@dataclass(frozen=True)
class PeerTill:
    number: int
    events: int  # this till holds that till's events up to this number (its cursor)


@dataclass(frozen=True)
class ConflictView:
    kind: str  # see sync_models.SyncConflict.kind
    noticed_at: datetime
    customers: tuple[str, ...]  # names; "" for a customer this till has not got
    card: str
    # points, read now (0 once made good): what the customer's lots together are below zero
    # (points_overspent), or what their lots hold beyond the balance (points_debt_unsettled);
    # either is what the next points given to the customer pay first (app/ledger.py)
    overspent: int
    sale_amount: int = 0  # minor units: the check, for sale_refunded_twice
    refunded_over: int = 0  # minor units refunded beyond the check, for sale_refunded_twice
    conflict_id: str = ""  # what SyncExchange.settle_conflict takes
    till_number: int = 0  # for till_number_twice: the number two tills both use


@dataclass(frozen=True)
class SyncOverview:
    shop_name: str
    till_number: int
    local_events: int
    waiting: int
    join_refused: BundleRefused | None  # why this till may not join a shop; None: it may
    number_twice: bool  # another till has this till's number: it may take a new one (a file)
    last_sent: Activity | None
    last_received: Activity | None
    peers: tuple[PeerTill, ...]
    paired: tuple[int, ...]  # till numbers this till made pairing files for
    conflicts: tuple[ConflictView, ...]
    preferences: SyncPreferences
    last_folder_round: FolderRound | None

    @property
    def can_join(self) -> bool:
        """A new, empty till: it may join a shop from a pairing file."""
        return self.join_refused is None


# The points figure of each points flag, read now for the customers flagged (``{marks}``): what
# the next points given to the customer pay first (app/ledger.py).
_POINTS_NOW = {
    # what the customer's lots together are below zero: the lots below zero are short, less
    # what their other lots still hold (the next points given move those in first)
    "points_overspent": "SELECT customer_id, MAX(0, -SUM(remaining)) FROM points_lot "
    "WHERE customer_id IN ({marks}) GROUP BY customer_id",
    # what the lots hold beyond the balance
    "points_debt_unsettled": "SELECT c.id, MAX(0, COALESCE((SELECT SUM(l.remaining) "
    "FROM points_lot l WHERE l.customer_id = c.id), 0) - c.balance) "
    "FROM customer c WHERE c.id IN ({marks})",
}


def _activity(record: dict[str, Any] | None, fallback: str | None) -> Activity | None:
    if record:
        return Activity(
            datetime.fromisoformat(record["at"]),
            str(record.get("how", "")),
            tuple(int(n) for n in record.get("tills", ())),
            int(record.get("count", 0)),
        )
    if fallback:
        return Activity(datetime.fromisoformat(fallback), "", (), 0)
    return None


def sync_overview(till: Till) -> SyncOverview:
    exchange = SyncExchange(till)
    status = exchange.status()
    raw_conflicts = exchange.conflicts()
    with till.read() as s:
        shop_name = str(get_setting(s, "shop_name"))
    wanted: set[str] = set()
    for row in raw_conflicts:
        if row["customer_id"]:
            wanted.add(row["customer_id"])
        wanted.update(row["details"].get("customers", ()))
    with till.read_driver() as db:
        sent = last_activity(db, "last_sent")
        received = last_activity(db, "last_received")
        paired = tuple(sorted(int(n) for n in json.loads(state(db, "paired_numbers") or "[]")))
        join_refused = join_refusal(db, till.terminal_id)
        twice = number_twice(db, till.terminal_id)
        names: dict[str, str] = {}
        if wanted:
            marks = ",".join("?" * len(wanted))
            names = dict(
                db.execute(f"SELECT id, name FROM customer WHERE id IN ({marks})", list(wanted))
            )
        # the sale's figures as they stand now (a third till's refund may have come since)
        sale_rows: dict[str, tuple[str | None, int, int]] = {}
        sales = [r["details"]["sale"] for r in raw_conflicts if r["details"].get("sale")]
        if sales:
            marks = ",".join("?" * len(sales))
            sale_rows = {
                row[0]: (row[1], int(row[2]), int(row[3]))
                for row in db.execute(
                    "SELECT id, card_number, amount, refunded_amount FROM purchase "
                    f"WHERE id IN ({marks})",
                    sales,
                )
            }
        # the points figures as they stand now: the same on every till that has the same news
        # (what a till saw when it raised the flag depends on the order the news came in)
        points_now: dict[tuple[str, str], int] = {}
        for kind, figure in _POINTS_NOW.items():
            flagged = sorted({r["customer_id"] for r in raw_conflicts if r["kind"] == kind})
            if flagged:
                marks = ",".join("?" * len(flagged))
                for customer_id, points in db.execute(figure.format(marks=marks), flagged):
                    points_now[kind, customer_id] = points
    conflicts = []
    for row in raw_conflicts:
        details = row["details"]
        ids = list(details.get("customers", ())) or (
            [row["customer_id"]] if row["customer_id"] else []
        )
        sale_card, sale_amount, refunded = sale_rows.get(details.get("sale", ""), (None, 0, 0))
        card = str(details.get("card") or sale_card or "")
        points = int(points_now.get((row["kind"], row["customer_id"]), 0))
        conflicts.append(
            ConflictView(
                row["kind"],
                datetime.fromisoformat(str(row["created_at"]).replace(" ", "T")),
                tuple(names.get(i, "") for i in ids),
                card,
                points,
                sale_amount,
                max(0, refunded - sale_amount),
                conflict_id=row["id"],
                till_number=int(details.get("number", 0)),
            )
        )
    return SyncOverview(
        shop_name=shop_name,
        till_number=status.terminal_number,
        local_events=status.local_events,
        waiting=status.waiting,
        join_refused=join_refused,
        number_twice=twice,
        last_sent=_activity(sent, status.last_export_at),
        last_received=_activity(received, status.last_import_at),
        peers=tuple(PeerTill(int(p["number"]), int(p["events"])) for p in status.peers),
        paired=paired,
        conflicts=tuple(conflicts),
        preferences=SyncSettings(till).current(),
        last_folder_round=FolderSync(till).last_round(),
    )
