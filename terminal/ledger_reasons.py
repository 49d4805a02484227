"""The reason beside a points entry, in the till's language.

Ledger rows keep the reason as English text written when the points moved ("Birthday bonus",
"Referred Olena", "expired 2026-03-31"), and they travel to other tills that way, so the rows
themselves stay as they are. The desk and the customer-data PDF translate the reasons the
program writes by itself — the
fixed ones and the few fixed shapes with a name, a day or a file in them, and the rates an earn
entry was written with ("2.5 % discount Silver + 7.5 % Silver") — when it shows them; whatever a
person typed (an owner's adjustment, say) is shown as typed.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QCoreApplication

from terminal.core.checkout import explanation_from_text
from terminal.i18n_text import locale_date, sentence_text


def _t(text: str) -> str:
    return QCoreApplication.translate("LedgerReasons", text)


FIXED_REASONS = {
    "Welcome bonus": "Welcome bonus",
    "Birthday bonus": "Birthday bonus",
    "Referral bonus (first purchase)": "Referral bonus (first purchase)",
    "Visit milestone bonus": "Visit milestone bonus",
}

# what a points entry is, by its ledger kind (the desk's history and the customer-data PDF)
LEDGER_KINDS = {
    "earn": "Earned on a purchase",
    "redeem": "Spent on a purchase",
    "welcome": "Welcome bonus",
    "birthday": "Birthday bonus",
    "referral": "Referral bonus",
    "milestone": "Milestone bonus",
    "expire": "Expired",
    "refund_return": "Given back by a refund",
    "refund_reversal": "Taken back by a refund",
    "bonus_reversal": "Bonus taken back by a refund",
    "adjustment": "Manual adjustment",
    "opening_balance": "Opening balance",
}

BONUS_NAMES = {
    "welcome": "Welcome bonus",
    "birthday": "Birthday bonus",
    "referral": "Referral bonus",
    "milestone": "Visit milestone bonus",
}

_REFERRED = re.compile(r"^Referred (?P<name>.+)$")
_EXPIRED = re.compile(r"^expired (?P<day>\d{4}-\d{2}-\d{2})$")
_TAKEN_BACK = re.compile(r"^(?P<kind>\w+) bonus taken back: sale refunded in full$")
_OPENING = re.compile(r"^Opening balance imported from (?P<file>.+)$")


def reason_text(reason: str, kind: str | None = None) -> str:
    """``reason`` in the interface language when the program wrote it, else as stored.

    An ``earn`` entry's reason is the sale's explanation, read back with the checkout's own
    words; only for that kind, so a typed "3 % discount promised" stays as typed.
    """
    if kind == "earn":
        return sentence_text(explanation_from_text(reason))
    if reason in FIXED_REASONS:
        return _t(FIXED_REASONS[reason])
    if match := _REFERRED.match(reason):
        return _t("Referred {name}").format(name=match["name"])
    if match := _EXPIRED.match(reason):
        return _t("Expired on {day}").format(day=locale_date(date.fromisoformat(match["day"])))
    if match := _TAKEN_BACK.match(reason):
        kind = match["kind"]
        bonus = _t(BONUS_NAMES[kind]) if kind in BONUS_NAMES else kind
        return _t("{bonus} taken back: the sale was refunded in full").format(bonus=bonus)
    if match := _OPENING.match(reason):
        return _t("Opening balance imported from {file}").format(file=match["file"])
    return reason


def kind_text(kind: str) -> str:
    """What a points entry of ``kind`` is, in the interface language (unknown kinds as stored)."""
    return _t(LEDGER_KINDS.get(kind, kind))
