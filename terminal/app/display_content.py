"""What the customer-facing display may show, prepared from the program and the customer's view.

The display is a window the customer reads from a metre and a half away, so it shows little and
only about the customer at the counter: a first name, points, tier progress — never a phone,
a full card number or anyone else's data. The figures (percentages from basis points, tier
progress) are computed here, not in the widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.app.results import CustomerView, SaleResult
from terminal.app.settings import get_setting
from terminal.app.till import Till, current_program
from terminal.core.program import Program


def percent_text(bp: int) -> str:
    """Basis points as the percent people say: 500 → "5", 750 → "7.5", 1025 → "10.25"."""
    whole, rest = divmod(bp, 100)
    return str(whole) if not rest else f"{whole}.{rest:02d}".rstrip("0")


def first_name(name: str) -> str:
    """The greeting's name: the first word as registered (the cashier types given name first)."""
    words = name.split()
    return words[0] if words else ""


@dataclass(frozen=True)
class ProgramTerms:
    """The idle screen's "how it works", as facts the UI words and translates."""

    shop_name: str
    logo_path: str
    earns_points: bool
    gives_discount: bool
    earn_percent: str  # the entry tier's rate
    best_earn_percent: str  # the top tier's rate
    best_discount_percent: str
    top_tier: str
    tiers: int
    point_value: int  # minor units one point pays
    redeem_cap_percent: str
    welcome_points: int
    birthday_points: int
    expiry_days: int | None


@dataclass(frozen=True)
class TierProgress:
    tier: str
    next_tier: str | None
    to_next: int | None  # money (minor units) still to spend
    percent: int  # 0..100 of the way from this tier to the next; 100 at the top tier


@dataclass(frozen=True)
class Greeting:
    customer_id: str
    first_name: str
    balance: int
    progress: TierProgress
    birthday: bool  # within the program's birthday window


@dataclass(frozen=True)
class SaleFacts:
    customer_id: str | None
    first_name: str
    points_earned: int
    bonus_points: int
    points_redeemed: int
    balance: int | None
    tier_up: str | None
    progress: TierProgress | None


def progress(program: Program, lifetime_paid: int) -> TierProgress:
    tier = program.tier_for(lifetime_paid)
    nxt = program.next_tier(lifetime_paid)
    if nxt is None:
        return TierProgress(tier.name, None, None, 100)
    span = nxt.threshold - tier.threshold
    done = max(0, lifetime_paid - tier.threshold)
    return TierProgress(tier.name, nxt.name, nxt.threshold - lifetime_paid, done * 100 // span)


class DisplayContent:
    def __init__(self, till: Till) -> None:
        self.till = till

    def _program(self) -> Program:
        with self.till.read() as s:
            return current_program(s)[1]

    def terms(self) -> ProgramTerms:
        with self.till.read() as s:
            _version, program = current_program(s)
            shop_name = str(get_setting(s, "shop_name"))
            logo = str(get_setting(s, "logo_path") or "")
        top = program.tiers[-1]
        return ProgramTerms(
            shop_name=shop_name,
            logo_path=logo,
            earns_points=program.earns_points,
            gives_discount=program.gives_discount,
            earn_percent=percent_text(program.tiers[0].earn_bp),
            best_earn_percent=percent_text(top.earn_bp),
            best_discount_percent=percent_text(top.discount_bp),
            top_tier=top.name,
            tiers=len(program.tiers),
            point_value=program.point_value,
            redeem_cap_percent=percent_text(program.redeem_cap_bp),
            welcome_points=program.welcome_points,
            birthday_points=program.birthday_points,
            expiry_days=program.expiry_days,
        )

    def greeting(self, view: CustomerView) -> Greeting:
        return Greeting(
            view.customer_id,
            first_name(view.name),
            view.balance,
            progress(self._program(), view.lifetime_paid),
            view.birthday_soon,
        )

    def sale(self, result: SaleResult, view: CustomerView | None) -> SaleFacts:
        """The sale as the customer sees it; ``view`` is the customer after the sale (if any)."""
        same = view is not None and view.customer_id == result.customer_id
        return SaleFacts(
            customer_id=result.customer_id,
            first_name=first_name(view.name) if same and view else "",
            points_earned=result.points_earned,
            bonus_points=sum(b.points for b in result.bonuses),
            points_redeemed=result.points_redeemed,
            balance=result.balance,
            tier_up=result.tier_up,
            progress=progress(self._program(), view.lifetime_paid) if same and view else None,
        )
