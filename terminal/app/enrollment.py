"""Registering a customer and handing them a card, in one transaction with the welcome bonus."""

from __future__ import annotations

from sqlmodel import Session, col, select

from terminal.app.journal import ChangeSet, record_event, row_dict
from terminal.app.ledger import Ledger
from terminal.app.lookup import card_owner, name_key
from terminal.app.results import EnrollResult
from terminal.app.settings import get_setting
from terminal.app.till import Till, current_program
from terminal.core.cards import make_card_number, normalize_card_number
from terminal.core.customer_form import CustomerForm, clean
from terminal.core.errors import (
    QT_TRANSLATE_NOOP,
    CardNotFound,
    CardUnavailable,
    DuplicateCustomer,
    InvalidInput,
)
from terminal.core.ids import new_id
from terminal.db.models import Card, Customer, Terminal


def next_card_number(session: Session, terminal_id: str) -> str:
    """Reserve this till's next unused number; the till number inside makes it unique offline."""
    terminal = session.get(Terminal, terminal_id)
    assert terminal is not None
    while True:
        number = make_card_number(terminal.number, terminal.next_card_serial)
        terminal.next_card_serial += 1
        if session.get(Card, number) is None:
            return number


def customer_with_phone(session: Session, phone: str) -> Customer | None:
    return session.exec(
        select(Customer).where(Customer.phone == phone, col(Customer.erased_at).is_(None))
    ).first()


class Enrollment:
    def __init__(self, till: Till) -> None:
        self.till = till

    def register(
        self,
        form: CustomerForm,
        *,
        card_number: str | None = None,
        referrer_card: str | None = None,
        cashier: str | None = None,
    ) -> EnrollResult:
        now = self.till.now()
        with self.till.write() as s:
            region = get_setting(s, "phone_region")
            data = clean(form, now.date(), region)
            if data.phone:
                existing = customer_with_phone(s, data.phone)
                if existing is not None:
                    raise DuplicateCustomer(
                        QT_TRANSLATE_NOOP("Errors", "{name} already has the phone number {phone}."),
                        customer_id=existing.id,
                        name=existing.name,
                        phone=data.phone,
                    )
            referrer_id = None
            if referrer_card:
                try:
                    _ref_card, referrer = card_owner(s, referrer_card)
                except InvalidInput as exc:
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "Referrer's card: {exc}"),
                        field="referrer",
                        exc=exc,
                    ) from exc
                except CardNotFound as exc:
                    # Not the lookup's "register the customer with it": this card is someone
                    # else's, the person who sent the new customer.
                    raise CardNotFound(
                        QT_TRANSLATE_NOOP(
                            "Errors", "The referrer's card {number} is not known here; check it."
                        ),
                        field="referrer",
                        card=exc.params.get("card", referrer_card),
                        number=exc.params.get("number", referrer_card),
                    ) from exc
                referrer_id = referrer.id
            changes = ChangeSet(s)
            customer = Customer(
                id=new_id(),
                name=data.name,
                name_key=name_key(data.name),
                phone=data.phone,
                email=data.email,
                birthday=data.birthday,
                consent=data.consent,
                consent_at=now if data.consent else None,
                referrer_id=referrer_id,
                created_at=now,
                created_terminal_id=self.till.terminal_id,
            )
            changes.add(customer)
            card = self._card_for(s, changes, customer, card_number, now)
            version, program = current_program(s)
            ledger = Ledger(changes, customer, now, self.till.terminal_id, cashier)
            ledger.grant(
                "welcome",
                program.welcome_points,
                expiry_days=program.expiry_days,
                program_version=version,
                reason="Welcome bonus",
            )
            record_event(
                s,
                self.till.terminal_id,
                "customer.registered",
                changes.payload(card=card.number),
                now,
            )
            return EnrollResult(
                customer_id=customer.id,
                name=customer.name,
                card=card.number,
                balance=customer.balance,
                welcome_points=program.welcome_points,
            )

    def _card_for(
        self,
        session: Session,
        changes: ChangeSet,
        customer: Customer,
        card_number: str | None,
        now: object,
    ) -> Card:
        if not card_number:
            number = next_card_number(session, self.till.terminal_id)
            card = Card(
                number=number,
                customer_id=customer.id,
                status="active",
                issued_at=now,  # type: ignore[arg-type]
                assigned_at=now,  # type: ignore[arg-type]
                terminal_id=self.till.terminal_id,
            )
            changes.add(card)
            return card
        return assign_card(session, changes, customer, card_number, now, self.till.terminal_id)


def assign_card(
    session: Session,
    changes: ChangeSet,
    customer: Customer,
    raw_number: str,
    now: object,
    terminal_id: str,
) -> Card:
    """Give a pre-printed (stock) or new number to a customer; never a card someone else holds."""
    number = normalize_card_number(raw_number)
    card = session.get(Card, number)
    if card is None:
        card = Card(
            number=number,
            customer_id=customer.id,
            status="active",
            issued_at=now,  # type: ignore[arg-type]
            assigned_at=now,  # type: ignore[arg-type]
            terminal_id=terminal_id,
        )
        changes.add(card)
        return card
    if card.status != "stock" or card.customer_id is not None:
        raise CardUnavailable(
            QT_TRANSLATE_NOOP(
                "Errors", "Card {number} already belongs to a customer; give them another card."
            ),
            card=number,
            number=number,
        )
    card.customer_id = customer.id
    card.status = "active"
    card.assigned_at = now  # type: ignore[assignment]
    changes.update(
        "card",
        number,
        {"customer_id": customer.id, "status": "active", "assigned_at": now},
    )
    return card


__all__ = ["Enrollment", "assign_card", "next_card_number", "row_dict"]
