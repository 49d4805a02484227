"""What use cases return: frozen, plain values the UI shows and the CLI prints as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


def to_jsonable(value: Any, money: Any = None) -> Any:
    """Dataclass → JSON-ready dict; ``money`` formats the fields named in ``MONEY_FIELDS``."""
    if hasattr(value, "__dataclass_fields__"):
        value = asdict(value)
    return _convert(value, money)


MONEY_FIELDS = {
    "amount",
    "discount",
    "redeemed_value",
    "to_pay",
    "paid",
    "lifetime_paid",
    "money_returned",
    "to_next_tier",
    "refunded_amount",
}


def _convert(value: Any, money: Any, key: str | None = None) -> Any:
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        value = asdict(value)  # a result nested in a dict (purchases in ``customer show``)
    if isinstance(value, dict):
        return {k: _convert(v, money, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_convert(v, money, key) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if money is not None and key in MONEY_FIELDS and isinstance(value, int):
        return money(value)
    return value


@dataclass(frozen=True)
class ExpiringPoints:
    points: int
    expires_at: datetime


@dataclass(frozen=True)
class VisitLine:
    sale_id: str
    at: datetime
    amount: int
    paid: int
    points_redeemed: int
    points_earned: int
    refunded_amount: int


@dataclass(frozen=True)
class CustomerView:
    """Everything the counter shows after a scan."""

    customer_id: str
    name: str
    phone: str | None
    email: str | None
    birthday: date | None
    consent: bool
    card: str | None
    cards: list[dict[str, str]]
    balance: int
    tier: str
    next_tier: str | None
    to_next_tier: int | None
    lifetime_paid: int
    visits: int
    expiring: list[ExpiringPoints]
    purchases: list[VisitLine]
    birthday_soon: bool
    member_since: datetime
    recognitions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BonusLine:
    kind: str
    points: int


@dataclass(frozen=True)
class SaleResult:
    sale_id: str
    customer_id: str | None
    card: str | None
    amount: int
    discount: int
    points_redeemed: int
    redeemed_value: int
    to_pay: int
    points_earned: int
    bonuses: list[BonusLine]
    balance: int | None
    tier: str | None
    tier_up: str | None
    created_at: datetime
    program_version: int
    replayed: bool = False  # True when this sale id had already been committed


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    sale_id: str
    amount: int
    money_returned: int
    points_returned: int
    points_reversed: int
    bonus_reversed: int
    balance: int | None
    replayed: bool = False


@dataclass(frozen=True)
class EnrollResult:
    customer_id: str
    name: str
    card: str
    balance: int
    welcome_points: int


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    customers: int
    purchases: int
    events: int

    @property
    def ok(self) -> bool:
        return not self.problems
