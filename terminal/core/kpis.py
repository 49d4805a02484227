"""Loyalty KPI formulas, pure: counts and sums in, figures out (docs/kpis.md defines each).

Shares are returned in basis points (1 % = 100) as ints so the CLI, the dashboard and tests agree
to the last digit; money is int minor units rounded half-up once; ``None`` means "no data to
divide by" (the dashboard shows a dash, never a fake zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.sentences import Day


@dataclass(frozen=True)
class Period:
    """Whole days, ``start`` and ``end`` both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one; refused in words when the
        calendar has no such period (it would start before year 1), which only a mistyped
        year asks for."""
        try:
            end = self.start - timedelta(days=1)
            return Period(end - timedelta(days=self.days - 1), end)
        except OverflowError:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no period of the same length before {start} to compare with; "
                    "choose a later or shorter period.",
                ),
                field="period",
                start=Day(self.start),
            ) from None


def share_bp(part: int, whole: int) -> int | None:
    """``part / whole`` in basis points, rounded half-up; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return (part * 10_000 * 2 + whole) // (whole * 2)


def average_minor(total: int, count: int) -> int | None:
    """Average money amount, rounded half-up to the minor unit."""
    if count <= 0:
        return None
    return (total * 2 + count) // (count * 2)


def per_hundred(total: int, count: int) -> int | None:
    """A ratio with two decimals kept as an int ×100 (2.35 purchases per member → 235)."""
    if count <= 0:
        return None
    return (total * 100 * 2 + count) // (count * 2)


def participation_bp(card_sales: int, all_sales: int) -> int | None:
    """Share of sales made with a card."""
    return share_bp(card_sales, all_sales)


def repeat_rate_bp(members_with_two_plus: int, buying_members: int) -> int | None:
    """Share of buying members who bought at least twice in the period."""
    return share_bp(members_with_two_plus, buying_members)


def retention_bp(kept: int, active_before: int) -> int | None:
    """Customer retention rate: members active in the previous period who bought again now."""
    return share_bp(kept, active_before)


def churn_bp(kept: int, active_before: int) -> int | None:
    """Churn = 100 % − retention."""
    retained = retention_bp(kept, active_before)
    return None if retained is None else 10_000 - retained


def redemption_rate_bp(redeemed: int, issued: int) -> int | None:
    return share_bp(redeemed, issued)


def liability_minor(live_points: int, point_value: int) -> int:
    """Outstanding value of the points customers could still spend."""
    return max(0, live_points) * point_value


@dataclass(frozen=True)
class NpsScore:
    responses: int
    promoters: int
    passives: int
    detractors: int

    @property
    def nps(self) -> int | None:
        """% promoters − % detractors, a whole number from −100 to 100 (rounded half away
        from zero)."""
        if self.responses == 0:
            return None
        diff = (self.promoters - self.detractors) * 100
        sign = -1 if diff < 0 else 1
        return sign * ((abs(diff) * 2 + self.responses) // (self.responses * 2))


def nps_from_scores(scores: list[int] | dict[int, int]) -> NpsScore:
    """Count promoters (9–10), passives (7–8) and detractors (0–6).

    ``scores`` is either the list of answers or ``{score: how many}``.
    """
    counts = scores if isinstance(scores, dict) else _count(scores)
    promoters = sum(n for s, n in counts.items() if s >= 9)
    passives = sum(n for s, n in counts.items() if 7 <= s <= 8)
    detractors = sum(n for s, n in counts.items() if s <= 6)
    return NpsScore(promoters + passives + detractors, promoters, passives, detractors)


CSAT_SATISFIED_FROM = 8


def csat_bp(counts: dict[int, int]) -> int | None:
    """CSAT: share of 0–10 answers that are 8, 9 or 10 ("satisfied"; the top-3-box)."""
    total = sum(counts.values())
    satisfied = sum(n for s, n in counts.items() if s >= CSAT_SATISFIED_FROM)
    return share_bp(satisfied, total)


def _count(scores: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for s in scores:
        out[s] = out.get(s, 0) + 1
    return out


def change_bp(current: int | None, previous: int | None) -> int | None:
    """Relative change current vs previous in basis points (+1250 = +12.5 %)."""
    if current is None or previous is None or previous == 0:
        return None
    diff = current - previous
    sign = -1 if diff < 0 else 1
    return sign * ((abs(diff) * 10_000 * 2 + abs(previous)) // (abs(previous) * 2))
