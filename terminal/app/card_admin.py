"""Blocking, unblocking and replacing cards: what the desk and ``loyalty-terminal card`` do.

Points and history belong to the customer, not to a piece of plastic: replacing a lost card
gives the same customer a new number and marks the old one ``replaced``, so the balance, the
tier and every past sale simply follow. Each change is ONE transaction with its journal event
(``card.blocked``, ``card.unblocked``, ``card.replaced``) and an ``audit_log`` row saying who did
it and why, so a card that stops working can always be explained.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from terminal.app.enrollment import assign_card, next_card_number
from terminal.app.journal import ChangeSet, record_event
from terminal.app.till import Till
from terminal.core.cards import BLOCKED_AT_THE_DESK, normalize_card_number
from terminal.core.errors import (
    QT_TRANSLATE_NOOP,
    CardNotFound,
    CardUnavailable,
    CustomerNotFound,
    InvalidInput,
)
from terminal.db.models import AuditLog, Card, Customer

log = logging.getLogger("cards")

MAX_REASON = 200


@dataclass(frozen=True)
class CardStatusChange:
    """A card after blocking or unblocking it."""

    card: str
    status: str
    reason: str
    customer_id: str | None
    customer_name: str | None


@dataclass(frozen=True)
class CardReplacement:
    """The customer's new card; their balance is unchanged by the replacement."""

    old_card: str
    new_card: str
    customer_id: str
    customer_name: str
    balance: int
    issued_new_number: bool  # True: a fresh number (print it), False: a pre-printed card


def _clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text) > MAX_REASON:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "The reason is too long (at most {MAX_REASON} characters)."
            ),
            field="reason",
            MAX_REASON=MAX_REASON,
        )
    return text


def _known_card(session: Session, raw_number: str) -> Card:
    number = normalize_card_number(raw_number)
    card = session.get(Card, number)
    if card is None:
        raise CardNotFound(
            QT_TRANSLATE_NOOP("Errors", "Card {number} is not known here; check the number."),
            card=number,
            number=number,
        )
    return card


def _audit(session: Session, now: datetime, actor: str | None, action: str, **details: Any) -> None:
    session.add(
        AuditLog(
            at=now,
            actor=actor or "",
            action=action,
            details=json.dumps(details, ensure_ascii=False, default=str),
        )
    )


class CardAdmin:
    def __init__(self, till: Till) -> None:
        self.till = till

    def block(
        self, number: str, reason: str | None = None, *, cashier: str | None = None
    ) -> CardStatusChange:
        """Stop a card from being used at any till (lost, stolen, misused); reversible."""
        why = _clean_reason(reason) or BLOCKED_AT_THE_DESK  # a marker, translated when shown
        now = self.till.now()
        with self.till.write() as s:
            card = _known_card(s, number)
            if card.status == "blocked":
                raise CardUnavailable(
                    QT_TRANSLATE_NOOP("Errors", "Card {number} is already blocked."),
                    card=card.number,
                    number=card.number,
                )
            if card.status == "replaced":
                raise CardUnavailable(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Card {number} was already replaced and cannot be used anyway."
                    ),
                    card=card.number,
                    number=card.number,
                )
            previous = card.status
            card.status = "blocked"
            card.status_reason = why
            changes = ChangeSet(s)
            changes.update("card", card.number, {"status": "blocked", "status_reason": why})
            record_event(
                s,
                self.till.terminal_id,
                "card.blocked",
                changes.payload(card=card.number, previous=previous, reason=why, cashier=cashier),
                now,
            )
            _audit(s, now, cashier, "card.blocked", card=card.number, reason=why)
            result = self._change(s, card)
        log.info("card %s blocked", result.card)
        return result

    def unblock(
        self, number: str, reason: str | None = None, *, cashier: str | None = None
    ) -> CardStatusChange:
        """Let a blocked card work again (it was found); a stock card goes back to stock."""
        why = _clean_reason(reason)
        now = self.till.now()
        with self.till.write() as s:
            card = _known_card(s, number)
            if card.status != "blocked":
                raise CardUnavailable(
                    QT_TRANSLATE_NOOP("Errors", "Card {number} is not blocked."),
                    card=card.number,
                    number=card.number,
                )
            status = "active" if card.customer_id else "stock"
            card.status = status
            card.status_reason = ""
            changes = ChangeSet(s)
            changes.update("card", card.number, {"status": status, "status_reason": ""})
            record_event(
                s,
                self.till.terminal_id,
                "card.unblocked",
                changes.payload(card=card.number, reason=why, cashier=cashier),
                now,
            )
            _audit(s, now, cashier, "card.unblocked", card=card.number, reason=why)
            result = self._change(s, card)
        log.info("card %s unblocked", result.card)
        return result

    def replace(
        self,
        old_number: str,
        new_number: str | None = None,
        *,
        reason: str | None = None,
        cashier: str | None = None,
    ) -> CardReplacement:
        """Give the owner of ``old_number`` a new card: a pre-printed one or a fresh number."""
        why = _clean_reason(reason) or "Lost card replaced"
        now = self.till.now()
        with self.till.write() as s:
            old = _known_card(s, old_number)
            if old.customer_id is None:
                raise CardUnavailable(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Card {number} was never given to a customer; nothing to replace."
                    ),
                    card=old.number,
                    number=old.number,
                )
            if old.status == "replaced":
                raise CardUnavailable(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "Card {number} was already replaced; look the customer up by name or "
                        "phone to see their current card.",
                    ),
                    card=old.number,
                    number=old.number,
                )
            customer = s.get(Customer, old.customer_id)
            if customer is None or customer.erased_at is not None:
                raise CustomerNotFound(
                    QT_TRANSLATE_NOOP("Errors", "The customer of card {number} no longer exists."),
                    card=old.number,
                    number=old.number,
                )
            changes = ChangeSet(s)
            if new_number:
                if normalize_card_number(new_number) == old.number:
                    raise CardUnavailable(
                        QT_TRANSLATE_NOOP(
                            "Errors", "The new card must be a different card from the old one."
                        ),
                        card=old.number,
                    )
                new = assign_card(s, changes, customer, new_number, now, self.till.terminal_id)
                issued = False
            else:
                number = next_card_number(s, self.till.terminal_id)
                new = Card(
                    number=number,
                    customer_id=customer.id,
                    status="active",
                    issued_at=now,
                    assigned_at=now,
                    terminal_id=self.till.terminal_id,
                )
                changes.add(new)
                issued = True
            old.status = "replaced"
            old.status_reason = f"{why}: replaced by {new.number}"
            changes.update(
                "card", old.number, {"status": "replaced", "status_reason": old.status_reason}
            )
            record_event(
                s,
                self.till.terminal_id,
                "card.replaced",
                changes.payload(
                    old_card=old.number,
                    new_card=new.number,
                    customer_id=customer.id,
                    reason=why,
                    cashier=cashier,
                ),
                now,
            )
            _audit(
                s,
                now,
                cashier,
                "card.replaced",
                old_card=old.number,
                new_card=new.number,
                customer_id=customer.id,
                reason=why,
            )
            result = CardReplacement(
                old_card=old.number,
                new_card=new.number,
                customer_id=customer.id,
                customer_name=customer.name,
                balance=customer.balance,
                issued_new_number=issued,
            )
        log.info("card %s replaced by %s", result.old_card, result.new_card)
        return result

    @staticmethod
    def _change(session: Session, card: Card) -> CardStatusChange:
        customer = session.get(Customer, card.customer_id) if card.customer_id else None
        return CardStatusChange(
            card=card.number,
            status=card.status,
            reason=card.status_reason,
            customer_id=card.customer_id,
            customer_name=customer.name if customer else None,
        )
