"""Upgrading a database made by the first release loses nothing.

The database is built at the FIRST revision, filled through raw SQL that matches that schema,
then each later revision in :data:`STEPS` is applied in turn and gets its own rows; finally the
till opens it (which upgrades to every head, as a shop's till does on start) and every step's
assertions run. Every future migration adds one :class:`Step` here: its revision, a filler for
the tables it adds, and what must be true afterwards.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command

from terminal.app.customers import Customers
from terminal.app.integrity import Integrity
from terminal.app.till import Till, open_till
from terminal.core.program import DEFAULT_PROGRAM
from terminal.db import migrate
from terminal.db.engine import make_engine

SHOP_ID = "0190a0a0-0000-7000-8000-00000000shop"
TILL_ID = "0190a0a0-0000-7000-8000-00000000till"
T0 = datetime(2025, 6, 1, 10, 0)


@dataclass(frozen=True)
class Step:
    revision: str
    fill: Callable[[sqlite3.Connection], None]
    verify: Callable[[Till], None]


def _ts(minutes: int) -> str:
    return T0.replace(minute=minutes % 60, hour=10 + minutes // 60).isoformat(sep=" ")


class _Journal:
    """Gap-free journal events for the rows the filler writes (``check`` wants seq 1..n)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.seq = 0

    def event(self, kind: str, minutes: int) -> None:
        self.seq += 1
        self.db.execute(
            "INSERT INTO journal_event (id, terminal_id, seq, created_at, type, payload, "
            "schema_version, applied_at) VALUES (?, ?, ?, ?, ?, '{\"rows\":{}}', 1, NULL)",
            (f"ev-{self.seq:04d}", TILL_ID, self.seq, _ts(minutes), kind),
        )


def fill_0001(db: sqlite3.Connection) -> None:
    """Three customers, each: welcome bonus, a sale, a sale paid partly with points, a refund."""
    db.execute("INSERT INTO terminal VALUES (?, 1, 'Till 1', 1, 4, ?)", (TILL_ID, _ts(0)))
    for key, value in (
        ("shop_id", f'"{SHOP_ID}"'),
        ("shop_name", '"Kvitka"'),
        ("currency", '"UAH"'),
    ):
        db.execute("INSERT INTO shop_setting VALUES (?, ?, ?)", (key, value, _ts(0)))
    db.execute(
        "INSERT INTO program_version VALUES (1, ?, ?, 'system', 'Default program')",
        (json.dumps(DEFAULT_PROGRAM.to_dict()), _ts(0)),
    )
    db.execute(
        "INSERT INTO staff VALUES ('staff-1', 'Olena', 'owner', 'x', 0, NULL, 1, ?)", (_ts(0),)
    )
    journal = _Journal(db)
    for i in range(1, 4):
        c, m = f"cust-{i}", i * 10
        db.execute(
            "INSERT INTO customer VALUES "
            "(?, ?, ?, ?, ?, ?, 1, ?, NULL, ?, ?, NULL, 595, 12900, 2, ?)",
            (
                c,
                f"Customer {i}",
                f"customer {i}",
                f"+38050000000{i}",
                f"c{i}@example.com",
                f"199{i}-04-0{i}",
                _ts(m),
                _ts(m),
                TILL_ID,
                _ts(m + 5),
            ),
        )
        db.execute(
            "INSERT INTO card VALUES (?, ?, 'active', ?, ?, '', ?, NULL)",
            (f"20100000000{i}", c, _ts(m), _ts(m), TILL_ID),
        )
        lots = {"w": 50, "e1": 300, "e2": 245}  # remaining after the movements below
        for lot, points in (("w", 50), ("e1", 500), ("e2", 245)):
            db.execute(
                "INSERT INTO points_lot VALUES (?, ?, ?, ?, ?, ?)",
                (f"{c}-{lot}", c, points, lots[lot], _ts(m), "2026-06-01 00:00:00"),
            )
        db.execute(
            "INSERT INTO purchase VALUES (?, ?, ?, 10000, 0, 0, 0, 10000, 500, 0, 1, "
            "'Base', '', NULL, 'staff-1', ?, ?, 2000, 550, 'Base')",
            (f"{c}-s1", c, f"20100000000{i}", TILL_ID, _ts(m + 1)),
        )
        db.execute(
            "INSERT INTO purchase VALUES (?, ?, ?, 5000, 0, 100, 100, 4900, 245, 0, 1, "
            "'Base', '', 'bakery', 'staff-1', ?, ?, 0, 695, 'Base')",
            (f"{c}-s2", c, f"20100000000{i}", TILL_ID, _ts(m + 2)),
        )
        db.execute(
            "INSERT INTO refund VALUES (?, ?, 2000, 2000, 0, 100, 0, 'staff-1', ?, ?)",
            (f"{c}-r1", f"{c}-s1", TILL_ID, _ts(m + 3)),
        )
        entries = [
            ("welcome", 50, None, None, f"{c}-w", m),
            ("earn", 500, f"{c}-s1", None, f"{c}-e1", m + 1),
            ("redeem", -100, f"{c}-s2", None, None, m + 2),
            ("earn", 245, f"{c}-s2", None, f"{c}-e2", m + 2),
            ("refund_reversal", -100, f"{c}-s1", f"{c}-r1", None, m + 3),
        ]
        for n, (kind, points, purchase, refund, lot, at) in enumerate(entries):
            entry = f"{c}-l{n}"
            db.execute(
                "INSERT INTO ledger_entry VALUES (?, ?, ?, ?, ?, ?, ?, '', NULL, 1, ?, NULL, ?)",
                (entry, c, kind, points, purchase, refund, lot, TILL_ID, _ts(at)),
            )
            if points < 0:
                db.execute(
                    "INSERT INTO lot_movement (entry_id, lot_id, points) VALUES (?, ?, ?)",
                    (entry, f"{c}-e1", points),
                )
        for kind, at in (
            ("customer.registered", m),
            ("sale.committed", m + 1),
            ("sale.committed", m + 2),
            ("refund.committed", m + 3),
        ):
            journal.event(kind, at)
        db.execute(
            "INSERT INTO nps_response VALUES (?, ?, ?, 9, ?)",
            (f"{c}-nps", c, f"{c}-s1", _ts(m + 1)),
        )
    db.execute(
        "INSERT INTO feedback VALUES ('fb-1', 'cust-1', 'praise', 'Lovely bread', "
        "'open', '', ?, NULL, 'staff-1')",
        (_ts(50),),
    )
    db.execute(
        "INSERT INTO audit_log (at, actor, action, details) VALUES (?, 'staff-1', "
        "'program.changed', '{}')",
        (_ts(51),),
    )


def verify_0001(till: Till) -> None:
    customers = Customers(till)
    for i in range(1, 4):
        view = customers.find(f"+38050000000{i}")
        assert view.balance == 595
    with till.read_driver() as db:
        assert db.execute("SELECT SUM(balance), SUM(lifetime_paid) FROM customer").fetchone() == (
            3 * 595,
            3 * 12900,
        )
        assert db.execute("SELECT SUM(remaining) FROM points_lot").fetchone() == (3 * 595,)


def fill_a_safety(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO consent_change VALUES ('cc-1', 'cust-2', 0, ?, 'staff-1', 'counter')",
        (_ts(55),),
    )


def verify_a_safety(till: Till) -> None:
    with till.read_driver() as db:
        assert db.execute("SELECT customer_id, consent FROM consent_change").fetchall() == [
            ("cust-2", 0)
        ]


def fill_a_sync(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO sync_state (key, value) VALUES ('hlc', '0000000001:0000')")
    db.execute(
        "INSERT INTO sync_conflict (id, kind, customer_id, subject, details, created_at, "
        "resolved_at) VALUES ('sc-1', 'points_spent_twice', 'cust-1', 'cust-1', '{}', ?, NULL)",
        (_ts(56),),
    )


def verify_a_sync(till: Till) -> None:
    with till.read_driver() as db:
        assert db.execute("SELECT value FROM sync_state WHERE key = 'hlc'").fetchone() == (
            "0000000001:0000",
        )
        assert db.execute("SELECT kind FROM sync_conflict").fetchall() == [("points_spent_twice",)]


def fill_a_reports(db: sqlite3.Connection) -> None:
    """Indexes only: the rows filled so far must still read the same through them."""


def verify_a_reports(till: Till) -> None:
    with till.read_driver() as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {
            "ix_purchase_time_customer_amount",
            "ix_ledger_time_kind_points",
            "ix_customer_created",
        } <= names
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def fill_a_aggregates(db: sqlite3.Connection) -> None:
    """Tables, triggers and a backfill only: the sales filled so far must be counted."""


def verify_a_aggregates(till: Till) -> None:
    from terminal.app.reports import period_figures
    from terminal.core.kpis import Period

    with till.read_driver() as db:
        (sales,) = db.execute("SELECT COUNT(*) FROM purchase").fetchone()
        (counted,) = db.execute("SELECT SUM(sales) FROM report_day").fetchone()
        assert counted == sales == 6
        figures = period_figures(db, Period(T0.date(), T0.date()))
        assert figures.avg_check_first is not None
    problems = Integrity(till).check().problems
    assert [line for line in problems if line.startswith("report figures")] == []


def fill_a_lean_indexes(db: sqlite3.Connection) -> None:
    """Indexes only: dropped where a longer index serves the same queries."""


def verify_a_lean_indexes(till: Till) -> None:
    with till.read_driver() as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert not names & {
            "ix_purchase_customer_time",
            "ix_purchase_time",
            "ix_journal_event_terminal_id",
        }
        assert {"ix_purchase_member_order", "ix_purchase_time_customer_amount"} <= names
        # a customer's visits, a period's sales and a till's events are each one index search
        for query, index in (
            (
                "SELECT * FROM purchase WHERE customer_id = 'x' ORDER BY created_at DESC LIMIT 5",
                "ix_purchase_member_order (customer_id=?)",
            ),
            (
                "SELECT COUNT(*), SUM(amount) FROM purchase WHERE created_at >= '2025-06-01'",
                "ix_purchase_time_customer_amount (created_at>?)",
            ),
            (
                "SELECT MAX(seq) FROM journal_event WHERE terminal_id = 'x'",
                "sqlite_autoindex_journal_event_2 (terminal_id=?)",
            ),
        ):
            plan = " ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {query}"))
            assert plan.startswith("SEARCH") and index in plan, (query, plan)
    view = Customers(till).find("+380500000001")  # the counter's last visits, newest first
    assert [line.amount for line in view.purchases] == [5000, 10000]


OTHER_TILL = "0190a0a0-0000-7000-8000-0000000till2"


def fill_a_journal_archive(db: sqlite3.Connection) -> None:
    """Another till's events imported before the archive existed: one journal row each."""
    db.execute("INSERT INTO terminal VALUES (?, 2, 'Till 2', 0, 1, ?)", (OTHER_TILL, _ts(57)))
    for seq in (1, 2, 3):
        db.execute(
            "INSERT INTO journal_event (id, terminal_id, seq, created_at, type, payload, "
            "schema_version, applied_at) VALUES (?, ?, ?, ?, 'sale', '{\"rows\":{}}', 1, ?)",
            (f"ev2-{seq}", OTHER_TILL, seq, _ts(57 + seq), _ts(59)),
        )


def verify_a_journal_archive(till: Till) -> None:
    from terminal.db import journal_archive
    from terminal.sync.apply import known_seq
    from terminal.sync.exchange import SyncExchange

    with till.read_driver() as db:
        assert known_seq(db, OTHER_TILL) == 3  # rows imported before the archive still count
    # the next run of that till is archived and carries on from the rows
    events = [
        {
            "id": f"ev2-{seq}",
            "terminal_id": OTHER_TILL,
            "seq": seq,
            "type": "sale",
            "created_at": "2025-06-01T11:05:00",
            "payload": '{"rows":{}}',
            "schema_version": 1,
        }
        for seq in (3, 4, 5)
    ]
    with till.write_driver() as db:
        # the a_sync filler's clock value is a marker, not a stamp (verified above): a real one
        db.execute("UPDATE sync_state SET value = ? WHERE key = 'hlc'", (f"{0:015d}.000000.x",))
        assert SyncExchange(till).apply(db, OTHER_TILL, 2, events, till.now()) == 2
    with till.read_driver() as db:
        assert known_seq(db, OTHER_TILL) == 5
        assert [e["seq"] for e in journal_archive.events(db, OTHER_TILL)] == [4, 5]
    assert SyncExchange(till).status().peers[0]["events"] == 5
    report = Integrity(till).check()
    assert report.ok, report.problems


def fill_a_staff_names(db: sqlite3.Connection) -> None:
    """A cashier of the other till, known here by name only (as a ``staff.named`` brings it)."""
    fill_a_staff_names_clocks(db)
    db.execute(
        "INSERT INTO staff_name (id, name, terminal_id, created_at) "
        "VALUES ('staff-2', 'Taras', ?, ?)",
        (OTHER_TILL, _ts(60)),
    )


def fill_a_staff_names_clocks(db: sqlite3.Connection) -> None:
    """Field clocks a synced till holds: card 201000000001 blocked by the other till, a name."""
    db.executemany(
        "INSERT INTO sync_field_clock (tbl, key, field, hlc, value) VALUES (?, ?, ?, ?, ?)",
        [
            ("card", "201000000001", "status", CARD_BLOCKED_AT, '"blocked"'),
            ("customer", "cust-2", "name", CARD_BLOCKED_AT, '"Customer Two"'),
        ],
    )


CARD_BLOCKED_AT = f"{1_780_000_000_000:015d}.000000.{OTHER_TILL}"


def verify_a_staff_names(till: Till) -> None:
    from terminal.app.desk import Desk
    from terminal.app.staff import StaffRoster, staff_names

    with till.read_driver() as db:
        # the roster already on the till was shared: its name, and one journal event for it
        assert db.execute(
            "SELECT id, name, terminal_id FROM staff_name ORDER BY id"
        ).fetchall() == [
            ("staff-1", "Olena", TILL_ID),
            ("staff-2", "Taras", OTHER_TILL),
        ]
        events = db.execute(
            "SELECT seq, type, payload, schema_version FROM journal_event "
            "WHERE terminal_id = ? AND type = 'staff.named'",
            (TILL_ID,),
        ).fetchall()
        (last,) = db.execute(
            "SELECT MAX(seq) FROM journal_event WHERE terminal_id = ?", (TILL_ID,)
        ).fetchone()
        # the export's question of which schema a range needs reads the small partial index
        plan = " ".join(
            str(row[-1])
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT MAX(schema_version) FROM journal_event "
                "WHERE terminal_id = 'x' AND seq > 0 AND seq <= 9 AND schema_version > 1"
            )
        )
    assert plan.startswith("SEARCH") and "ix_journal_event_newer_schema" in plan, plan
    assert len(events) == 1
    seq, _type, payload, schema = events[0]
    assert (seq, schema) == (last, 2)  # appended after the till's own events, gap-free
    assert json.loads(payload)["rows"]["staff_name"] == [
        {
            "id": "staff-1",
            "name": "Olena",
            "terminal_id": TILL_ID,
            "created_at": "2025-06-01T10:00:00",
        }
    ]
    assert "pin" not in payload
    with till.read() as s:
        assert staff_names(s) == {"staff-1": "Olena", "staff-2": "Taras"}
    assert [sale.cashier for sale in Desk(till).history("cust-1").sales] == ["Olena", "Olena"]
    # a person of another till is a name here, never someone who can sign in
    assert [person.name for person in StaffRoster(till).list()] == ["Olena"]


def fill_a_card_status(db: sqlite3.Connection) -> None:
    """A later status change of the same card, kept beside the one the upgrade carried over."""
    db.execute(
        "INSERT INTO sync_card_status (card, hlc, status) VALUES ('201000000001', ?, 'active')",
        (f"{1_780_000_060_000:015d}.000000.{TILL_ID}",),
    )


def verify_a_card_status(till: Till) -> None:
    with till.read_driver() as db:
        # the history starts from the field clock: the card's last status, nothing else
        assert db.execute(
            "SELECT card, hlc, status FROM sync_card_status ORDER BY id"
        ).fetchall() == [
            ("201000000001", CARD_BLOCKED_AT, "blocked"),
            ("201000000001", f"{1_780_000_060_000:015d}.000000.{TILL_ID}", "active"),
        ]


def fill_a_expiry_replay(db: sqlite3.Connection) -> None:
    """Nothing new to fill: the revision adds a trigger on ``ledger_entry``."""


def verify_a_expiry_replay(till: Till) -> None:
    with till.write_driver() as db:
        (entry_id, day, kind) = db.execute(
            "SELECT id, substr(created_at, 1, 10), kind FROM ledger_entry "
            "WHERE points > 0 ORDER BY id LIMIT 1"
        ).fetchone()

        def day_plus() -> int:
            return db.execute(
                "SELECT plus FROM report_points_day WHERE day = ? AND kind = ?", (day, kind)
            ).fetchone()[0]

        before = day_plus()
        # an entry whose points change moves the day's total with it (sync's expiry replay)
        db.execute("UPDATE ledger_entry SET points = points - 1 WHERE id = ?", (entry_id,))
        after = day_plus()
        db.execute("UPDATE ledger_entry SET points = points + 1 WHERE id = ?", (entry_id,))
    assert after == before - 1


STEPS: list[Step] = [
    Step("0001", fill_0001, verify_0001),
    Step("a_safety", fill_a_safety, verify_a_safety),
    Step("a_sync", fill_a_sync, verify_a_sync),
    Step("a_reports", fill_a_reports, verify_a_reports),
    Step("a_aggregates", fill_a_aggregates, verify_a_aggregates),
    Step("a_lean_indexes", fill_a_lean_indexes, verify_a_lean_indexes),
    Step("a_journal_archive", fill_a_journal_archive, verify_a_journal_archive),
    Step("a_staff_names", fill_a_staff_names, verify_a_staff_names),
    Step("a_card_status", fill_a_card_status, verify_a_card_status),
    Step("a_expiry_replay", fill_a_expiry_replay, verify_a_expiry_replay),
    # Every new migration adds its Step here (revision, filler of its tables, assertions).
]


def _upgrade_to(path: Path, revision: str) -> None:
    engine = make_engine(path)
    try:
        config = migrate.alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def _fill(path: Path, filler: Callable[[sqlite3.Connection], None]) -> None:
    db = sqlite3.connect(str(path))
    try:
        with db:
            filler(db)
    finally:
        db.close()


def _counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(str(path))
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version'"
            )
        ]
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        db.close()


def test_every_step_is_a_known_revision_and_the_chain_starts_at_the_first() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    bases = script.get_bases()
    assert STEPS[0].revision in bases
    known = {rev.revision for rev in script.walk_revisions()}
    assert {step.revision for step in STEPS} <= known


def test_a_first_release_database_upgrades_to_head_without_losing_anything(
    tmp_path: Path,
) -> None:
    path = tmp_path / "loyalty.db"
    for step in STEPS:
        _upgrade_to(path, step.revision)
        _fill(path, step.fill)
    before = _counts(path)
    assert before["purchase"] == 6 and before["ledger_entry"] == 15
    engine = make_engine(path)
    behind = migrate.current_revisions(engine) != migrate.head_revisions()
    engine.dispose()

    till = open_till(path, clock=lambda: datetime(2026, 3, 2, 10, 0))
    try:
        assert migrate.current_revisions(till.engine) == migrate.head_revisions()
        after = _counts(path)
        assert {t: after[t] for t in before} == before
        # the till made a copy before touching the file (when a later migration had to run)
        assert bool(list((tmp_path / "backups").glob("pre-migration-*.db"))) == behind
        report = Integrity(till).check()
        assert report.ok, report.problems
        for step in STEPS:
            step.verify(till)
    finally:
        till.close()


def test_the_safety_migration_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    path = tmp_path / "loyalty.db"
    _upgrade_to(path, "a_safety")
    _upgrade_to(path, "a_safety")  # applying it again changes nothing
    engine = make_engine(path)
    try:
        config = migrate.alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        assert "consent_change" not in _counts(path)
    finally:
        engine.dispose()
    _upgrade_to(path, "a_safety")
    assert _counts(path)["consent_change"] == 0
