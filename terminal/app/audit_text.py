"""The owner's audit log in words: "Cashier added: Ivan", not ``staff.added`` and an id.

The log stores an action code and its details (ids, numbers) so it never depends on the words of
the day; here each line becomes a :class:`Sentence` naming the people, customers and cards it is
about, translated when shown (Staff screen). An action this release does not know (written by a
newer one) is shown as its code and details rather than hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from terminal.core.sentences import QT_TRANSLATE_N_NOOP, QT_TRANSLATE_NOOP, Count, Sentence

AUDIT_CONTEXT = "Audit"

Names = Mapping[str, str]  # id -> name (staff or customers)


def _staff(details: Mapping[str, Any], staff: Names) -> str:
    return staff.get(str(details.get("staff_id", "")), str(details.get("name", "")))


def _customer(details: Mapping[str, Any], customers: Names) -> str:
    return customers.get(str(details.get("customer_id", "")), "—")


def _say(template: str, **params: Any) -> Sentence:
    return Sentence(template, context=AUDIT_CONTEXT, **params)


def _sign_out_after(details: Mapping[str, Any]) -> Sentence:
    minutes = int(details.get("minutes") or 0)
    if not minutes:
        return _say(QT_TRANSLATE_NOOP("Audit", "Idle cashiers are no longer signed out"))
    return _say(
        QT_TRANSLATE_NOOP("Audit", "Idle cashiers are signed out after {minutes}"),
        minutes=Count(AUDIT_CONTEXT, QT_TRANSLATE_N_NOOP("Audit", "%n minute(s)"), minutes),
    )


def _staff_added(details: Mapping[str, Any], staff: Names) -> Sentence:
    if details.get("role") == "owner":
        return _say(QT_TRANSLATE_NOOP("Audit", "Owner added: {name}"), name=_staff(details, staff))
    return _say(QT_TRANSLATE_NOOP("Audit", "Cashier added: {name}"), name=_staff(details, staff))


Describe = Callable[[Mapping[str, Any], Names, Names], Sentence]

_DESCRIPTIONS: dict[str, Describe] = {
    "owner.created": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Owner PIN set up for {name}"), name=str(d.get("name", ""))
    ),
    "owner.unlocked": lambda d, s, c: _say(QT_TRANSLATE_NOOP("Audit", "Owner screens unlocked")),
    "till.signed_in": lambda d, s, c: _say(QT_TRANSLATE_NOOP("Audit", "Signed in at the till")),
    "staff.locked": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Sign-in locked for five minutes after wrong PINs")
    ),
    "staff.added": lambda d, s, c: _staff_added(d, s),
    "staff.pin_changed": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "PIN changed for {name}"), name=_staff(d, s)
    ),
    "staff.activated": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Switched on: {name}"), name=_staff(d, s)
    ),
    "staff.deactivated": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Switched off: {name}"), name=_staff(d, s)
    ),
    "staff.sign_out_after": lambda d, s, c: _sign_out_after(d),
    "points.adjusted": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Points adjusted for {customer}: {points} ({reason})"),
        customer=_customer(d, c),
        points=f"{int(d.get('points') or 0):+d}".replace("-", "−"),
        reason=str(d.get("reason", "")),
    ),
    "feedback.resolved": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "A complaint or suggestion marked resolved")
    ),
    "card.blocked": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Card {card} blocked ({reason})"),
        card=str(d.get("card", "")),
        reason=str(d.get("reason", "")),
    ),
    "card.unblocked": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Card {card} unblocked ({reason})"),
        card=str(d.get("card", "")),
        reason=str(d.get("reason", "")),
    ),
    "card.replaced": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Card {old} replaced by {new} for {customer}"),
        old=str(d.get("old_card", "")),
        new=str(d.get("new_card", "")),
        customer=_customer(d, c),
    ),
    "customer.exported": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Customer data exported: {customer}"), customer=_customer(d, c)
    ),
    "customer.erased": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "A customer's personal data erased")
    ),
    "customer.consent_on": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Consent to messages given: {customer}"),
        customer=_customer(d, c),
    ),
    "customer.consent_off": lambda d, s, c: _say(
        QT_TRANSLATE_NOOP("Audit", "Consent to messages withdrawn: {customer}"),
        customer=_customer(d, c),
    ),
    "program.saved": lambda d, s, c: _say(QT_TRANSLATE_NOOP("Audit", "Loyalty program changed")),
}


def describe(action: str, details: Mapping[str, Any], staff: Names, customers: Names) -> Sentence:
    """One audit line in words; ``staff`` and ``customers`` map ids to today's names."""
    known = _DESCRIPTIONS.get(action)
    if known is not None:
        return known(details, staff, customers)
    facts = ", ".join(f"{key}: {value}" for key, value in details.items())
    return _say(QT_TRANSLATE_NOOP("Audit", "{action} {facts}"), action=action, facts=facts)
