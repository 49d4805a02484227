"""Pre-numbered card stock: reserving a batch of numbers to print, and what is left of it; and
the facts a printed card needs (holder, shop, program), read here so the printing code never
touches the database.

A batch is reserved in ONE transaction with its journal event ("cards.reserved"), so numbers
printed on a sheet are always known to this till (and, through sync, to every other till) as
``stock``: scanning one at registration assigns it (``enrollment.assign_card``), and a number is
never printed twice. The till number inside each number keeps tills from colliding offline.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from terminal.app.journal import ChangeSet, record_event
from terminal.app.settings import get_setting
from terminal.app.till import Till, current_program
from terminal.core.cards import MAX_SERIAL, make_card_number, normalize_card_number
from terminal.core.errors import (
    QT_TRANSLATE_NOOP,
    CardBlocked,
    CardNotFound,
    CardUnavailable,
    InvalidInput,
    NotFound,
)
from terminal.core.program import Program
from terminal.db.models import Card, Customer, Terminal

log = logging.getLogger("cards")

MAX_BATCH = 5000  # 500 sheets: more than any shop orders at once, small enough for one commit
CARD_STATUSES = ("stock", "active", "blocked", "replaced")


@dataclass(frozen=True)
class ReservedBatch:
    batch: str
    numbers: list[str]
    reserved_at: datetime

    @property
    def count(self) -> int:
        return len(self.numbers)


@dataclass(frozen=True)
class BatchSummary:
    batch: str
    reserved_at: datetime
    count: int
    in_stock: int
    first: str
    last: str


@dataclass(frozen=True)
class StockReport:
    """How many cards of each status exist, and the batches printed here, newest first."""

    counts: dict[str, int]
    batches: list[BatchSummary]

    @property
    def in_stock(self) -> int:
        return self.counts.get("stock", 0)


@dataclass(frozen=True)
class ShopPrintFacts:
    """What every card of this shop shows: from the shop settings and the program in force."""

    shop_name: str
    shop_phone: str
    logo_path: str
    program: Program
    currency_code: str


@dataclass(frozen=True)
class PrintableCard:
    number: str
    holder: str  # empty for stock cards, erased customers, or when the name is left off


def _free_numbers(session: Session, terminal_id: str, count: int) -> list[str]:
    """The next ``count`` unused numbers of this till, advancing its serial (same rule as
    ``enrollment.next_card_number``, but one query per chunk instead of one per number)."""
    terminal = session.get(Terminal, terminal_id)
    assert terminal is not None
    numbers: list[str] = []
    serial = terminal.next_card_serial
    while len(numbers) < count:
        need = min(count - len(numbers), 500)
        if serial + need - 1 > MAX_SERIAL:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "This till has used up its card numbers; print from another till."
                )
            )
        candidates = [make_card_number(terminal.number, serial + i) for i in range(need)]
        with session.no_autoflush:
            taken = set(session.exec(select(Card.number).where(col(Card.number).in_(candidates))))
        numbers.extend(n for n in candidates if n not in taken)
        serial += need
    terminal.next_card_serial = serial
    return numbers


def batch_label(now: datetime, first_number: str) -> str:
    """Readable and unique: the day plus the first number (numbers are never reused)."""
    return f"{now:%Y-%m-%d}-{first_number}"


class CardStock:
    def __init__(self, till: Till) -> None:
        self.till = till

    def reserve(self, count: int, *, cashier: str | None = None) -> ReservedBatch:
        """Reserve ``count`` new numbers as unassigned stock, journaled, all or nothing."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Say how many cards to print: a whole number from 1."),
                field="count",
            )
        if count > MAX_BATCH:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "At most {MAX_BATCH} cards can be reserved at once; split the order."
                ),
                field="count",
                MAX_BATCH=MAX_BATCH,
            )
        now = self.till.now()
        with self.till.write() as s:
            changes = ChangeSet(s)
            numbers = _free_numbers(s, self.till.terminal_id, count)
            label = batch_label(now, numbers[0])
            for number in numbers:
                changes.add(
                    Card(
                        number=number,
                        customer_id=None,
                        status="stock",
                        issued_at=now,
                        terminal_id=self.till.terminal_id,
                        batch=label,
                    )
                )
            record_event(
                s,
                self.till.terminal_id,
                "cards.reserved",
                changes.payload(
                    batch=label, count=count, first=numbers[0], last=numbers[-1], cashier=cashier
                ),
                now,
            )
        log.info("reserved %d stock cards in batch %s", count, label)
        return ReservedBatch(label, numbers, now)

    def report(self) -> StockReport:
        with self.till.read() as s:
            rows = s.exec(select(Card.status, func.count()).group_by(Card.status)).all()
            counts = {status: 0 for status in CARD_STATUSES}
            counts.update({status: int(n) for status, n in rows})
            stock_left = func.sum(case((col(Card.status) == "stock", 1), else_=0))
            batch_rows = s.exec(
                select(
                    Card.batch,
                    func.min(Card.issued_at),
                    func.count(),
                    stock_left,
                    func.min(Card.number),
                    func.max(Card.number),
                )
                .where(col(Card.batch).is_not(None))
                .group_by(Card.batch)
                .order_by(func.min(Card.issued_at).desc(), col(Card.batch).desc())
            ).all()
        batches = [
            BatchSummary(str(b), at, int(n), int(left or 0), str(first), str(last))
            for b, at, n, left, first, last in batch_rows
        ]
        return StockReport(counts, batches)

    def batch_numbers(self, batch: str, *, only_stock: bool = False) -> list[str]:
        """The numbers of a batch in order, e.g. to reprint the sheets or resend the CSV."""
        with self.till.read() as s:
            query = select(Card.number).where(Card.batch == batch)
            if only_stock:
                query = query.where(Card.status == "stock")
            numbers = list(s.exec(query.order_by(col(Card.number))).all())
        if not numbers and not only_stock:
            raise NotFound(
                QT_TRANSLATE_NOOP("Errors", "There is no card batch “{batch}”."), batch=batch
            )
        return numbers


def shop_print_facts(till: Till) -> ShopPrintFacts:
    with till.read() as s:
        _version, program = current_program(s)
        return ShopPrintFacts(
            shop_name=str(get_setting(s, "shop_name") or ""),
            shop_phone=str(get_setting(s, "shop_phone") or ""),
            logo_path=str(get_setting(s, "logo_path") or ""),
            program=program,
            currency_code=str(get_setting(s, "currency")),
        )


def printable_card(till: Till, raw_number: str, *, with_name: bool = True) -> PrintableCard:
    """An existing card to (re)print; refuses numbers that are unknown, blocked or replaced,
    since a reprint of those would hand out a card the till turns away."""
    number = normalize_card_number(raw_number)
    with till.read() as s:
        card = s.get(Card, number)
        if card is None:
            raise CardNotFound(
                QT_TRANSLATE_NOOP("Errors", "There is no card {number}."),
                card=number,
                number=number,
            )
        if card.status == "blocked":
            raise CardBlocked(
                QT_TRANSLATE_NOOP("Errors", "Card {number} is blocked; issue a new card instead."),
                card=number,
                number=number,
            )
        if card.status == "replaced":
            raise CardUnavailable(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Card {number} was replaced by another card; print the new one instead.",
                ),
                card=number,
                number=number,
            )
        holder = ""
        if with_name and card.customer_id:
            customer = s.get(Customer, card.customer_id)
            if customer is not None and customer.erased_at is None:
                holder = customer.name
        return PrintableCard(number, holder)


def numbers_csv(numbers: list[str], printed_as: Callable[[str], str] = str) -> str:
    """The CSV a print shop gets: the digits to encode and the digits to print, both as text.

    The ``="..."`` trick is not used: print-shop software reads plain CSV. Spreadsheet users must
    open the column as text (a 13-digit number turns into 2.01E+12); docs/cards.md says so.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["card_number", "printed_as"])
    for number in numbers:
        writer.writerow([number, printed_as(number)])
    return out.getvalue()
