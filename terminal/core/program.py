"""The loyalty program a shop runs: tiers, earn and discount rates, bonuses, redemption rules.

A :class:`Program` is an immutable value. The database stores each saved program as a numbered
version and every sale records the version it used, so a sale can always be explained by the
rules that were in force when it happened. Percentages are kept in basis points (1 % = 100) and
money in minor units so that every rule is integer arithmetic.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, time
from enum import StrEnum
from typing import Any

from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.money import MAX_CHECK_MINOR
from terminal.core.promotions import Promotion, Stacking

# The largest value each number in a program may have. A program is typed by hand into a JSON
# file or a form, and a value past these is a typo (an extra zero row, a card number in the wrong
# field) that, once saved, would stop every sale: dates beyond the calendar, numbers too large
# for Qt's 32-bit counts or SQLite's 64-bit integers. Each is far beyond what a small shop sets.
MAX_DAYS_VALID = 3660  # points valid for ten years at most; no expiry is ``null``
MAX_BIRTHDAY_WINDOW_DAYS = 31  # a month either side of the birthday
MAX_BONUS_POINTS = 1_000_000  # a gift, a minimum balance: as much as one manual adjustment
MAX_POINT_VALUE = 1_000_000  # minor units a point is worth: 10 000.00
MAX_CHECK_RULE = MAX_CHECK_MINOR  # a minimum check: the largest check the till takes
MAX_TIER_THRESHOLD = 100 * MAX_CHECK_MINOR  # lifetime spend: a hundred of the largest checks
MAX_RATE_BP = 10_000  # 100 %
MAX_MILESTONE_VISIT = 10_000  # the 10 000th visit
MAX_MULTIPLIER_PCT = 1000  # ×10

_FIELD_MAXIMUM: dict[str, int] = {
    "point_value": MAX_POINT_VALUE,
    "redeem_cap_bp": MAX_RATE_BP,
    "min_balance_to_redeem": MAX_BONUS_POINTS,
    "min_check_to_earn": MAX_CHECK_RULE,
    "expiry_days": MAX_DAYS_VALID,
    "welcome_points": MAX_BONUS_POINTS,
    "birthday_points": MAX_BONUS_POINTS,
    "birthday_window_days": MAX_BIRTHDAY_WINDOW_DAYS,
    "referral_referrer_points": MAX_BONUS_POINTS,
    "referral_newcomer_points": MAX_BONUS_POINTS,
    "referral_min_first_check": MAX_CHECK_RULE,
}


class ProgramKind(StrEnum):
    BONUS = "bonus"  # points (cash-back) on what was paid
    DISCOUNT = "discount"  # a tier discount off the check, no points
    HYBRID = "hybrid"  # both a discount and points


@dataclass(frozen=True)
class Tier:
    """A level reached by lifetime paid spend (minor units), with its own rates."""

    name: str
    threshold: int
    earn_bp: int
    discount_bp: int = 0


@dataclass(frozen=True)
class Program:
    kind: ProgramKind = ProgramKind.BONUS
    tiers: tuple[Tier, ...] = (
        Tier("Bronze", 0, 500),
        Tier("Silver", 1_000_000, 700),
        Tier("Gold", 3_000_000, 1000),
    )
    point_value: int = 100  # minor units one point is worth when redeemed
    redeem_cap_bp: int = 5000  # share of the check that points may pay
    min_balance_to_redeem: int = 0
    min_check_to_earn: int = 0
    earn_on_redeemed: bool = False  # earn on the part paid with points too
    expiry_days: int | None = 365
    welcome_points: int = 100
    birthday_points: int = 200
    birthday_window_days: int = 7
    referral_referrer_points: int = 100
    referral_newcomer_points: int = 100
    referral_min_first_check: int = 0
    milestones: tuple[tuple[int, int], ...] = ()  # (visit number, bonus points)
    promotions: tuple[Promotion, ...] = ()
    stacking: Stacking = Stacking.BEST
    categories: tuple[str, ...] = ()  # purchase categories picked at the counter; none by default
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def tier_for(self, lifetime_paid: int) -> Tier:
        """The highest tier whose threshold the customer's lifetime paid spend has reached."""
        reached = self.tiers[0]
        for tier in self.tiers:
            if lifetime_paid >= tier.threshold:
                reached = tier
        return reached

    def next_tier(self, lifetime_paid: int) -> Tier | None:
        for tier in self.tiers:
            if tier.threshold > lifetime_paid:
                return tier
        return None

    @property
    def earns_points(self) -> bool:
        return self.kind in (ProgramKind.BONUS, ProgramKind.HYBRID)

    @property
    def gives_discount(self) -> bool:
        return self.kind in (ProgramKind.DISCOUNT, ProgramKind.HYBRID)

    # -- persistence -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["tiers"] = [asdict(t) for t in self.tiers]
        data["milestones"] = [list(m) for m in self.milestones]
        data["promotions"] = [_promotion_dict(p) for p in self.promotions]
        data["stacking"] = self.stacking.value
        data["categories"] = list(self.categories)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Program:
        """Build a program from stored or imported JSON, naming the field that is wrong."""
        if not isinstance(data, dict):
            raise InvalidInput(QT_TRANSLATE_NOOP("Errors", "The program must be a JSON object."))
        defaults = cls()
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Unknown program field “{unknown}”."),
                field=unknown[0],
                unknown=unknown[0],
            )
        values: dict[str, Any] = {}
        for name in known:
            if name not in data:
                continue
            value = data[name]
            default = getattr(defaults, name)
            if name == "kind":
                try:
                    values[name] = ProgramKind(value)
                except ValueError:
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "“kind” must be bonus, discount or hybrid."),
                        field="kind",
                    ) from None
            elif name == "tiers":
                values[name] = _parse_tiers(value)
            elif name == "milestones":
                values[name] = _parse_milestones(value)
            elif name == "promotions":
                values[name] = _parse_promotions(value)
            elif name == "stacking":
                try:
                    values[name] = Stacking(value)
                except ValueError:
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "“stacking” must be best or sum."),
                        field="stacking",
                    ) from None
            elif name == "categories":
                if not isinstance(value, list) or not all(
                    isinstance(c, str) and c.strip() for c in value
                ):
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "“categories” must be a list of names."),
                        field="categories",
                    )
                values[name] = tuple(c.strip() for c in value)
            elif name == "extras":
                if not isinstance(value, dict):
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "“extras” must be an object."), field=name
                    )
                values[name] = value
            elif name == "expiry_days":
                if value is not None:
                    values[name] = _int_field(name, value, minimum=1)
                else:
                    values[name] = None
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "“{name}” must be true or false."),
                        field=name,
                        name=name,
                    )
                values[name] = value
            else:
                values[name] = _int_field(name, value, minimum=0)
        program = cls(**values)
        # The limits are not checked here: a stored version past them must still load, so the
        # owner can see it and save a fixed one (a save checks them, see ``validate``).
        program._validate_rules()
        return program

    def validate(self) -> None:
        """Refuse programs that cannot work at a counter, in words an owner understands: the
        rules first, then every number within its limit (one sentence naming the field)."""
        self._validate_rules()
        self.validate_limits()

    def validate_limits(self) -> None:
        """Refuse a number past its limit (``_FIELD_MAXIMUM`` and the ones below), naming the
        field as the JSON file writes it."""
        for name, maximum in _FIELD_MAXIMUM.items():
            value = getattr(self, name)
            if value is not None:
                _at_most(name, value, maximum)
        for i, tier in enumerate(self.tiers, start=1):
            _at_most(f"tiers[{i}].threshold", tier.threshold, MAX_TIER_THRESHOLD)
            _at_most(f"tiers[{i}].earn_bp", tier.earn_bp, MAX_RATE_BP)
            _at_most(f"tiers[{i}].discount_bp", tier.discount_bp, MAX_RATE_BP)
        for i, (visit, points) in enumerate(self.milestones, start=1):
            _at_most(f"milestones[{i}].visit", visit, MAX_MILESTONE_VISIT)
            _at_most(f"milestones[{i}].points", points, MAX_BONUS_POINTS)
        for i, promo in enumerate(self.promotions, start=1):
            _at_most(f"promotions[{i}].multiplier_pct", promo.multiplier_pct, MAX_MULTIPLIER_PCT)
            _at_most(f"promotions[{i}].extra_bp", promo.extra_bp, MAX_RATE_BP)

    def _validate_rules(self) -> None:
        """The checks every program must pass, stored ones too."""
        if not self.tiers:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The program needs at least one tier."), field="tiers"
            )
        if self.tiers[0].threshold != 0:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The first tier must start at 0."), field="tiers"
            )
        for lower, upper in zip(self.tiers, self.tiers[1:], strict=False):
            if upper.threshold <= lower.threshold:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("Errors", "Tier “{upper}” must start above “{lower}”."),
                    field="tiers",
                    upper=upper.name,
                    lower=lower.name,
                )
        names = [t.name.strip().casefold() for t in self.tiers]
        if len(set(names)) != len(names) or not all(names):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Every tier needs its own name."), field="tiers"
            )
        for tier in self.tiers:
            if not 0 <= tier.earn_bp <= 10_000 or not 0 <= tier.discount_bp <= 10_000:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Rates of tier “{name}” must be between 0 % and 100 %."
                    ),
                    field="tiers",
                    name=tier.name,
                )
        if self.point_value <= 0:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "A point must be worth more than zero."),
                field="point_value",
            )
        if not 0 <= self.redeem_cap_bp <= 10_000:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The redemption cap must be between 0 % and 100 %."),
                field="redeem_cap_bp",
            )
        if len(set(c.casefold() for c in self.categories)) != len(self.categories):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Each category must have its own name."),
                field="categories",
            )
        for promo in self.promotions:
            if not promo.name.strip():
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("Errors", "Every promotion needs a name."), field="promotions"
                )
            if promo.multiplier_pct < 100 or promo.multiplier_pct > 1000:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Promotion “{name}”: the multiplier must be between ×1 and ×10."
                    ),
                    field="promotions",
                    name=promo.name,
                )
            if not 0 <= promo.extra_bp <= 10_000:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Promotion “{name}”: the extra must be between 0 % and 100 %."
                    ),
                    field="promotions",
                    name=promo.name,
                )
            if promo.multiplier_pct == 100 and not promo.extra_bp:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "Promotion “{name}” gives nothing: set a multiplier or an extra %.",
                    ),
                    field="promotions",
                    name=promo.name,
                )
            if promo.start and promo.end and promo.end < promo.start:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("Errors", "Promotion “{name}” ends before it starts."),
                    field="promotions",
                    name=promo.name,
                )
            if promo.hours is not None and promo.hours[0] == promo.hours[1]:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("Errors", "Promotion “{name}”: the hours are empty."),
                    field="promotions",
                    name=promo.name,
                )
            unknown = [c for c in promo.categories if c not in self.categories]
            if unknown:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Promotion “{name}” names the unknown category “{unknown}”."
                    ),
                    field="promotions",
                    name=promo.name,
                    unknown=unknown[0],
                )
        self._validate_promoted_rates()

    def _validate_promoted_rates(self) -> None:
        """Refuse promotions that could push a rate past 100 %: a discount above the check
        would pay the customer to shop, and more points than money is almost always a typo.
        Checked with every promotion on at once, under the program's stacking policy."""
        if not self.promotions:
            return
        for tier in self.tiers:
            base_bp = tier.earn_bp if self.earns_points else tier.discount_bp
            rates = [p.rate_x100(base_bp) for p in self.promotions]
            if self.stacking == Stacking.BEST:
                top = max(rates)
            else:
                top = base_bp * 100 + sum(max(0, r - base_bp * 100) for r in rates)
            if top > 10_000 * 100:
                what = "points" if self.earns_points else "discount"
                raise InvalidInput(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "With its promotions, tier “{name}” could get a {what} rate of "
                        "{value} %; it must stay at most 100 %.",
                    ),
                    field="promotions",
                    name=tier.name,
                    what=what,
                    value=format_bp(top // 100),
                )


def _int_field(name: str, value: Any, *, minimum: int) -> int:
    """A whole number in the program's JSON; its maximum is checked by ``validate_limits`` when
    the program is saved or read from a file, not here, so a stored version past it still
    loads."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{name}” must be a whole number."), field=name, name=name
        )
    if value < minimum:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{name}” must be at least {minimum}."),
            field=name,
            name=name,
            minimum=minimum,
        )
    return value


def _at_most(name: str, value: int, maximum: int) -> None:
    if value > maximum:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{name}” must be at most {maximum}."),
            field=name.split(".")[0].split("[")[0],
            name=name,
            maximum=maximum,
        )


def _parse_tiers(value: Any) -> tuple[Tier, ...]:
    if not isinstance(value, list):
        raise InvalidInput(QT_TRANSLATE_NOOP("Errors", "“tiers” must be a list."), field="tiers")
    tiers = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Tier {number} needs a name."),
                field="tiers",
                number=i + 1,
            )
        tiers.append(
            Tier(
                name=item["name"],
                threshold=_int_field("tiers.threshold", item.get("threshold", 0), minimum=0),
                earn_bp=_int_field("tiers.earn_bp", item.get("earn_bp", 0), minimum=0),
                discount_bp=_int_field("tiers.discount_bp", item.get("discount_bp", 0), minimum=0),
            )
        )
    return tuple(tiers)


def _parse_milestones(value: Any) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“milestones” must be a list of [visit, points]."),
            field="milestones",
        )
    result = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Each milestone is [visit number, points]."),
                field="milestones",
            )
        result.append(
            (
                _int_field("milestones.visit", item[0], minimum=1),
                _int_field("milestones.points", item[1], minimum=0),
            )
        )
    return tuple(sorted(result))


def _promotion_dict(promo: Promotion) -> dict[str, Any]:
    return {
        "name": promo.name,
        "multiplier_pct": promo.multiplier_pct,
        "extra_bp": promo.extra_bp,
        "start": promo.start.isoformat() if promo.start else None,
        "end": promo.end.isoformat() if promo.end else None,
        "weekdays": list(promo.weekdays),
        "hours": [promo.hours[0].strftime("%H:%M"), promo.hours[1].strftime("%H:%M")]
        if promo.hours
        else None,
        "categories": list(promo.categories),
    }


def _parse_promotions(value: Any) -> tuple[Promotion, ...]:
    if not isinstance(value, list):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“promotions” must be a list."), field="promotions"
        )
    result = []
    for i, item in enumerate(value):
        where = f"promotions[{i + 1}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Promotion {number} needs a name."),
                field="promotions",
                number=i + 1,
            )
        unknown = sorted(set(item) - set(_promotion_dict(Promotion("x", 200))))
        if unknown:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Unknown field “{where}.{unknown}”."),
                field="promotions",
                where=where,
                unknown=unknown[0],
            )
        weekdays = item.get("weekdays") or []
        if not isinstance(weekdays, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in weekdays
        ):
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "“{where}.weekdays” must list days 0 (Monday) to 6 (Sunday)."
                ),
                field="promotions",
                where=where,
            )
        categories = item.get("categories") or []
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "“{where}.categories” must be a list of names."),
                field="promotions",
                where=where,
            )
        result.append(
            Promotion(
                name=item["name"].strip(),
                multiplier_pct=_int_field(
                    f"{where}.multiplier_pct", item.get("multiplier_pct", 100), minimum=100
                ),
                extra_bp=_int_field(f"{where}.extra_bp", item.get("extra_bp", 0), minimum=0),
                start=_date_field(f"{where}.start", item.get("start")),
                end=_date_field(f"{where}.end", item.get("end")),
                weekdays=tuple(sorted(set(weekdays))),
                hours=_hours_field(f"{where}.hours", item.get("hours")),
                categories=tuple(categories),
            )
        )
    return tuple(result)


def _date_field(name: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{name}” must be a date like 2026-12-31."),
            field="promotions",
            name=name,
        ) from None


def _hours_field(name: str, value: Any) -> tuple[time, time] | None:
    if value in (None, ""):
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", '“{name}” must be [from, to], e.g. ["16:00", "18:00"].'),
            field="promotions",
            name=name,
        )
    try:
        return (time.fromisoformat(str(value[0])), time.fromisoformat(str(value[1])))
    except ValueError:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{name}” must be times like 16:00."),
            field="promotions",
            name=name,
        ) from None


def format_bp(bp: int) -> str:
    """Basis points as the percentage people read: 500 → "5", 750 → "7.5", 1 → "0.01"."""
    whole, frac = divmod(bp, 100)
    return str(whole) if not frac else f"{whole}.{frac:02d}".rstrip("0")


DEFAULT_PROGRAM = Program()

# The built-in tiers' names, marked for translation: a new shop is set up with them in its own
# language (``app/shop_setup.py``), since the tier is on the counter, the customer display and
# every history line, and a Ukrainian customer should not read "Silver".
DEFAULT_TIER_NAMES: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Tiers", "Bronze"),
    QT_TRANSLATE_NOOP("Tiers", "Silver"),
    QT_TRANSLATE_NOOP("Tiers", "Gold"),
)


def with_tier_names(program: Program, names: tuple[str, ...]) -> Program:
    """``program`` with its tiers renamed in order (thresholds and rates kept)."""
    renamed = zip(program.tiers, names, strict=True)
    return replace(program, tiers=tuple(replace(tier, name=name) for tier, name in renamed))
