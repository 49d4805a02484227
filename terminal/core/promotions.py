"""Promotions: more points (or a deeper discount) at chosen times, for chosen categories.

A promotion is a *multiplier* of the tier's rate ("Happy hour ×2") and/or an *extra* percentage
("Weekend +3 %"), limited by a date range, weekdays, hours and purchase categories. When several
apply at once the program's stacking policy decides: ``best`` takes the single most generous one,
``sum`` adds up what each one adds over the tier's rate. Rates are kept in hundredths of a basis
point so that ×1.5 of 5 % is exactly 7.5 % and nothing is rounded until the points themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Stacking(StrEnum):
    BEST = "best"  # the single most generous promotion
    SUM = "sum"  # every applicable promotion adds its bonus


@dataclass(frozen=True)
class Promotion:
    name: str
    multiplier_pct: int = 100  # 200 = ×2; 100 = no multiplier
    extra_bp: int = 0  # added on top, in basis points (300 = +3 %)
    start: date | None = None  # first day, inclusive
    end: date | None = None  # last day, inclusive
    weekdays: tuple[int, ...] = ()  # 0 = Monday … 6 = Sunday; empty = every day
    hours: tuple[time, time] | None = None  # from (inclusive) to (exclusive); None = all day
    categories: tuple[str, ...] = ()  # empty = every purchase

    def applies(self, now: datetime, category: str | None = None) -> bool:
        """Whether this promotion is on for a sale at ``now`` in ``category``."""
        today = now.date()
        if self.start is not None and today < self.start:
            return False
        if self.end is not None and today > self.end:
            return False
        if self.weekdays and now.weekday() not in self.weekdays:
            return False
        if self.hours is not None:
            start, end = self.hours
            moment = now.time()
            inside = start <= moment < end if start <= end else (moment >= start or moment < end)
            if not inside:
                return False
        return not self.categories or (category is not None and category in self.categories)

    def rate_x100(self, base_bp: int) -> int:
        """This promotion's whole rate (tier rate × multiplier + extra), in bp × 100."""
        return base_bp * self.multiplier_pct + self.extra_bp * 100

    def label(self) -> str:
        parts = []
        if self.multiplier_pct != 100:
            parts.append(f"×{_decimal(self.multiplier_pct, 100)}")
        if self.extra_bp:
            parts.append(f"+{_decimal(self.extra_bp, 100)} %")
        return f"{self.name} {' '.join(parts)}".strip()


@dataclass(frozen=True)
class AppliedRate:
    """The rate a sale gets after promotions, and the words that explain it."""

    rate_x100: int  # bp × 100
    promotions: tuple[Promotion, ...]

    def points(self, base: int, point_value: int) -> int:
        """Points for ``base`` minor units, rounded down once at the very end."""
        return base * self.rate_x100 // (10_000 * 100 * point_value)

    def scaled(self, amount: int) -> int:
        """``amount`` × rate, rounded down (used for discounts)."""
        return amount * self.rate_x100 // (10_000 * 100)


def apply_promotions(
    base_bp: int,
    promotions: tuple[Promotion, ...],
    stacking: Stacking,
    now: datetime,
    category: str | None = None,
) -> AppliedRate:
    base = base_bp * 100
    active = tuple(p for p in promotions if p.applies(now, category))
    if not active:
        return AppliedRate(base, ())
    if stacking == Stacking.BEST:
        best = max(active, key=lambda p: p.rate_x100(base_bp))
        if best.rate_x100(base_bp) <= base:
            return AppliedRate(base, ())
        return AppliedRate(best.rate_x100(base_bp), (best,))
    bonus = sum(max(0, p.rate_x100(base_bp) - base) for p in active)
    return AppliedRate(base + bonus, tuple(p for p in active if p.rate_x100(base_bp) > base))


def _decimal(value: int, scale: int) -> str:
    whole, frac = divmod(value, scale)
    if not frac:
        return str(whole)
    return f"{whole}.{frac:02d}".rstrip("0")
