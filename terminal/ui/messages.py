"""Domain errors → the sentence a cashier reads, translated, chosen by the error's code.

The app layer's English ``.message`` is the fallback (and what the log records); the codes we
expect at the counter and the desk get their own translatable sentence built from the error's
parameters, so a translator never has to parse English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from terminal.core.cards import CARD_LENGTH, check_digit
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text


def _t(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def message_for(error: LoyaltyError) -> str:
    """One short, plain sentence for an inline message line."""
    p = error.params
    card = str(p.get("card", ""))
    code = error.code
    if code == "card_not_found":
        if p.get("stock"):
            return _t(
                "Card {card} is new and not given to anyone yet. Press F4 to register a "
                "customer with it."
            ).format(card=card)
        if card:
            return _t(
                "Card {card} is not known here. Check the number, or press F4 to register "
                "a customer with it."
            ).format(card=card)
        return _t("No customer has this card.")
    if code == "card_blocked":
        if p.get("replaced"):
            return _t(
                "Card {card} was replaced by a new card. Ask the customer for the new "
                "one, or look them up by phone."
            ).format(card=card)
        return _t(
            "Card {card} is blocked. Do not accept it; the customer can ask at the desk."
        ).format(card=card)
    if code == "invalid_card_number":
        return _card_number_problem(str(p.get("raw", "")))
    if code == "customer_not_found":
        return _t("No customer found. Check the number or try part of the name.")
    if code == "database_busy":
        return _t("The database is busy (another program is writing). Retrying…")
    if code == "storage_error":
        return _t(
            "The sale could not be saved: the disk is full or read-only. Nothing was "
            "charged. Tell the owner; the till keeps working for lookups."
        )
    if code == "quote_outdated":
        return _t(
            "The figures changed since you read them out. Check the new figures and press "
            "Enter again."
        )
    if code == "duplicate_customer":
        return _t("{name} already has this phone number.").format(name=p.get("name", ""))
    return error_text(error)  # the error's own template, translated


def _card_number_problem(raw: str) -> str:
    """Why a scanned or typed number is not a card, in the cashier's words."""
    digits = "".join(raw.split()).replace("-", "")
    if not digits:
        return _t("Scan or type a card number.")
    if not digits.isdigit():
        return _t("The scan was not readable. Scan the card again.")
    if len(digits) != CARD_LENGTH:
        return _t("That is not a card number: it has {n} digits, a card has {card}.").format(
            n=len(digits), card=CARD_LENGTH
        )
    if check_digit(digits[:12]) != digits[12]:
        return _t("Wrong check digit: the card was misread or mistyped. Scan it again.")
    return _t("That is a product barcode, not one of our loyalty cards.")
