"""The loyalty program a shop runs: tiers, earn and discount rates, bonuses, redemption rules.

A :class:`Program` is an immutable value. The database stores each saved program as a numbered
version and every sale records the version it used, so a sale can always be explained by the
rules that were in force when it happened. Percentages are kept in basis points (1 % = 100) and
money in minor units so that every rule is integer arithmetic.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from terminal.core.errors import InvalidInput


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
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Program:
        """Build a program from stored or imported JSON, naming the field that is wrong."""
        if not isinstance(data, dict):
            raise InvalidInput("The program must be a JSON object.")
        defaults = cls()
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidInput(f"Unknown program field “{unknown[0]}”.", field=unknown[0])
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
                        "“kind” must be bonus, discount or hybrid.", field="kind"
                    ) from None
            elif name == "tiers":
                values[name] = _parse_tiers(value)
            elif name == "milestones":
                values[name] = _parse_milestones(value)
            elif name == "extras":
                if not isinstance(value, dict):
                    raise InvalidInput("“extras” must be an object.", field=name)
                values[name] = value
            elif name == "expiry_days":
                if value is not None:
                    values[name] = _int_field(name, value, minimum=1)
                else:
                    values[name] = None
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise InvalidInput(f"“{name}” must be true or false.", field=name)
                values[name] = value
            else:
                values[name] = _int_field(name, value, minimum=0)
        program = cls(**values)
        program.validate()
        return program

    def validate(self) -> None:
        """Refuse programs that cannot work at a counter, in words an owner understands."""
        if not self.tiers:
            raise InvalidInput("The program needs at least one tier.", field="tiers")
        if self.tiers[0].threshold != 0:
            raise InvalidInput("The first tier must start at 0.", field="tiers")
        for lower, upper in zip(self.tiers, self.tiers[1:], strict=False):
            if upper.threshold <= lower.threshold:
                raise InvalidInput(
                    f"Tier “{upper.name}” must start above “{lower.name}”.", field="tiers"
                )
        names = [t.name.strip().casefold() for t in self.tiers]
        if len(set(names)) != len(names) or not all(names):
            raise InvalidInput("Every tier needs its own name.", field="tiers")
        for tier in self.tiers:
            if not 0 <= tier.earn_bp <= 10_000 or not 0 <= tier.discount_bp <= 10_000:
                raise InvalidInput(
                    f"Rates of tier “{tier.name}” must be between 0 % and 100 %.", field="tiers"
                )
        if self.point_value <= 0:
            raise InvalidInput("A point must be worth more than zero.", field="point_value")
        if not 0 <= self.redeem_cap_bp <= 10_000:
            raise InvalidInput(
                "The redemption cap must be between 0 % and 100 %.", field="redeem_cap_bp"
            )


def _int_field(name: str, value: Any, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"“{name}” must be a whole number.", field=name)
    if value < minimum:
        raise InvalidInput(f"“{name}” must be at least {minimum}.", field=name)
    return value


def _parse_tiers(value: Any) -> tuple[Tier, ...]:
    if not isinstance(value, list):
        raise InvalidInput("“tiers” must be a list.", field="tiers")
    tiers = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InvalidInput(f"Tier {i + 1} needs a name.", field="tiers")
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
        raise InvalidInput("“milestones” must be a list of [visit, points].", field="milestones")
    result = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise InvalidInput("Each milestone is [visit number, points].", field="milestones")
        result.append(
            (
                _int_field("milestones.visit", item[0], minimum=1),
                _int_field("milestones.points", item[1], minimum=0),
            )
        )
    return tuple(sorted(result))


DEFAULT_PROGRAM = Program()
