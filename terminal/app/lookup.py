"""Finding the customer behind a scan, a typed card number, a phone or a name."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from terminal.app.settings import get_setting
from terminal.app.till import driver_connection
from terminal.core.cards import (
    BLOCKED_AT_THE_DESK,
    looks_like_card_number,
    normalize_card_number,
)
from terminal.core.errors import (
    ERRORS_CONTEXT,
    QT_TRANSLATE_NOOP,
    CardBlocked,
    CardNotFound,
    CustomerNotFound,
    InvalidCardNumber,
)
from terminal.core.phone import phone_search_key
from terminal.core.sentences import Sentence
from terminal.db.models import Card, Customer


def card_owner(session: Session, raw_number: str) -> tuple[Card, Customer]:
    """The active card and its customer, or an error that says exactly what is wrong."""
    number = normalize_card_number(raw_number)
    card = session.get(Card, number)
    if card is None:
        raise _unknown(number)
    _refuse_unusable(number, card.status, card.status_reason)
    customer = session.get(Customer, card.customer_id) if card.customer_id else None
    if customer is None or customer.erased_at is not None:
        raise CardNotFound(
            QT_TRANSLATE_NOOP("Errors", "Card {number} belongs to no customer."),
            card=number,
            number=number,
        )
    return card, customer


@dataclass(frozen=True)
class CustomerFacts:
    """The customer columns the counter needs, read without the ORM (see ``card_facts``)."""

    id: str
    name: str
    phone: str | None
    email: str | None
    birthday: date | None
    consent: bool
    referrer_id: str | None
    created_at: datetime
    balance: int
    lifetime_paid: int
    visits: int


_FACTS_SQL = (
    "SELECT card.status, card.status_reason, c.id, c.name, c.phone, c.email, c.birthday, "
    "c.consent, c.referrer_id, c.created_at, c.balance, c.lifetime_paid, c.visits, c.erased_at "
    "FROM card LEFT JOIN customer c ON c.id = card.customer_id WHERE card.number = ?"
)


def card_facts(session: Session | sqlite3.Connection, raw_number: str) -> tuple[str, CustomerFacts]:
    """``card_owner`` for the hot path of a scan: one indexed query, the same refusals."""
    number = normalize_card_number(raw_number)
    db = session if isinstance(session, sqlite3.Connection) else driver_connection(session)
    row = db.execute(_FACTS_SQL, (number,)).fetchone()
    if row is None:
        raise _unknown(number)
    _refuse_unusable(number, row[0], row[1])
    if row[2] is None or row[13] is not None:
        raise CardNotFound(
            QT_TRANSLATE_NOOP("Errors", "Card {number} belongs to no customer."),
            card=number,
            number=number,
        )
    return number, CustomerFacts(
        id=row[2],
        name=row[3],
        phone=row[4],
        email=row[5],
        birthday=date.fromisoformat(row[6]) if row[6] else None,
        consent=bool(row[7]),
        referrer_id=row[8],
        created_at=datetime.fromisoformat(row[9]),
        balance=row[10],
        lifetime_paid=row[11],
        visits=row[12],
    )


def _unknown(number: str) -> CardNotFound:
    return CardNotFound(
        QT_TRANSLATE_NOOP(
            "Errors",
            "Card {number} is not known here. Register the customer with it, or check the number.",
        ),
        card=number,
        number=number,
    )


def _refuse_unusable(number: str, status: str, status_reason: str) -> None:
    if status == "stock":
        raise CardNotFound(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Card {number} has not been given to a customer yet. Register a customer with it.",
            ),
            card=number,
            stock=True,
            number=number,
        )
    if status == "blocked":
        reason: object = f" ({status_reason})" if status_reason else ""
        if status_reason == BLOCKED_AT_THE_DESK:
            # The default reason is a stored marker: shown in the reader's language, not as
            # the English words a till wrote.
            reason = Sentence(
                " ({why})", context=ERRORS_CONTEXT, why=Sentence(BLOCKED_AT_THE_DESK, context="Cli")
            )
        raise CardBlocked(
            QT_TRANSLATE_NOOP("Errors", "Card {number} is blocked{reason}."),
            card=number,
            number=number,
            reason=reason,
        )
    if status == "replaced":
        raise CardBlocked(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Card {number} was replaced by a new card; ask the customer for the new one.",
            ),
            card=number,
            replaced=True,
            number=number,
        )


def active_card(session: Session, customer_id: str) -> Card | None:
    return session.exec(
        select(Card)
        .where(Card.customer_id == customer_id, Card.status == "active")
        .order_by(col(Card.issued_at).desc())
    ).first()


def find_customer(session: Session, text: str) -> tuple[Customer, Card | None]:
    """Resolve a card number or a phone number to one customer (CLI ``customer show``)."""
    stripped = (text or "").strip()
    if looks_like_card_number(stripped) or (stripped.isdigit() and len(stripped) == 13):
        card, customer = card_owner(session, stripped)
        return customer, card
    region = get_setting(session, "phone_region")
    phone = phone_search_key(stripped, region)
    if phone is not None:
        customer = session.exec(
            select(Customer).where(Customer.phone == phone, col(Customer.erased_at).is_(None))
        ).first()
        if customer is not None:
            return customer, active_card(session, customer.id)
        raise CustomerNotFound(
            QT_TRANSLATE_NOOP("Errors", "No customer has the phone number {stripped}."),
            phone=phone,
            stripped=stripped,
        )
    if stripped.isdigit():
        # Probably a mistyped card number: let the card rules say what is wrong with it.
        normalize_card_number(stripped)
    raise InvalidCardNumber(
        QT_TRANSLATE_NOOP("Errors", "“{stripped}” is neither a card number nor a phone number."),
        raw=stripped,
        stripped=stripped,
    )


def search_customers(session: Session, text: str, limit: int = 20) -> list[Customer]:
    """Customers matching a card number, phone (whole or last digits) or part of a name."""
    stripped = (text or "").strip()
    if not stripped:
        return []
    results: list[Customer] = []
    if looks_like_card_number(stripped):
        try:
            _card, customer = card_owner(session, stripped)
            return [customer]
        except (CardNotFound, CardBlocked, InvalidCardNumber):
            card = session.get(Card, stripped)
            if card is not None and card.customer_id:
                found = session.get(Customer, card.customer_id)
                return [found] if found is not None else []
            return []
    live = col(Customer.erased_at).is_(None)
    digits = "".join(ch for ch in stripped if ch.isdigit())
    if digits and len(digits) >= 4 and len(digits) >= len(stripped.replace(" ", "")) - 3:
        region = get_setting(session, "phone_region")
        phone = phone_search_key(stripped, region)
        if phone is not None:
            results = list(
                session.exec(select(Customer).where(Customer.phone == phone, live)).all()
            )
        if not results:
            results = list(
                session.exec(
                    select(Customer)
                    .where(col(Customer.phone).like(f"%{digits}"), live)
                    .limit(limit)
                ).all()
            )
        return results
    key = stripped.casefold()
    prefix = session.exec(
        select(Customer)
        .where(col(Customer.name_key) >= key, col(Customer.name_key) < key + "\uffff", live)
        .order_by(col(Customer.name_key))
        .limit(limit)
    ).all()
    results = list(prefix)
    if len(results) < limit:
        seen = {c.id for c in results}
        more = session.exec(
            select(Customer)
            .where(col(Customer.name_key).like(f"% {key}%"), live)
            .order_by(col(Customer.name_key))
            .limit(limit)
        ).all()
        results += [c for c in more if c.id not in seen][: limit - len(results)]
    return results


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()
