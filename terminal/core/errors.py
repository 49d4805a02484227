"""Typed domain errors.

Each error carries a stable ``code``, an English message *template* and its parameters, so that
the UI and the CLI can show the message translated (``terminal.i18n_text.error_text``) and pick an
exit code without parsing text. Core imports no Qt: templates are marked for Qt's ``lupdate`` with
the no-op :func:`QT_TRANSLATE_NOOP` below (lupdate recognises the name in the source text), in the
``Errors`` context, and formatted with ``str.format`` named fields (``{balance}``), which
translators can reorder.
"""

from __future__ import annotations

from typing import Any

ERRORS_CONTEXT = "Errors"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` without translating it here (core has no Qt)."""
    return text


def format_template(template: str, params: dict[str, Any]) -> str:
    """``template`` with its named fields filled; the template as-is if a field is missing."""
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


class LoyaltyError(Exception):
    """Base of every error a cashier or owner can cause and should be told about in plain words.

    ``template`` is the English text with ``{name}`` fields (marked with QT_TRANSLATE_NOOP at the
    raise site), ``params`` fill them, ``message`` is the formatted English sentence (logs, JSON).
    """

    code = "error"

    def __init__(self, template: str, **params: Any) -> None:
        message = format_template(template, params)
        super().__init__(message)
        self.template = template
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message


class InvalidInput(LoyaltyError):
    """Something typed or scanned cannot be understood (text in an amount, a bad date...)."""

    code = "invalid_input"


class InvalidAmount(InvalidInput):
    code = "invalid_amount"


class InvalidCardNumber(InvalidInput):
    """A scan or typed number is not one of our card numbers (length, check digit, range)."""

    code = "invalid_card_number"


class InvalidPhone(InvalidInput):
    code = "invalid_phone"


class NotFound(LoyaltyError):
    code = "not_found"


class CardNotFound(NotFound):
    code = "card_not_found"


class CustomerNotFound(NotFound):
    code = "customer_not_found"


class SaleNotFound(NotFound):
    code = "sale_not_found"


class CardBlocked(LoyaltyError):
    code = "card_blocked"


class CardUnavailable(LoyaltyError):
    """A card number exists but cannot be given to this customer (already assigned, replaced)."""

    code = "card_unavailable"


class DuplicateCustomer(LoyaltyError):
    """Registration would create a second customer with a phone we already know."""

    code = "duplicate_customer"


class RedemptionRefused(LoyaltyError):
    """Redeeming the requested points breaks a rule (over balance, over cap, under minimum)."""

    code = "redemption_refused"


class InsufficientPoints(RedemptionRefused):
    code = "insufficient_points"


class RefundRefused(LoyaltyError):
    code = "refund_refused"


class ConflictingSaleId(LoyaltyError):
    """A sale id was reused for a different sale: a bug or tampering, never silently accepted."""

    code = "conflicting_sale_id"


class QuoteOutdated(LoyaltyError):
    """The customer's state changed between the quote the cashier read out and the commit."""

    code = "quote_outdated"


class DatabaseBusy(LoyaltyError):
    code = "database_busy"


class StorageError(LoyaltyError):
    """The database could not be written (disk full, read-only medium)."""

    code = "storage_error"
