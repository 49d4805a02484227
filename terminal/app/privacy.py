"""A customer's rights over their data: see all of it, have it erased, say yes or no to offers.

* **Export** gathers every row we hold about one person (profile, cards, sales, refunds, points
  ledger and lots, feedback, NPS answers, consent history) into one JSON document.
* **Erase** anonymizes the person — name, phone, e-mail, birthday, feedback text, and the same
  fields in this till's journal — while every sale, ledger entry and lot stays, so the shop's
  totals and ``check`` are unchanged. The erasure itself is journaled (other tills apply it) and
  written to the audit log without any personal data.
* **Consent** changes are kept with their time and who recorded them (``consent_change``), and
  audited; the customer row holds only the current answer.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from terminal.app.files import cannot_write, write_text_whole
from terminal.app.journal import ChangeSet, record_event
from terminal.app.lookup import find_customer
from terminal.app.settings import get_setting
from terminal.app.till import Till, driver_connection
from terminal.core.erasure import ERASED_FEEDBACK, ERASED_NAME
from terminal.core.errors import QT_TRANSLATE_NOOP, CustomerNotFound, InvalidInput, LoyaltyError
from terminal.core.ids import new_id
from terminal.db import journal_archive
from terminal.db.models import AuditLog, Customer
from terminal.db.safety_models import ConsentChange

log = logging.getLogger("privacy")

_PERSONAL = {"name": ERASED_NAME, "name_key": "", "phone": None, "email": None, "birthday": None}
# What an erasure sets for good: no later edit from a till that had not heard of it yet may
# set these again (sync/apply.py), whatever the clocks say.
ERASED_FIELDS = frozenset(_PERSONAL) | {"consent"}

# What each part of the export is, in the customer's terms (also the basis of docs/privacy.md).
_EXPLAINED = {
    "customer": QT_TRANSLATE_NOOP(
        "PrivacyPdf",
        "Your profile: name, phone, e-mail and birthday as you gave them, whether you agreed to "
        "offers, and the totals we keep (points balance, amount paid, visits).",
    ),
    "cards": QT_TRANSLATE_NOOP("PrivacyPdf", "Your loyalty card numbers and their status."),
    "purchases": QT_TRANSLATE_NOOP(
        "PrivacyPdf",
        "Every purchase made with your card: amount, discount, points earned and spent.",
    ),
    "refunds": QT_TRANSLATE_NOOP("PrivacyPdf", "Returns of those purchases."),
    "ledger": QT_TRANSLATE_NOOP("PrivacyPdf", "Every change to your points, with its reason."),
    "points_lots": QT_TRANSLATE_NOOP(
        "PrivacyPdf", "Points in groups as they were given, with their expiry dates."
    ),
    "feedback": QT_TRANSLATE_NOOP("PrivacyPdf", "Comments and complaints you left with us."),
    "nps": QT_TRANSLATE_NOOP("PrivacyPdf", "Your answers to 'would you recommend us' (0-10)."),
    "consent_history": QT_TRANSLATE_NOOP(
        "PrivacyPdf", "Each time you agreed to or declined offers, with the date."
    ),
}  # the JSON keeps this English; the PDF shows it in the shop's language

_QUERIES = {
    "cards": "SELECT * FROM card WHERE customer_id = ? ORDER BY issued_at",
    "purchases": "SELECT * FROM purchase WHERE customer_id = ? ORDER BY created_at",
    "refunds": "SELECT r.* FROM refund r JOIN purchase p ON p.id = r.purchase_id "
    "WHERE p.customer_id = ? ORDER BY r.created_at",
    "ledger": "SELECT * FROM ledger_entry WHERE customer_id = ? ORDER BY created_at, id",
    "points_lots": "SELECT * FROM points_lot WHERE customer_id = ? ORDER BY granted_at",
    "feedback": "SELECT * FROM feedback WHERE customer_id = ? ORDER BY created_at",
    "nps": "SELECT * FROM nps_response WHERE customer_id = ? ORDER BY created_at",
    "consent_history": "SELECT consent, at, source FROM consent_change WHERE customer_id = ? "
    "ORDER BY at, rowid",
}


@dataclass(frozen=True)
class ExportResult:
    customer_id: str
    path: Path
    sections: dict[str, int]  # rows per section


@dataclass(frozen=True)
class EraseResult:
    customer_id: str
    erased_at: datetime
    purchases_kept: int
    balance_kept: int
    journal_events_scrubbed: int


@dataclass(frozen=True)
class ConsentResult:
    customer_id: str
    consent: bool
    changed: bool
    at: datetime


def _rows(db: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _live_customer(session: Session, card_or_phone: str) -> Customer:
    customer, _card = find_customer(session, card_or_phone)
    if customer.erased_at is not None:
        raise CustomerNotFound(
            QT_TRANSLATE_NOOP("Errors", "This customer's data was erased."), customer_id=customer.id
        )
    return customer


class Privacy:
    def __init__(self, till: Till) -> None:
        self.till = till

    # ---- export ----------------------------------------------------------------------------

    def collect(self, card_or_phone: str) -> dict[str, Any]:
        """Everything stored about one customer, as plain JSON-ready data."""
        with self.till.read() as s:
            customer = _live_customer(s, card_or_phone)
            db = driver_connection(s)
            data: dict[str, Any] = {
                "exported_at": self.till.now().isoformat(timespec="seconds"),
                "shop": get_setting(s, "shop_name"),
                "currency": get_setting(s, "currency"),
                "explanation": _EXPLAINED,
                "customer": _rows(db, "SELECT * FROM customer WHERE id = ?", customer.id)[0],
            }
            for section, sql in _QUERIES.items():
                data[section] = _rows(db, sql, customer.id)
        return data

    def export(self, card_or_phone: str, out: Path) -> ExportResult:
        """Write the customer's data to ``out``: a PDF when it ends in .pdf, else JSON (UTF-8)."""
        data = self.collect(card_or_phone)
        out = Path(out)
        if out.is_dir():
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "{out} is a folder; give a file name."),
                field="out",
                out=out,
            )
        try:
            if out.suffix.lower() == ".pdf":
                from terminal.app.privacy_pdf import write_pdf  # Qt only when a PDF is wanted

                write_pdf(data, out)
            else:
                text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
                write_text_whole(out, text + "\n")
        except OSError as exc:
            raise cannot_write(exc, out) from exc
        self._audit("customer.exported", data["customer"]["id"])
        sections = {k: len(v) for k, v in data.items() if isinstance(v, list)}
        return ExportResult(data["customer"]["id"], out, sections)

    # ---- erase -----------------------------------------------------------------------------

    def erase(self, card_or_phone: str, actor: str = "") -> EraseResult:
        """Anonymize the customer; sales, ledger and balances stay exactly as they were."""
        now = self.till.now()
        with self.till.write() as s:
            customer = _live_customer(s, card_or_phone)
            changes = ChangeSet(s)
            was_consenting = customer.consent
            for field, value in _PERSONAL.items():
                setattr(customer, field, value)
            customer.consent = False
            customer.erased_at = now
            s.add(customer)
            if was_consenting:
                changes.add(self._consent_row(customer.id, False, now, actor, "erase"))
            changes.update(
                "customer",
                customer.id,
                {**_PERSONAL, "consent": False, "erased_at": now},
            )
            db = driver_connection(s)
            for (feedback_id,) in db.execute(
                "SELECT id FROM feedback WHERE customer_id = ?", (customer.id,)
            ).fetchall():
                changes.update("feedback", feedback_id, {"text": ERASED_FEEDBACK})
            db.execute(
                "UPDATE feedback SET text = ? WHERE customer_id = ?", (ERASED_FEEDBACK, customer.id)
            )
            scrubbed = scrub_journal(db, customer.id, now)
            record_event(
                s,
                self.till.terminal_id,
                "customer.erased",
                changes.payload(customer_id=customer.id),
                now,
            )
            s.add(
                AuditLog(
                    at=now,
                    actor=actor,
                    action="customer.erased",
                    details=json.dumps({"customer_id": customer.id}),
                )
            )
            (purchases,) = db.execute(
                "SELECT COUNT(*) FROM purchase WHERE customer_id = ?", (customer.id,)
            ).fetchone()
            log.info("customer %s erased on request", customer.id)
            balance = customer.balance
        scrubbed += finish_archive_scrubs_if_free(self.till)
        return EraseResult(customer.id, now, purchases, balance, scrubbed)

    # ---- consent ---------------------------------------------------------------------------

    def set_consent(
        self, card_or_phone: str, consent: bool, actor: str = "", source: str = "counter"
    ) -> ConsentResult:
        """Record the customer's yes or no to offers, with the time, in the history."""
        now = self.till.now()
        with self.till.write() as s:
            customer = _live_customer(s, card_or_phone)
            if customer.consent == consent:
                return ConsentResult(customer.id, consent, False, customer.consent_at or now)
            changes = ChangeSet(s)
            customer.consent = consent
            customer.consent_at = now
            s.add(customer)
            changes.add(self._consent_row(customer.id, consent, now, actor, source))
            changes.update("customer", customer.id, {"consent": consent, "consent_at": now})
            record_event(
                s,
                self.till.terminal_id,
                "customer.consent",
                changes.payload(customer_id=customer.id),
                now,
            )
            s.add(
                AuditLog(
                    at=now,
                    actor=actor,
                    action="customer.consent_on" if consent else "customer.consent_off",
                    details=json.dumps({"customer_id": customer.id, "source": source}),
                )
            )
            return ConsentResult(customer.id, consent, True, now)

    def consent_history(self, card_or_phone: str) -> list[tuple[bool, datetime, str]]:
        with self.till.read() as s:
            customer = _live_customer(s, card_or_phone)
            rows = driver_connection(s).execute(_QUERIES["consent_history"], (customer.id,))
            return [(bool(c), datetime.fromisoformat(at), src) for c, at, src in rows]

    @staticmethod
    def _consent_row(
        customer_id: str, consent: bool, now: datetime, actor: str, source: str
    ) -> ConsentChange:
        return ConsentChange(
            id=new_id(),
            customer_id=customer_id,
            consent=consent,
            at=now,
            actor=actor,
            source=source,
        )

    def _audit(self, action: str, customer_id: str) -> None:
        with self.till.write() as s:
            s.add(
                AuditLog(
                    at=self.till.now(),
                    action=action,
                    details=json.dumps({"customer_id": customer_id}),
                )
            )


def scrub_journal(db: sqlite3.Connection, customer_id: str, now: datetime) -> int:
    """Blank the person's fields in journal payloads already written on this till; returns
    how many events changed.

    The journal keeps facts for other tills; a registration event holds the name and phone as
    typed. Those fields are replaced by the erased values (the same ones the erase event sets),
    so replaying the journal gives the same result and no longer reveals the person. Other
    tills' events kept in the archive (``db/journal_archive.py``) are blanked the same way by
    :func:`finish_archive_scrubs` once this transaction is committed: here the person is only
    noted as waiting for it (rewriting a big archive takes seconds the counter should not wait).
    """
    scrubbed = 0
    for event_id, payload in db.execute(
        "SELECT id, payload FROM journal_event WHERE payload LIKE ?", (f"%{customer_id}%",)
    ).fetchall():
        blanked = blanked_payload(payload, [customer_id])
        if blanked is not None:
            db.execute("UPDATE journal_event SET payload = ? WHERE id = ?", (blanked, event_id))
            scrubbed += 1
    journal_archive.ask_scrub(db, customer_id, now)
    journal_archive.ask_folder_scrub(db, customer_id)
    return scrubbed


def blanked_payload(payload: str, customers: list[str]) -> str | None:
    """An event's payload text with these people's personal fields blanked, or None when it
    holds none of them (or only blanks already). Used for this till's journal, the archive and
    the sync server's copy of the journal (``sync/hub.py``)."""
    data = json.loads(payload)
    touched = [_blank_person(data, customer) for customer in customers]
    return _payload_text(data) if any(touched) else None


def erased_in(payload: str) -> list[str]:
    """The customers an event's payload erases (its customer updates that set ``erased_at``)."""
    if '"erased_at"' not in payload:
        return []
    return [
        str(update["key"])
        for update in json.loads(payload).get("updates", [])
        if update.get("table") == "customer" and update.get("fields", {}).get("erased_at")
    ]


# Rounds of planning and writing before giving up for now (each round covers what the archive
# held when it was planned; another round is needed only if news arrived meanwhile).
SCRUB_ROUNDS = 3


def finish_archive_scrubs(till: Till) -> int:
    """Blank the erased customers still waiting in the archive (see :func:`scrub_journal`);
    returns how many archived events changed. The bodies are searched and compressed again
    from a read snapshot, and only put in place inside a short write transaction. Called after
    an erasure and after news arrive; the till's upkeep calls it too, so a request left by a
    program that stopped half-way is finished."""
    changed = 0
    for _round in range(SCRUB_ROUNDS):
        with till.read_driver() as db:
            customers = journal_archive.waiting_scrubs(db)
            if not customers:
                break
            plan = journal_archive.prepare_scrub(db, customers, blanker(customers))
        with till.write_driver() as db:
            count, done = journal_archive.write_scrub(db, plan, till.now())
        changed += count
        if done:
            break
    return changed


def finish_archive_scrubs_if_free(till: Till) -> int:
    """:func:`finish_archive_scrubs` after an erasure or an import has committed: a failure
    here (the file busy, a damaged body) loses nothing — the request stays for the next import
    or the till's upkeep — so it is logged, not raised over the work already done."""
    try:
        return finish_archive_scrubs(till)
    except (LoyaltyError, sqlite3.OperationalError, zlib.error) as exc:
        log.warning("erased customers not yet blanked in the archive (next time): %s", exc)
        return 0


def blanker(customers: list[str]) -> Callable[[dict[str, Any]], bool]:
    """Blank these people in one event (archived, or a line of a bundle in a sync folder);
    for :func:`journal_archive.prepare_scrub` and ``bundle.rewrite_bundle``."""

    def blank(event: dict[str, Any]) -> bool:
        blanked = blanked_payload(event["payload"], customers)
        if blanked is None:
            return False
        event["payload"] = blanked
        return True

    return blank


def _payload_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _blank_person(data: dict[str, Any], customer_id: str) -> bool:
    """Put the erased values in the person's fields of one event's payload; whether any
    changed (an event blanked before is left as it is)."""
    touched = False
    for row in data.get("rows", {}).get("customer", []):
        if row.get("id") == customer_id and any(
            row.get(field, value) != value for field, value in _PERSONAL.items()
        ):
            row.update(_PERSONAL)
            touched = True
    for update in data.get("updates", []):
        if update.get("table") == "customer" and update.get("key") == customer_id:
            fields = update["fields"]
            for field in _PERSONAL.keys() & fields.keys():
                if fields[field] != _PERSONAL[field]:
                    fields[field] = _PERSONAL[field]
                    touched = True
    return touched
